/**
 * The Docker lab, run for real on a Docker engine (the test command starts a
 * private dockerd): stand-in images built from Debian packages, the `lab`
 * stack's Docker resources applied from the synthesized cdk.tf.json by the
 * applier, steady state over the Docker bridge with multicast discovery, the
 * bind mounts readable by each image's user, and every scenario stack
 * applied and destroyed — its alert fires in the containerised Prometheus
 * within budget, nothing unexpected fires, and afterwards the lab is back
 * exactly as the `lab` stack declares it, in steady state, with no residue.
 *
 * What has no image here (Grafana, Loki, Tempo, the Collector, OpenSRE) is
 * reported as not run by the applier and asserted to be exactly that set;
 * the scenario stacks' lab-up check skips those containers through
 * CMS_LAB_NOT_RUN_HERE (the stack itself is unchanged).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ApplyReport, applyStack, destroyStack, readState } from '../../engine/applier';
import { dockerApi } from '../../engine/docker-api';
import { standInFor } from '../../engine/images';
import { applyOnEngine, buildStandIns, destroyOnEngine, stackDir, synthStacks } from '../../engine/lab-engine';
import { copyCheckout } from '../support/checkout-copy';
import { engineResidue, engineSteadyState, labDrift, labPrometheus, runScenarioOnEngine, waitForEngineBaseline } from '../../engine/scenario-run';
import { waitFor } from '../../harness/native-lab';
import { buildLabModel } from '../../model/lab';
import { CMS_SERVICES } from '../../model/services';
import { SCENARIOS } from '../../scenarios';
import { ensureAdminPassword, ensureAgentDirs, grantMountAccess, hostPaths, mountAccessList, mountAccessProblems } from '../../stacks/host-paths';

function engineAnswers(): boolean {
  try {
    execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { stdio: 'pipe', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

const required = process.env.CMS_LAB_REQUIRE_DOCKER === '1';
const available = engineAnswers();
if (required && !available) throw new Error(`CMS_LAB_REQUIRE_DOCKER=1 but no Docker engine answers at ${process.env.DOCKER_HOST ?? 'the default socket'}`);
if (!available) process.stderr.write('docker-lab.system.test: no Docker engine reachable; skipped (npm test starts one as root on Linux)\n');
const describeEngine = available ? describe : describe.skip;

const lab = buildLabModel();
const api = dockerApi();
const log = (line: string) => {
  if (!line.startsWith('    |')) process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
};

/** The images Debian cannot stand in for: what the README lists as needing a Docker host with registry access. */
const NOT_RUN_CONTAINERS = ['grafana', 'loki', 'opensre', 'otel-collector', 'tempo'];

describeEngine('the Docker lab on a real engine', () => {
  let home: string;
  let stateDir: string;
  let labReport: ApplyReport;
  const savedHome = process.env.CMS_LAB_HOME;

  beforeAll(async () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'cms-engine-home-'));
    stateDir = path.join(home, 'engine-state');
    // the synthesized mounts and the applier's state live in this test's own home
    process.env.CMS_LAB_HOME = home;
    for (const line of await buildStandIns()) log(`stand-in ${line}`);
    synthStacks(lab);
    const paths = hostPaths();
    ensureAdminPassword(paths);
    ensureAgentDirs(paths, ['opensre']);
    labReport = await applyOnEngine('lab', { lab, log, stateDir, api });
  }, 30 * 60_000);

  afterAll(async () => {
    try {
      if (stateDir) await destroyOnEngine('lab', { lab, log, stateDir, api });
    } finally {
      if (savedHome === undefined) delete process.env.CMS_LAB_HOME;
      else process.env.CMS_LAB_HOME = savedHome;
      rmSync(home, { recursive: true, force: true });
    }
  }, 10 * 60_000);

  it('runs every container that has an image here, on stand-ins where upstream cannot be pulled, and names what it could not run', () => {
    const notRun = (readState(stateDir, 'lab')?.resources ?? []).filter((r) => r.type === 'docker_container' && r.notRun).map((r) => r.name);
    expect(notRun.sort()).toEqual(NOT_RUN_CONTAINERS);
    const running = (readState(stateDir, 'lab')?.resources ?? []).filter((r) => r.type === 'docker_container' && !r.notRun).map((r) => r.name);
    expect(running.sort()).toEqual([...CMS_SERVICES.map((s) => s.name), 'alert-sink', 'prometheus'].sort());
    // stand-ins only under a local name, and reported
    const standIns = new Map(labReport.standIns.map((s) => [s.requested, s.standIn]));
    expect(standIns.get(lab.images.prometheus)).toMatch(/^cms-lab-standin\/prometheus:/);
    expect([...standIns.values()].every((tag) => tag?.startsWith('cms-lab-standin/'))).toBe(true);
    expect([...standIns.keys()].some((ref) => ref.startsWith('node:'))).toBe(true);
    expect(labReport.notRun.map((n) => n.address).filter((a) => a.startsWith('grafana_')).length).toBeGreaterThan(0);
  });

  it('reaches steady state over the Docker bridge: three tracks fed by every sensor, engagements resolved, every health check passing, no service as root', async () => {
    const prometheus = labPrometheus(lab);
    await waitForEngineBaseline(lab, prometheus, 180_000);
    const display = lab.cms.services.find((s) => s.name === 'tactical-display')!.hostPort!;
    await waitFor(
      'a resolved engagement in the tactical picture',
      async () => {
        const picture = (await (await fetch(`http://${lab.bindAddress}:${display}/api/picture`)).json()) as { engagements: Array<{ status: string }> };
        return picture.engagements.some((e) => e.status === 'HIT' || e.status === 'MISS');
      },
      180_000,
      2000,
    );
    for (const service of [...CMS_SERVICES.map((s) => s.name), 'alert-sink', 'prometheus']) {
      const state = execFileSync('docker', ['inspect', '--format', '{{.State.Health.Status}}', service], { encoding: 'utf8' }).trim();
      expect(`${service} ${state}`).toBe(`${service} healthy`);
      const uid = execFileSync('docker', ['exec', service, 'id', '-u'], { encoding: 'utf8' }).trim();
      expect(`${service} uid ${uid}`).not.toBe(`${service} uid 0`);
    }
    expect(await labDrift(api, stateDir)).toEqual([]);
  }, 8 * 60_000);

  it("makes every bind-mounted file readable, and every mounted folder usable, by its image's user; an unreadable secret is refused", async () => {
    const standIn = await standInFor(api, 'node:any');
    expect(standIn).toBeDefined();
    const paths = hostPaths();
    const access = mountAccessList(paths, lab);
    expect(access.map((a) => a.uid).sort((x, y) => x - y)).toEqual([472, 10010, 10010]);
    grantMountAccess(access);
    expect(mountAccessProblems(access)).toEqual([]);
    // the stack's own mounts, as synthesized: Grafana's admin password, OpenSRE's token and work folder
    const stack = JSON.parse(readFileSync(path.join(stackDir('lab'), 'cdk.tf.json'), 'utf8')) as { resource: { docker_container: Record<string, { name: string; volumes?: Array<{ host_path?: string; container_path: string; read_only?: boolean }> }> } };
    const mounts = (name: string) =>
      Object.values(stack.resource.docker_container)
        .find((c) => c.name === name)!
        .volumes!.filter((v) => v.host_path)
        .map((v) => ({ host: v.host_path!.replace(/^\$\{pathexpand\("~\/(.*)"\)\}$/, (_, rest: string) => path.join(os.homedir(), rest)), path: v.container_path, readOnly: v.read_only ?? false }));
    const runAs = (uid: number, binds: ReturnType<typeof mounts>, script: string) =>
      execFileSync('docker', ['run', '--rm', '--network', 'none', '--user', String(uid), ...binds.flatMap((b) => ['-v', `${b.host}:${b.path}:${b.readOnly ? 'ro' : 'rw'}`]), standIn!.tag, 'sh', '-c', script], { encoding: 'utf8', stdio: 'pipe' });
    const grafana = mounts('grafana');
    expect(grafana).toHaveLength(1);
    expect(runAs(472, grafana, `wc -c < ${grafana[0].path}`).trim()).toBe(String(readFileSync(paths.adminPasswordFile).length));
    const opensre = mounts('opensre');
    writeFileSync(paths.agentTokenFile, 'token-for-the-mount-test', { mode: 0o600 });
    const folder = opensre.find((m) => !m.readOnly)!;
    const token = opensre.find((m) => m.readOnly)!;
    expect(runAs(10010, opensre, `cat ${token.path} && touch ${folder.path}/probe && rm ${folder.path}/probe && echo usable`)).toBe('token-for-the-mount-test' + 'usable\n');
    // a secret the container's user cannot read is named, and the container indeed cannot read it
    execFileSync('chown', ['0:0', paths.adminPasswordFile]);
    expect(mountAccessProblems(access)).toEqual([expect.stringMatching(/^Grafana runs as uid 472 and cannot read .*grafana-admin-password \(owner uid 0, mode 600\)$/)]);
    expect(() => runAs(472, grafana, `cat ${grafana[0].path}`)).toThrow(/Permission denied/);
    grantMountAccess(access);
    expect(mountAccessProblems(access)).toEqual([]);
  }, 5 * 60_000);

  describe.each(SCENARIOS.map((s) => [s.name, s] as const))('scenario-%s', (_name, spec) => {
    it('fires its alert within budget, nothing unexpected, and destroys back to the declared lab in steady state, no residue', async () => {
      const result = await runScenarioOnEngine(spec, { lab, log, stateDir, api });
      log(`${spec.name}: fired after ${result.firedAfterS?.toFixed(1)} s (budget ${result.budget.budgetS} s), destroy ${result.destroyS?.toFixed(1)} s, recovered after ${result.recoveredAfterS?.toFixed(1)} s`);
      expect(result.valid).toBe(true);
      expect(result.firedAfterS).toBeLessThanOrEqual(result.budget.budgetS);
      expect(result.unexpected).toEqual([]);
      expect(result.drift).toEqual([]);
      expect(result.recoveredAfterS).toBeDefined();
      expect(result.residue).toEqual([]);
      expect(await engineSteadyState(lab)).toBe(true);
      expect(await engineResidue(api, stateDir, `scenario-${spec.name}`)).toEqual([]);
    }, 12 * 60_000);
  });

  it('destroys a scenario from another checkout than the one that deployed it, the first one gone', async () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'cms-two-checkouts-'));
    try {
      const first = copyCheckout(path.join(base, 'first'));
      const second = copyCheckout(path.join(base, 'elsewhere', 'second'));
      for (const checkout of [first, second]) synthStacks(lab, path.join(checkout, 'cdktf.out'));
      const stack = (checkout: string) => path.join(checkout, 'cdktf.out', 'stacks', 'scenario-sensor-down');
      expect(readFileSync(path.join(stack(second), 'cdk.tf.json'), 'utf8')).toBe(readFileSync(path.join(stack(first), 'cdk.tf.json'), 'utf8'));
      await waitForEngineBaseline(lab, labPrometheus(lab));
      await applyStack({ stackDir: stack(first), stateDir, api, log });
      await waitFor('radar-sensor stopped', async () => execFileSync('docker', ['inspect', '--format', '{{.State.Status}}', 'radar-sensor'], { encoding: 'utf8' }).trim() === 'exited', 60_000);
      rmSync(first, { recursive: true, force: true });
      await destroyStack({ stackDir: stack(second), stateDir, api, log });
      expect(execFileSync('docker', ['inspect', '--format', '{{.State.Health.Status}}', 'radar-sensor'], { encoding: 'utf8' }).trim()).toBe('healthy');
      expect(await labDrift(api, stateDir)).toEqual([]);
      await waitForEngineBaseline(lab, labPrometheus(lab), 180_000);
      expect(await engineResidue(api, stateDir, 'scenario-sensor-down')).toEqual([]);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  }, 10 * 60_000);
});

