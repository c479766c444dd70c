/**
 * Engine lanes: several Docker labs side by side on one machine, each on a
 * private dockerd of its own in a network namespace of its own
 * (`engine/dockerd.sh lane-start`). Inside its namespace every lane has the
 * lab exactly as declared — the same container names, subnet, addresses
 * and 127.0.0.1 host ports — so nothing of the lab model changes and no lane
 * can see another's containers, DDS traffic or ports.
 *
 * A lane starts as a copy of a primary engine that already holds the lab:
 * the lab's images are loaded into it (once: its data root is kept between
 * runs) and the applier's state records the built image as already built
 * (the same image id: the equivalent of `terraform import`), so applying
 * `lab` on the lane runs the containers without building anything — a lane's
 * namespace has no route to a package registry. Everything on a lane — the
 * applier, the runner, the stacks' local-exec commands — runs in a process
 * entered into its namespace with its DOCKER_HOST and CMS_LAB_HOME.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureAdminPassword, ensureAgentDirs, hostPaths } from '../lib/host-paths';
import { projectRoot } from '../services/runtime/paths';
import { readState, writeState } from './applier';
import { type DockerApi, dockerApi, inspectOrAbsent } from './docker-api';
import { engineStateDir } from './lab-engine';

export interface EngineLane {
  /** `primary` for the engine of this process's own namespace, else the lane's name. */
  readonly name: string;
  /** The lane's network namespace (under /run/netns); none: this process's own. */
  readonly netns?: string;
  readonly dockerHost: string;
  /** The lane's CMS_LAB_HOME: its applier state, secrets and runner lock. */
  readonly home: string;
}

/** The engine this process talks to, as a lane (the one its own checks can reach on 127.0.0.1). */
export function primaryLane(home: string = hostPaths().home, dockerHost = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock'): EngineLane {
  return { name: 'primary', dockerHost, home };
}

/** The command line and environment that run `file args` on the lane. */
export function laneCommand(lane: EngineLane, file: string, args: readonly string[]): { file: string; args: string[]; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: lane.dockerHost, CMS_LAB_HOME: lane.home };
  delete env.CMS_LAB_ENGINE_STATE;
  // nsenter enters the network namespace only: the checkout, /tmp and the cgroups stay this machine's
  return lane.netns ? { file: 'nsenter', args: [`--net=/run/netns/${lane.netns}`, '--', file, ...args], env } : { file, args: [...args], env };
}

/**
 * Runs `file args` on the lane from the checkout, each output line to `log`
 * with the lane's name; resolves with its exit code and output. An abort
 * sends the process SIGINT (the runner then cleans its fault up and exits).
 */
export function runOnLane(lane: EngineLane, file: string, args: readonly string[], log: (line: string) => void = () => undefined, signal?: AbortSignal): Promise<{ code: number | null; output: string }> {
  const command = laneCommand(lane, file, args);
  return new Promise((resolve, reject) => {
    const child = spawn(command.file, command.args, { cwd: projectRoot(), env: command.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const interrupt = () => child.kill('SIGINT');
    signal?.addEventListener('abort', interrupt, { once: true });
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
      if (partial) log(`[${lane.name}] ${partial}`);
      resolve({ code, output });
    });
  });
}

const run = promisify(execFile);
const DOCKERD_SH = () => path.join(projectRoot(), 'engine', 'dockerd.sh');

/** The lab's own images on an engine: what was built (cms-lab/…) and the stand-ins (cms-lab-standin/…), by tag. */
async function labImages(api: DockerApi): Promise<Map<string, string>> {
  const images = await api.call<Array<{ Id: string; RepoTags: string[] | null }>>('GET', '/images/json');
  const tags = new Map<string, string>();
  for (const image of images) for (const tag of image.RepoTags ?? []) if (/^cms-lab(-standin)?\//.test(tag)) tags.set(tag, image.Id);
  return tags;
}

export interface StartLaneOptions {
  /** The engine holding the applied lab this lane copies. @default the engine at DOCKER_HOST */
  readonly from?: { readonly api: DockerApi; readonly dockerHost: string; readonly stateDir: string };
  readonly log?: (line: string) => void;
}

/**
 * Starts an engine lane and brings the lab up on it: a dockerd in its own
 * namespace, the primary's lab images (loaded where the lane lacks them),
 * the built image's state imported, and `lab` applied by the engine applier
 * in the namespace.
 */
export async function startEngineLane(name: string, options: StartLaneOptions = {}): Promise<EngineLane> {
  const log = options.log ?? (() => undefined);
  const from = options.from ?? { api: dockerApi(), dockerHost: process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock', stateDir: engineStateDir() };
  const labState = readState(from.stateDir, 'lab');
  if (!labState) throw new Error(`engine lane ${name}: the primary engine holds no applied lab (no state in ${from.stateDir}): apply lab there first`);

  const { stdout } = await run('bash', [DOCKERD_SH(), 'lane-start', name], { timeout: 120_000 });
  const value = (key: string) => new RegExp(`^${key}=(.+)$`, 'm').exec(stdout)?.[1];
  const dockerHost = value('DOCKER_HOST');
  const netns = value('NETNS');
  if (!dockerHost || !netns) throw new Error(`engine lane ${name}: dockerd.sh lane-start printed no DOCKER_HOST and NETNS:\n${stdout}`);
  const lane: EngineLane = { name, netns, dockerHost, home: mkdtempSync(path.join(os.tmpdir(), `cms-lane-${name}-`)) };
  try {
    const laneApi = dockerApi(dockerHost.slice('unix://'.length));
    const wanted = await labImages(from.api);
    const present = await labImages(laneApi);
    const missing = [...wanted].filter(([tag, id]) => present.get(tag) !== id).map(([tag]) => tag);
    if (missing.length) {
      log(`[${name}] loading ${missing.join(', ')} from the primary engine`);
      await run('bash', ['-o', 'pipefail', '-c', 'DOCKER_HOST="$1" docker save "${@:3}" | DOCKER_HOST="$2" docker load -q', 'load', from.dockerHost, dockerHost, ...missing], { timeout: 20 * 60_000, maxBuffer: 16 * 1024 * 1024 });
    }
    // the built image, imported as built: the same id on the lane, so the applier finds it unchanged and builds nothing
    const built = labState.resources.filter((r) => r.type === 'docker_image' && r.built && r.id);
    for (const image of built) {
      if (!(await inspectOrAbsent(laneApi, `/images/${encodeURIComponent(image.id!)}/json`))) throw new Error(`engine lane ${name}: ${image.name} (${image.id}) did not reach the lane`);
    }
    const stateDir = path.join(lane.home, 'engine-state');
    writeState(stateDir, { stack: 'lab', appliedBy: 'cms-lab engine applier', resources: built });
    const paths = hostPaths({ ...process.env, CMS_LAB_HOME: lane.home });
    ensureAdminPassword(paths);
    ensureAgentDirs(paths, ['opensre']);
    const applied = await runOnLane(lane, process.execPath, ['dist/engine/cli.js', 'apply', 'lab'], log);
    if (applied.code !== 0) throw new Error(`engine lane ${name}: apply lab failed (exit ${applied.code}): ${applied.output.trim().split('\n').slice(-3).join(' / ')}`);
    return lane;
  } catch (error) {
    await stopEngineLane(lane, log).catch(() => undefined);
    throw error;
  }
}

/** Destroys the lane's lab (what the applier created), stops its dockerd and removes its namespace and home. */
export async function stopEngineLane(lane: EngineLane, log: (line: string) => void = () => undefined): Promise<void> {
  if (!lane.netns) throw new Error('stopEngineLane stops a lane started by startEngineLane, not the primary engine');
  try {
    if (readState(path.join(lane.home, 'engine-state'), 'lab')) await runOnLane(lane, process.execPath, ['dist/engine/cli.js', 'destroy', 'lab'], log);
  } finally {
    await run('bash', [DOCKERD_SH(), 'lane-stop', lane.name], { timeout: 120_000 });
    rmSync(lane.home, { recursive: true, force: true });
  }
}
