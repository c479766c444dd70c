/**
 * Engine lanes: several Docker labs side by side on one machine, each on a
 * private dockerd of its own in a network namespace of its own
 * (`engine/dockerd.sh lane-start`). Inside its namespace every lane has the
 * lab exactly as declared — the same container names, subnet, addresses
 * and 127.0.0.1 host ports — so nothing of the lab model changes and no lane
 * can see another's containers, DDS traffic or ports.
 *
 * A lane starts as a copy of a primary engine that already holds the lab:
 * every image the primary's lab runs is loaded into it (once: its data root
 * is kept between runs) and the applier's state records the built image as
 * already built (the same image id: the equivalent of `terraform import`),
 * so applying `lab` on the lane runs the containers without building or
 * pulling anything — a lane's namespace has no route out. Everything on a
 * lane — synthesis (into a folder of its own, since the lab stack holds its
 * home's secret paths), the applier, the runner, the stacks' local-exec
 * commands — runs in a process entered into its namespace with its
 * DOCKER_HOST, CMS_LAB_HOME and CMS_LAB_SYNTH_DIR.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureAdminPassword, ensureAgentDirs, hostPaths } from '../lib/host-paths';
import type { RunRecord } from '../runner/run';
import { projectRoot } from '../services/runtime/paths';
import { APPLIED_BY, type StackState, readState, writeState } from './applier';
import { type DockerApi, dockerApi, inspectOrAbsent } from './docker-api';
import { engineStateDir } from './lab-engine';

export interface EngineLane {
  /** `primary` for the engine of this process's own namespace, else the lane's name. */
  readonly name: string;
  /** The lane's network namespace (under /run/netns). @default none: this process's own */
  readonly netns?: string;
  readonly dockerHost: string;
  /** The lane's CMS_LAB_HOME: its applier state, secrets and runner lock. */
  readonly home: string;
  /** Where the lane synthesizes the stacks (a folder directly in the checkout). @default cdktf.out, the checkout's own */
  readonly synthDir?: string;
}

const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

/** The engine this process talks to, as a lane (the one its own checks can reach on 127.0.0.1). */
export function primaryLane(home: string = hostPaths().home, dockerHost = process.env.DOCKER_HOST ?? DEFAULT_DOCKER_HOST): EngineLane {
  return { name: 'primary', dockerHost, home };
}

/** The command line and environment that run `file args` on the lane. */
export function laneCommand(lane: EngineLane, file: string, args: readonly string[]): { file: string; args: string[]; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: lane.dockerHost, CMS_LAB_HOME: lane.home };
  delete env.CMS_LAB_ENGINE_STATE;
  if (lane.synthDir) env.CMS_LAB_SYNTH_DIR = lane.synthDir;
  else delete env.CMS_LAB_SYNTH_DIR;
  // nsenter enters the network namespace only: the checkout, /tmp and the cgroups stay this machine's
  return lane.netns ? { file: 'nsenter', args: [`--net=/run/netns/${lane.netns}`, '--', file, ...args], env } : { file, args: [...args], env };
}

export interface RunOnLaneOptions {
  /** Each output line, prefixed with the lane's name. @default dropped */
  readonly log?: (line: string) => void;
  /** Aborting sends the process SIGINT (the runner then cleans its fault up and exits). @default never aborted */
  readonly signal?: AbortSignal;
  /** How long after the SIGINT the process may take to clean up before it is killed. @default 180 000 ms */
  readonly killAfterMs?: number;
}

/** Runs `file args` on the lane from the checkout; resolves with its exit code and output. */
export function runOnLane(lane: EngineLane, file: string, args: readonly string[], options: RunOnLaneOptions = {}): Promise<{ code: number | null; output: string }> {
  const log = options.log ?? (() => undefined);
  const { signal } = options;
  const command = laneCommand(lane, file, args);
  return new Promise((resolve, reject) => {
    const child = spawn(command.file, command.args, { cwd: projectRoot(), env: command.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let killer: NodeJS.Timeout | undefined;
    // nsenter execs the command (no --fork), so the signal reaches the runner itself
    const interrupt = () => {
      child.kill('SIGINT');
      killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 180_000);
    };
    if (signal?.aborted) interrupt();
    else signal?.addEventListener('abort', interrupt, { once: true });
    let output = '';
    let partial = '';
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) log(`[${lane.name}] ${line}`);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('error', reject);
    child.once('close', (code) => {
      signal?.removeEventListener('abort', interrupt);
      clearTimeout(killer);
      if (partial) log(`[${lane.name}] ${partial}`);
      resolve({ code, output });
    });
  });
}

/** An engine applier's command output line ('    |'), as the runner or a lane prints it ('[lane] [lab hh:mm:ss] target #n: '): progress logs leave it out. */
export function isApplierCommandOutput(line: string): boolean {
  return /^(\[[^\]]+\] )?(\[lab [^\]]+\] \S+ #\d+: )?    \|/.test(line);
}

export interface RunnerOnLaneOptions extends RunOnLaneOptions {
  /** The results folder (it must hold no earlier run of the target). */
  readonly resultsDir: string;
  /** Runs in a row. @default 1 */
  readonly repeat?: number;
  /** Every run in the lab model's ambient noise. @default false */
  readonly ambientNoise?: boolean;
  /** The control's watch, in seconds (the control only). @default the runner's: the longest scenario budget */
  readonly controlWatchS?: number;
}

/**
 * One target's runs in a row on the lane: the runner's command line there, on
 * the Docker driver through the engine applier with keep-observability resets
 * and the baseline agent. Resolves with each run's record and folder, by
 * repetition; throws with the runner's last output lines when it wrote fewer.
 */
export async function runnerOnLane(lane: EngineLane, target: string, options: RunnerOnLaneOptions): Promise<Array<{ readonly record: RunRecord; readonly dir: string }>> {
  const repeat = options.repeat ?? 1;
  const args = ['dist/runner/cli.js', 'run', target, '--backend', 'docker', '--apply-with', 'applier', '--keep-observability', '--agent', 'baseline', '--agent-timeout', '60', '--repeat', String(repeat)];
  if (options.ambientNoise) args.push('--noise', 'ambient');
  if (options.controlWatchS !== undefined) args.push('--control-watch', String(options.controlWatchS));
  args.push('--results', options.resultsDir);
  const { code, output } = await runOnLane(lane, process.execPath, args, options);
  const targetDir = path.join(options.resultsDir, target);
  const runs = (existsSync(targetDir) ? readdirSync(targetDir) : [])
    .map((run) => path.join(targetDir, run))
    .filter((dir) => existsSync(path.join(dir, 'record.json')))
    .map((dir) => ({ record: JSON.parse(readFileSync(path.join(dir, 'record.json'), 'utf8')) as RunRecord, dir }));
  if (runs.length !== repeat) throw new Error(`${target} on lane ${lane.name}: ${runs.length} of ${repeat} records (exit ${code}):\n${output.trim().split('\n').slice(-15).join('\n')}`);
  return runs.sort((a, b) => a.record.repetition - b.record.repetition);
}

const run = promisify(execFile);
const DOCKERD_SH = () => path.join(projectRoot(), 'engine', 'dockerd.sh');

/** Every image the applied lab runs or built on the engine, by reference: the built images, the containers' images (stand-ins included). */
function labImageRefs(state: StackState): string[] {
  const refs = new Set<string>();
  for (const r of state.resources) {
    if (r.notRun) continue;
    if (r.type === 'docker_image' && r.name && r.built) refs.add(r.name);
    const image = r.type === 'docker_container' ? r.plan?.config.Image : undefined;
    if (typeof image === 'string' && image) refs.add(image);
    for (const standIn of r.standIns ?? []) if (standIn.standIn) refs.add(standIn.standIn);
  }
  return [...refs].sort();
}

async function imageId(api: DockerApi, ref: string): Promise<string | undefined> {
  return (await inspectOrAbsent<{ Id: string }>(api, `/images/${encodeURIComponent(ref)}/json`))?.Id;
}

export interface StartLaneOptions {
  /** The engine holding the applied lab this lane copies. @default the engine at DOCKER_HOST, with the applier state of CMS_LAB_HOME */
  readonly from?: { readonly api: DockerApi; readonly dockerHost: string; readonly stateDir: string };
  /** Progress lines. @default dropped */
  readonly log?: (line: string) => void;
  /** Aborting stops the start (the image load, the apply) and removes the lane. @default never aborted */
  readonly signal?: AbortSignal;
}

/**
 * Starts an engine lane and brings the lab up on it: a dockerd in its own
 * namespace, every image of the primary's lab (loaded where the lane lacks
 * it), the built image's state imported, and `lab` applied by the engine
 * applier in the namespace. A lane that cannot start is removed again.
 */
export async function startEngineLane(name: string, options: StartLaneOptions = {}): Promise<EngineLane> {
  const log = options.log ?? (() => undefined);
  const { signal } = options;
  const from = options.from ?? { api: dockerApi(), dockerHost: process.env.DOCKER_HOST ?? DEFAULT_DOCKER_HOST, stateDir: engineStateDir() };
  const labState = readState(from.stateDir, 'lab');
  if (!labState) throw new Error(`engine lane ${name}: the primary engine holds no applied lab (no state in ${from.stateDir}): apply lab there first`);
  const home = mkdtempSync(path.join(os.tmpdir(), `cms-lane-${name}-`));
  const synthDir = path.join(projectRoot(), `cdktf.out.lane-${name}`);
  try {
    const { stdout } = await run('bash', [DOCKERD_SH(), 'lane-start', name], { timeout: 120_000, signal });
    const value = (key: string) => new RegExp(`^${key}=(.+)$`, 'm').exec(stdout)?.[1];
    const dockerHost = value('DOCKER_HOST');
    const netns = value('NETNS');
    if (!dockerHost || !netns) throw new Error(`engine lane ${name}: dockerd.sh lane-start printed no DOCKER_HOST and NETNS:\n${stdout}`);
    const lane: EngineLane = { name, netns, dockerHost, home, synthDir };
    const laneApi = dockerApi(dockerHost.slice('unix://'.length));
    const refs = labImageRefs(labState);
    const missing: string[] = [];
    for (const ref of refs) {
      const id = await imageId(from.api, ref);
      if (!id) throw new Error(`engine lane ${name}: the primary engine's lab uses ${ref}, which the primary engine no longer has`);
      if ((await imageId(laneApi, ref)) !== id) missing.push(ref);
    }
    if (missing.length) {
      log(`[${name}] loading ${missing.join(', ')} from the primary engine`);
      await run('bash', ['-o', 'pipefail', '-c', 'DOCKER_HOST="$1" docker save "${@:3}" | DOCKER_HOST="$2" docker load -q', 'load', from.dockerHost, dockerHost, ...missing], { timeout: 20 * 60_000, maxBuffer: 16 * 1024 * 1024, signal });
    }
    // the built image, imported as built: the same id on the lane, so the applier finds it unchanged and builds nothing
    const built = labState.resources.filter((r) => r.type === 'docker_image' && r.built && r.id);
    for (const image of built) {
      if ((await imageId(laneApi, image.name!)) !== image.id) throw new Error(`engine lane ${name}: ${image.name} (${image.id}) did not reach the lane`);
    }
    writeState(path.join(home, 'engine-state'), { stack: 'lab', appliedBy: APPLIED_BY, resources: built });
    const paths = hostPaths({ ...process.env, CMS_LAB_HOME: home });
    ensureAdminPassword(paths);
    ensureAgentDirs(paths, ['opensre']);
    const applied = await runOnLane(lane, process.execPath, ['dist/engine/cli.js', 'apply', 'lab'], { log, signal });
    if (applied.code !== 0) throw new Error(`engine lane ${name}: apply lab failed (exit ${applied.code}): ${applied.output.trim().split('\n').slice(-3).join(' / ')}`);
    return lane;
  } catch (error) {
    await removeLane(name, home, synthDir).catch(() => undefined);
    throw error;
  }
}

/** Stops the lane's dockerd (its containers with it) and name server, removes its namespace, home and synthesized stacks. */
async function removeLane(name: string, home: string, synthDir: string): Promise<void> {
  try {
    await run('bash', [DOCKERD_SH(), 'lane-stop', name], { timeout: 120_000 });
  } finally {
    rmSync(home, { recursive: true, force: true });
    rmSync(synthDir, { recursive: true, force: true });
  }
}

/** Destroys the lane's lab (what the applier created, its destroy-time commands run), then removes the lane. */
export async function stopEngineLane(lane: EngineLane, log: (line: string) => void = () => undefined): Promise<void> {
  if (!lane.netns || !lane.synthDir) throw new Error('stopEngineLane stops a lane started by startEngineLane, not the primary engine');
  try {
    if (readState(path.join(lane.home, 'engine-state'), 'lab')) await runOnLane(lane, process.execPath, ['dist/engine/cli.js', 'destroy', 'lab'], { log });
  } finally {
    await removeLane(lane.name, lane.home, lane.synthDir);
  }
}
