/**
 * npm run bench:docker — the Docker lab on the real engine beside the native
 * harness, in one run: stand-in and image build times (a cold, no-cache build
 * of services/Dockerfile and the cached rebuild `apply lab` does), lab apply
 * → steady state, and per scenario, three times in a row on each harness,
 * inject → firing and cleanup → recovered. Needs DOCKER_HOST (or
 * engine/dockerd.sh start) and root for the native harness.
 * The control runs as often on each harness, quiet and in the lab's ambient
 * noise (it must fire nothing either way), unless --only picks scenarios.
 * Options: --repeat N (default 3), --only a,b.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dockerApi } from '../engine/docker-api';
import { applyOnEngine, buildStandIns, destroyOnEngine, engineStateDir, synthStacks } from '../engine/lab-engine';
import { labPrometheus, waitForEngineBaseline } from '../engine/lab-checks';
import { buildLabModel } from '../model/lab';
import { ApplierStacks, DockerDriver } from '../runner/drivers/docker';
import { NativeDriver } from '../runner/drivers/native';
import { type RunObservation, runLifecycle } from '../runner/lifecycle';
import { controlQuietAndNoisy, noisyTarget } from '../runner/run';
import { median } from '../runner/summary';
import { SCENARIOS, scenario } from '../scenarios';
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

async function main(): Promise<void> {
  const repeat = Number(option('repeat') ?? 3);
  const chosen = option('only') ? (option('only') as string).split(',').map((n) => scenario(n)) : [...SCENARIOS];
  const lab = buildLabModel();
  const api = dockerApi();
  const stateDir = engineStateDir();
  // the applier's command output (lines starting '    |') is left out
  const log = (m: string) => {
    if (!/^(\S+ \d+\/\d+ )?    \|/.test(m)) process.stderr.write(`[bench:docker] ${m}\n`);
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
  const [, applyS] = await timed(() => applyOnEngine('lab', { lab, log, stateDir, api }));
  const [, steadyS] = await timed(() => waitForEngineBaseline(lab, labPrometheus(lab), 300_000));
  const targets = [...chosen.map((spec) => noisyTarget(spec)), ...(option('only') ? [] : controlQuietAndNoisy(lab))];
  const docker = new Map<string, RunObservation[]>();
  const native = new Map<string, RunObservation[]>();
  const dockerDriver = new DockerDriver({ lab, keepObservability: true, stacks: new ApplierStacks(lab, stateDir, api) });
  const nativeDriver = new NativeDriver({ lab, namePrefix: 'cms-bench', otlp: 'count' });
  try {
    for (const { target, noise, label } of targets) {
      for (let i = 0; i < repeat; i++) {
        docker.set(label, [...(docker.get(label) ?? []), await runLifecycle(target, dockerDriver, { noise, log: (m) => log(`docker ${i + 1}/${repeat} ${m}`) })]);
      }
    }
  } finally {
    await destroyOnEngine('lab', { lab, log, stateDir, api });
  }
  // the native runs after the Docker lab is gone, so the two never share the cores
  for (const { target, noise, label } of targets) {
    for (let i = 0; i < repeat; i++) native.set(label, [...(native.get(label) ?? []), await runLifecycle(target, nativeDriver, { noise, log: (m) => log(`native ${i + 1}/${repeat} ${m}`) })]);
  }
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
    `bench:docker on ${new Date().toISOString()}: ${repeat} runs each per harness, ${((Date.now() - began) / 60_000).toFixed(1)} min`,
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
    'Both through the one run lifecycle (keep-observability reset on Docker: the CMS services restarted). Firing: from the start of the injection (Docker: the scenario apply) to the alert firing in Prometheus; recovery: from the start of the revert (Docker: the destroy, which waits until the service is back in the data flow) to the alert resolved and the steady state back.',
    'Reproduce: npm run bench:docker (as root; DOCKER_HOST set, or eval "export $(bash engine/dockerd.sh start)")',
    '',
  ];
  process.stdout.write(lines.join('\n'));
  const out = path.join(projectRoot(), 'results', 'bench-docker.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ standInS, coldBuildS, applyS, steadyS, docker: Object.fromEntries(docker), native: Object.fromEntries(native) }, null, 2));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:docker failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
