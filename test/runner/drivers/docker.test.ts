/**
 * The Docker driver with cdktf as its stack tool, its shell and probe
 * injected (the path of a Docker host with Terraform providers, which this
 * machine cannot run; the applier path runs on the real engine in
 * test/engine/docker-lab.system.test.ts): the commands it runs, the real
 * Grafana notification it hands over, and the fault removed whatever the
 * agent does — hang, fail, or the run being interrupted.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildLabModel } from '../../../model/lab';
import { scenario } from '../../../scenarios';
import { scenarioAlert } from '../../../scenarios/render';
import { CommandAgent } from '../../../runner/agents/command';
import { CdktfStacks, DockerDriver, type DockerDriverProps, type LabProbe, type Shell } from '../../../runner/drivers/docker';
import { LabNotReadyError } from '../../../runner/lab-driver';
import { runLifecycle } from '../../../runner/lifecycle';
import { runMatrix } from '../../../runner/run';

const lab = buildLabModel();
const spec = scenario('sensor-down');

function fixture(options: { fires?: boolean; notifies?: boolean } = {}) {
  const commands: string[] = [];
  let injected = false;
  const shell: Shell = async (file, args) => {
    const line = [file, ...args].join(' ');
    commands.push(line);
    if (line.includes('deploy scenario-')) injected = true;
    if (line.includes('destroy scenario-')) injected = false;
    return { exitCode: 0, output: `ran ${line}\n` };
  };
  const notification = { ...scenarioAlert(spec, lab), commonAnnotations: { summary: 'radar down' } };
  const probe: LabProbe = {
    firingAlerts: async () => (injected && options.fires !== false ? ['sensor-down'] : []),
    steady: async () => !injected,
    notifications: async () => (injected && options.fires !== false && options.notifies !== false ? [notification] : []),
  };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cms-docker-backend-'));
  const tokenFile = path.join(dir, 'token');
  writeFileSync(tokenFile, 'glsa_secretvalue_0123456789\n');
  // every container of the lab running and healthy
  const inspect = (args: readonly string[]) => (args[0] === 'version' ? '28.2.2' : args[0] === 'network' ? 'cms-lab' : 'running healthy');
  const driver = (extra: Partial<DockerDriverProps> = {}) => new DockerDriver({ lab, shell, stacks: new CdktfStacks(shell), probe, inspect, pollMs: 5, tokenFile, ...extra });
  return { commands, shell, probe, dir, tokenFile, driver, isInjected: () => injected };
}

describe('DockerDriver with cdktf', () => {
  it('says the lab is not up, and how to deploy it, when it is not', async () => {
    // a socket nothing serves: no engine answers there
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      const driver = new DockerDriver({ lab, stacks: new CdktfStacks(), tokenFile: '/nonexistent/token' });
      await expect(driver.check()).rejects.toThrow(LabNotReadyError);
      await expect(driver.check()).rejects.toThrow(/the lab is not up \(.*\): deploy it first with 'npx cdktf deploy lab'/);
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
  });

  it("plays the noise with docker and, at close, looks for the very neighbour it started: one still there is residue", async () => {
    const f = fixture();
    const left = new Set<string>();
    const shell: Shell = async (file, args) => {
      const ps = args[0] === 'ps' ? /\^\/(.+)\$/.exec(args[3])?.[1] : undefined;
      if (ps !== undefined) return { exitCode: 0, output: left.has(ps) ? `${ps}\n` : '' };
      if (args[0] === 'run') left.add(args[args.indexOf('--name') + 1]);
      return f.shell(file, args);
    };
    const run = await f.driver({ shell, stacks: new CdktfStacks(shell) }).open('x', () => undefined);
    await run.noise.restart('tactical-display');
    await run.noise.requestDiagnostics('track-fusion');
    await run.noise.startNeighbour('batch-reindex', 0.1);
    expect(f.commands.slice(-4)).toEqual(['docker restart tactical-display', 'docker kill --signal SIGUSR2 track-fusion', 'docker rm -f batch-reindex', expect.stringMatching(/^docker run -d --name batch-reindex --network none --memory 64m --entrypoint node cms-lab\/cms-service:0\.1\.0 -e /)]);
    // a profile's own neighbour, not the ambient one's name
    expect((await run.close(() => undefined)).residue).toContain('container batch-reindex');
  });

  it('resets observability, injects, hands over Grafana\'s notification, then destroys the scenario', async () => {
    const f = fixture();
    let handed: unknown;
    const record = await runLifecycle(spec, f.driver(), { onFiring: async (m) => void (handed = m) });
    expect(f.commands).toEqual([
      'docker rm -f prometheus loki tempo otel-collector',
      'docker volume rm -f cms-lab-prometheus-data cms-lab-loki-data cms-lab-tempo-data',
      'npx cdktf deploy lab --auto-approve',
      ...['radar-sensor', 'esm-sensor', 'eo-sensor', 'track-fusion', 'threat-evaluator', 'command-center', 'effector-manager', 'tactical-display'].map((s) => `docker restart ${s}`),
      'npx cdktf deploy scenario-sensor-down --auto-approve',
      'npx cdktf destroy scenario-sensor-down --auto-approve',
    ]);
    expect(handed).toMatchObject({ notificationSource: 'grafana-webhook', notification: { alert_source: 'grafana', commonLabels: { pipeline_name: 'radar-sensor' } } });
    expect((handed as { access: { env: Record<string, string> } }).access.env).toEqual({ CMS_GRAFANA_URL: 'http://127.0.0.1:13000', CMS_GRAFANA_TOKEN_FILE: f.tokenFile });
    expect(record).toMatchObject({ valid: true, firedAlerts: ['sensor-down'], unexpectedAlerts: [], residue: [], mechanism: expect.stringContaining('cdktf deploy/destroy') });
    expect(record.steadyAfterS).toBeDefined();
  });

  it('hands over the rendered alert.json, and says so, when Grafana sends no notification', async () => {
    const f = fixture({ notifies: false });
    let handed: { notificationSource: string; notification: { commonLabels: Record<string, string> } } | undefined;
    const logs: string[] = [];
    await runLifecycle(spec, f.driver({ notificationWaitMs: 50 }), { log: (m) => logs.push(m), onFiring: async (m) => void (handed = m as never) });
    expect(handed).toMatchObject({ notificationSource: 'rendered-fallback', notification: { commonLabels: { alertname: 'Sensor down', pipeline_name: 'radar-sensor' } } });
    expect(logs.join('\n')).toContain('no notification from Grafana within 0.05 s: handing over the rendered alert.json');
  });

  it('with --keep-observability only restarts the CMS services', async () => {
    const f = fixture();
    await runLifecycle(spec, f.driver({ keepObservability: true }));
    expect(f.commands[0]).toBe('docker restart radar-sensor');
    expect(f.commands.some((c) => c.includes('volume rm'))).toBe(false);
  });

  it('removes the fault when the run is interrupted while waiting for the alert', async () => {
    const f = fixture({ fires: false });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('interrupted by SIGINT')), 100);
    await expect(runLifecycle(spec, f.driver(), { signal: controller.signal })).rejects.toThrow('interrupted by SIGINT');
    expect(f.commands.at(-1)).toBe('npx cdktf destroy scenario-sensor-down --auto-approve');
    expect(f.isInjected()).toBe(false);
  });

  // only the hanging agent meets its timeout: the others get time enough on a loaded machine (a sandboxed start can take over 300 ms)
  it.each([
    ['hangs', 'sleep 30', 300, 'timeout', /timed out after 300 ms/],
    ['exits non-zero', 'echo half an answer; exit 3', 30_000, 'ok', /exited with 3/],
    ['writes garbage', "printf '{\"root_cause\": ' > \"$RESULT_FILE\"; exit 1", 30_000, 'failed', /exited with 1/],
  ])('an agent that %s is recorded as such, its artefacts kept, the fault removed, no secret written', async (_what, command, agentTimeoutMs, status, error) => {
    const f = fixture();
    const results = path.join(f.dir, 'results');
    const [record] = await runMatrix({ driver: f.driver(), agent: new CommandAgent(command), targets: [spec], resultsDir: results, agentTimeoutMs });
    expect(record.outcome).toBe('scored');
    expect(record.output?.status).toBe(status);
    expect(record.agentRun?.error).toMatch(error);
    expect(f.commands.at(-1)).toBe('npx cdktf destroy scenario-sensor-down --auto-approve');
    const runDir = path.join(results, 'sensor-down', record.runId);
    expect(readdirSync(runDir).sort()).toEqual(expect.arrayContaining(['alert.json', 'agent-transcript.txt', 'audit.json', 'cleanup.log', 'inject.log', 'record.json', 'score.json']));
    expect(readFileSync(path.join(runDir, 'cleanup.log'), 'utf8')).toContain('cdktf destroy scenario-sensor-down');
    // every artefact, the reference baselines' included
    for (const file of readdirSync(runDir, { recursive: true }) as string[]) if (statSync(path.join(runDir, file)).isFile()) expect(readFileSync(path.join(runDir, file), 'utf8')).not.toContain('glsa_secretvalue');
    expect(existsSync(path.join(results, 'catalogue.json'))).toBe(true);
  });
});
