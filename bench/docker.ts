/**
 * npm run bench:docker — the Docker lab on the real engine beside the native
 * harness, in one run: stand-in and image build times (a cold, no-cache build
 * of services/Dockerfile and the cached rebuild `apply lab` does), lab apply
 * → steady state, and per scenario, three times in a row on each harness,
 * inject → firing and cleanup → recovered. Needs DOCKER_HOST (or
 * engine/dockerd.sh start) and root for the native harness.
 * The control runs as often on each harness, quiet and in the lab's ambient
 * noise (it must fire nothing either way), unless --only picks scenarios
 * without naming `control`.
 * On Docker, each scenario's runs go in a row through the runner's command
 * line on one engine lane (engine/lanes.ts): this engine and --lanes − 1
 * lanes copied from it; natively, in --native-lanes labs at once.
 * Options: --repeat N (default 3), --only a,b[,control], --lanes N (Docker labs at
 * once, 1 to 3, default 2), --native-lanes N (1 to 4, default 3).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dockerApi } from '../engine/docker-api';
import { applyOnEngine, buildStandIns, destroyOnEngine, synthStacks } from '../engine/lab-engine';
import { labPrometheus, waitForEngineBaseline } from '../engine/lab-checks';
import { type EngineLane, isApplierCommandOutput, primaryLane, runnerOnLane, startEngineLane, stopEngineLane } from '../engine/lanes';
import { ensureAdminPassword, ensureAgentDirs, hostPaths } from '../lib/host-paths';
import { LanePool, inLanes } from '../lib/lanes';
import { buildLabModel } from '../model/lab';
import { NativeDriver } from '../runner/drivers/native';
import { type RunObservation, runLifecycle, targetName } from '../runner/lifecycle';
import { type NoisyTarget, benchTargets, runWeightS } from '../runner/run';
import { median } from '../runner/summary';
import { projectRoot } from '../services/runtime/paths';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const started = Date.now();
  const value = await fn();
  return [value, (Date.now() - started) / 1000];
}

const fmt = (values: number[]): string => (values.length ? `${(median(values) ?? Number.NaN).toFixed(1)} s (${values.map((v) => v.toFixed(0)).join(', ')})` : 'n/a');

function count(name: string, fallback: number, max: number): number {
  const raw = option(name);
  const value = Number(raw ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`--${name} must be a whole number from 1 to ${max}, not '${raw}'`);
  return value;
}

/** A folder name for a run label ("control (noise)" → "control-noise"). */
const slug = (label: string) => label.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '');

async function main(): Promise<void> {
  const repeat = count('repeat', 3, 100);
  // three Docker labs at once on 2 cores missed health checks and left runs invalid (README "Engine lanes")
  const dockerLanes = count('lanes', 2, 3);
  const nativeLanes = count('native-lanes', 3, 4);
  if (process.env.CMS_LAB_ENGINE_STATE) throw new Error('bench:docker keeps the applier state in its CMS_LAB_HOME (the runner on each lane reads it there): unset CMS_LAB_ENGINE_STATE');
  const lab = buildLabModel();
  // before the engine work, so a misspelt name fails at once
  const targets = benchTargets(lab, option('only'));
  const api = dockerApi();
  const paths = hostPaths();
  const stateDir = path.join(paths.home, 'engine-state');
  const log = (m: string) => {
    if (!isApplierCommandOutput(m)) process.stderr.write(`[bench:docker] ${m}\n`);
  };
  const began = Date.now();
  const [standIns, standInS] = await timed(buildStandIns);
  const [, coldBuildS] = await timed(() =>
    execFileSync('docker', ['build', '-q', '--no-cache', '--force-rm', '--network', 'host', '--build-arg', `NODE_IMAGE=${standIns[0].split(' ')[0]}`, '-t', 'cms-lab-bench/cold-build:latest', '-f', 'services/Dockerfile', '.'], {
      cwd: projectRoot(),
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
      stdio: 'pipe',
    }),
  );
  execFileSync('docker', ['image', 'rm', 'cms-lab-bench/cold-build:latest'], { stdio: 'pipe' });
  synthStacks(lab);
  ensureAdminPassword(paths);
  ensureAgentDirs(paths, ['opensre']);
  const [, applyS] = await timed(() => applyOnEngine('lab', { lab, log, stateDir, api }));
  const [, steadyS] = await timed(() => waitForEngineBaseline(lab, labPrometheus(lab), 300_000));
  const docker = new Map<string, RunObservation[]>();
  const native = new Map<string, RunObservation[]>();
  const resultsRoot = mkdtempSync(path.join(os.tmpdir(), 'cms-bench-docker-'));
  const lanes: EngineLane[] = [];
  const stop = new AbortController();
  const interrupt = () => stop.abort(new Error('interrupted'));
  process.once('SIGINT', interrupt);
  /** One target's runs in a row on one lane: the runner's command line there (keep-observability resets), and its records. */
  const runTarget = async ({ target, noise, label }: NoisyTarget, lane: EngineLane): Promise<void> => {
    log(`${label}: ${repeat} run(s) on lane ${lane.name}`);
    const runs = await runnerOnLane(lane, targetName(target), { resultsDir: path.join(resultsRoot, slug(label)), repeat, ambientNoise: noise !== undefined, log, signal: stop.signal });
    const broken = runs.filter((r) => !r.record.manifestation);
    if (broken.length) throw new Error(`${label} on lane ${lane.name}: ${broken.map((r) => `run ${r.record.repetition}: ${r.record.outcome} ${r.record.error ?? ''}`).join('; ')} (records in ${path.join(resultsRoot, slug(label))})`);
    docker.set(label, runs.map((r) => r.record.manifestation as RunObservation));
  };
  const weight = ({ target }: NoisyTarget) => runWeightS(target, lab);
  let dockerS = 0;
  let teardownError: Error | undefined;
  let joining: Array<Promise<void>> = [];
  try {
    const pool = new LanePool<EngineLane>();
    pool.add(primaryLane(paths.home));
    const dockerBegan = Date.now();
    // this engine starts at once; a lane joins when its lab is up, and one that cannot start leaves the runs to the others
    joining = Array.from({ length: dockerLanes - 1 }, (_, i) =>
      // copies the engine at DOCKER_HOST with the applier state of this home (stateDir)
      startEngineLane(`bench-lane-${i + 1}`, { log, signal: stop.signal }).then(
        (lane) => {
          lanes.push(lane);
          pool.add(lane);
        },
        (error: Error) => log(`engine lane bench-lane-${i + 1} did not start: ${error.message}`),
      ),
    );
    await pool.run(targets, weight, runTarget, stop.signal);
    dockerS = (Date.now() - dockerBegan) / 1000;
  } finally {
    stop.abort(new Error('the Docker runs are over'));
    await Promise.all(joining);
    await Promise.all(lanes.map((lane) => stopEngineLane(lane, log).catch((error: Error) => log(`stopping lane ${lane.name}: ${error.message}`))));
    // an engine that cannot take the lab down is reported beside the table, not in place of it
    teardownError = await destroyOnEngine('lab', { lab, log, stateDir, api }).then(
      () => undefined,
      (error: Error) => error,
    );
    process.removeListener('SIGINT', interrupt);
  }
  // the native runs after the Docker labs are gone, so the two never share the cores
  const nativeDriver = new NativeDriver({ lab, lanes: nativeLanes, namePrefix: 'cms-bench', otlp: 'count' });
  const nativeBegan = Date.now();
  await inLanes(targets, nativeLanes, weight, async ({ target, noise, label }) => {
    for (let i = 0; i < repeat; i++) native.set(label, [...(native.get(label) ?? []), await runLifecycle(target, nativeDriver, { noise, log: (m) => log(`native ${label} ${i + 1}/${repeat} ${m}`) })]);
  });
  const nativeS = (Date.now() - nativeBegan) / 1000;
  // from the start of the revert until the alert is resolved and the steady state is back
  const recovery = (runs: RunObservation[]) => runs.flatMap((r) => (r.revertS === undefined || r.resolvedAfterS === undefined || r.steadyAfterS === undefined ? [] : [r.revertS + Math.max(r.resolvedAfterS, r.steadyAfterS)]));
  const rows = targets.map(({ label }) => {
    const d = docker.get(label) ?? [];
    const n = native.get(label) ?? [];
    // the control's every fired alert is unexpected
    const ok = [...d, ...n].every((r) => r.valid && r.unexpectedAlerts.length === 0 && r.drift.length === 0 && r.residue.length === 0);
    return `| ${label} | ${fmt(d.flatMap((r) => (r.firedAfterS === undefined ? [] : [r.firedAfterS])))} | ${fmt(n.flatMap((r) => (r.firedAfterS === undefined ? [] : [r.firedAfterS])))} | ${fmt(recovery(d))} | ${fmt(recovery(n))} | ${ok ? 'all clean' : 'SEE results/bench-docker.json'} |`;
  });
  const lines = [
    `bench:docker on ${new Date().toISOString()}: ${repeat} runs each per harness, ${((Date.now() - began) / 60_000).toFixed(1)} min (Docker: ${(dockerS / 60).toFixed(1)} min on ${dockerLanes} engine(s); native: ${(nativeS / 60).toFixed(1)} min in ${nativeLanes} lanes)`,
    '',
    `| Step | Seconds |`,
    '|---|---|',
    `| stand-in images (${standIns.join('; ')}) | ${standInS.toFixed(1)} |`,
    `| services/Dockerfile, cold (--no-cache) | ${coldBuildS.toFixed(1)} |`,
    `| apply lab (cached image build, containers healthy) | ${applyS.toFixed(1)} |`,
    `| applied → steady state | ${steadyS.toFixed(1)} |`,
    '',
    '| Scenario | Inject → firing, Docker (median, runs) | Native | Cleanup → recovered, Docker | Native | Valid, nothing unexpected, no drift, no residue |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    'Both through the one run lifecycle (Docker: the runner\'s command line on each engine lane, keep-observability resets: the CMS services restarted). Firing: from the start of the injection (Docker: the scenario apply) to the alert firing in Prometheus; recovery: from the start of the revert (Docker: the destroy, which waits until the service is back in the data flow) to the alert resolved and the steady state back.',
    'Reproduce: npm run bench:docker (as root; DOCKER_HOST set, or eval "export $(bash engine/dockerd.sh start)"; more than one Docker lab needs the engine lanes, root on Linux)',
    '',
  ];
  if (teardownError) lines.push(`The engine did not take the lab down: ${teardownError.message}`, `The Docker runs' records stay in ${resultsRoot}.`, '');
  process.stdout.write(lines.join('\n'));
  const out = path.join(projectRoot(), 'results', 'bench-docker.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ standInS, coldBuildS, applyS, steadyS, docker: Object.fromEntries(docker), native: Object.fromEntries(native), teardownError: teardownError?.message }, null, 2));
  if (teardownError) process.exitCode = 1;
  else rmSync(resultsRoot, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:docker failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
