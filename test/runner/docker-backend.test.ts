/**
 * The Docker backend's run lifecycle with its shell and HTTP probe
 * injected (no Docker engine here): the commands it runs, the real Grafana
 * notification it hands over, and the fault removed whatever the agent
 * does — hang, fail, or the run being interrupted.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { alertRule } from '../../model/alerts';
import { buildLabModel } from '../../model/lab';
import { scenario } from '../../scenarios';
import { scenarioAlert } from '../../scenarios/render';
import { CommandAgent } from '../../runner/agents/command';
import { DockerBackend, type LabProbe, type Shell } from '../../runner/backends/docker';
import { LabNotReadyError } from '../../runner/backends/types';
import { runMatrix } from '../../runner/run';

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
    firingAlerts: async () => (injected && options.fires !== false ? [alertRule('sensor-down').title] : []),
    steady: async () => !injected,
    notifications: async () => (injected && options.fires !== false && options.notifies !== false ? [notification] : []),
  };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cms-docker-backend-'));
  const tokenFile = path.join(dir, 'token');
  writeFileSync(tokenFile, 'glsa_secretvalue_0123456789\n');
  return { commands, shell, probe, dir, tokenFile, isInjected: () => injected };
}

describe('DockerBackend', () => {
  it('says the lab is not up, and how to deploy it, when it is not', async () => {
    const backend = new DockerBackend({ lab, tokenFile: '/nonexistent/token' });
    await expect(backend.check()).rejects.toThrow(LabNotReadyError);
    await expect(backend.check()).rejects.toThrow(/the lab is not up \(.*\): deploy it first with 'npx cdktf deploy lab'/);
  });

  it('resets observability, injects, hands over Grafana\'s notification, then destroys the scenario', async () => {
    const f = fixture();
    const backend = new DockerBackend({ lab, shell: f.shell, probe: f.probe, pollMs: 5, tokenFile: f.tokenFile });
    let handed: unknown;
    const record = await backend.runScenario(spec, { log: () => undefined, onFiring: async (m) => void (handed = m) });
    expect(f.commands).toEqual([
      'docker rm -f prometheus loki tempo otel-collector',
      'docker volume rm -f cms-lab-prometheus-data cms-lab-loki-data cms-lab-tempo-data',
      'npx cdktf deploy lab --auto-approve',
      `docker restart ${['radar-sensor', 'esm-sensor', 'eo-sensor', 'track-fusion', 'threat-evaluator', 'command-center', 'effector-manager', 'tactical-display'].join(' ')}`,
      'npx cdktf deploy scenario-sensor-down --auto-approve',
      'npx cdktf destroy scenario-sensor-down --auto-approve',
    ]);
    expect(handed).toMatchObject({ notificationSource: 'grafana-webhook', notification: { alert_source: 'grafana', commonLabels: { pipeline_name: 'radar-sensor' } } });
    expect((handed as { access: { env: Record<string, string> } }).access.env).toEqual({ CMS_GRAFANA_URL: 'http://127.0.0.1:13000', CMS_GRAFANA_TOKEN_FILE: f.tokenFile, CMS_PROMETHEUS_URL: 'http://127.0.0.1:19090' });
    expect(record).toMatchObject({ valid: true, firedAlerts: ['Sensor down'], unexpectedAlerts: [], residue: [] });
    expect(record.steadyAfterS).toBeDefined();
  });

  it('hands over the rendered alert.json, and says so, when Grafana sends no notification', async () => {
    const f = fixture({ notifies: false });
    let handed: { notificationSource: string; notification: { commonLabels: Record<string, string> } } | undefined;
    const logs: string[] = [];
    await new DockerBackend({ lab, shell: f.shell, probe: f.probe, pollMs: 5, tokenFile: f.tokenFile, notificationWaitMs: 50 }).runScenario(spec, { log: (m) => logs.push(m), onFiring: async (m) => void (handed = m as never) });
    expect(handed).toMatchObject({ notificationSource: 'rendered-fallback', notification: { commonLabels: { alertname: 'Sensor down', pipeline_name: 'radar-sensor' } } });
    expect(logs.join('\n')).toContain('no notification from Grafana within 0.05 s: handing over the rendered alert.json');
  });

  it('with --keep-observability only restarts the CMS services', async () => {
    const f = fixture();
    await new DockerBackend({ lab, shell: f.shell, probe: f.probe, pollMs: 5, tokenFile: f.tokenFile, keepObservability: true }).runScenario(spec, { log: () => undefined, onFiring: async () => undefined });
    expect(f.commands[0]).toMatch(/^docker restart radar-sensor /);
    expect(f.commands.some((c) => c.includes('volume rm'))).toBe(false);
  });

  it('removes the fault when the run is interrupted while waiting for the alert', async () => {
    const f = fixture({ fires: false });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('interrupted by SIGINT')), 100);
    await expect(new DockerBackend({ lab, shell: f.shell, probe: f.probe, pollMs: 5, tokenFile: f.tokenFile }).runScenario(spec, { log: () => undefined, signal: controller.signal, onFiring: async () => undefined })).rejects.toThrow('interrupted by SIGINT');
    expect(f.commands.at(-1)).toBe('npx cdktf destroy scenario-sensor-down --auto-approve');
    expect(f.isInjected()).toBe(false);
  });

  it.each([
    ['hangs', 'sleep 30', 'timeout', /timed out after 300 ms/],
    ['exits non-zero', 'echo half an answer; exit 3', 'ok', /exited with 3/],
    ['writes garbage', "printf '{\"root_cause\": ' > \"$RESULT_FILE\"; exit 1", 'failed', /exited with 1/],
  ])('an agent that %s is recorded as such, its artefacts kept, the fault removed, no secret written', async (_what, command, status, error) => {
    const f = fixture();
    const results = path.join(f.dir, 'results');
    const [record] = await runMatrix({ backend: new DockerBackend({ lab, shell: f.shell, probe: f.probe, pollMs: 5, tokenFile: f.tokenFile }), agent: new CommandAgent(command), targets: [spec], resultsDir: results, agentTimeoutMs: 300 });
    expect(record.outcome).toBe('scored');
    expect(record.output?.status).toBe(status);
    expect(record.agentRun?.error).toMatch(error);
    expect(f.commands.at(-1)).toBe('npx cdktf destroy scenario-sensor-down --auto-approve');
    const runDir = path.join(results, 'sensor-down', record.runId);
    expect(readdirSync(runDir).sort()).toEqual(expect.arrayContaining(['alert.json', 'agent-transcript.txt', 'audit.json', 'cleanup.log', 'inject.log', 'record.json', 'score.json']));
    expect(readFileSync(path.join(runDir, 'cleanup.log'), 'utf8')).toContain('cdktf destroy scenario-sensor-down');
    for (const file of readdirSync(runDir)) expect(readFileSync(path.join(runDir, file), 'utf8')).not.toContain('glsa_secretvalue');
    expect(existsSync(path.join(results, 'catalogue.json'))).toBe(true);
  });
});
