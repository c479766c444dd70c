/** Agent adapters: the command agent's contract (files, environment, timeout, exit codes), OpenSRE's invocation, HolmesGPT's configuration. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildLabModel } from '../../model/lab';
import { scenarioAlert } from '../../scenarios/render';
import { scenario } from '../../scenarios';
import { CommandAgent } from '../../runner/agents/command';
import { holmesConfig } from '../../runner/agents/holmesgpt';
import { OpenSreAgent, openSreAlert } from '../../runner/agents/opensre';
import type { AgentInput } from '../../runner/agents/types';
import type { TelemetryAccess } from '../../runner/lab-driver';

const lab = buildLabModel();

const runDirs: string[] = [];
afterAll(() => runDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function input(overrides: Partial<AgentInput> = {}): AgentInput {
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'cms-agent-test-'));
  runDirs.push(runDir);
  const alertPath = path.join(runDir, 'alert.json');
  const alert = scenarioAlert(scenario('sensor-down'), lab);
  writeFileSync(alertPath, JSON.stringify(alert));
  const access: TelemetryAccess = { sources: { metrics: { kind: 'none', queryRange: async () => [] } }, env: { CMS_PROMETHEUS_URL: 'http://127.0.0.1:9' }, description: 'test' };
  return { runDir, alertPath, alert, access, timeoutMs: 10_000, ...overrides };
}

describe('CommandAgent', () => {
  it('passes the alert and result paths and the endpoints, and reads the result file', async () => {
    const agent = new CommandAgent(`node -e "const fs=require('fs');const a=JSON.parse(fs.readFileSync(process.env.ALERT_FILE,'utf8'));fs.writeFileSync(process.argv[1],JSON.stringify({root_cause:a.commonLabels.pipeline_name+' stopped', report:process.env.CMS_PROMETHEUS_URL}))" {result}`);
    const run = await agent.investigate(input());
    expect(run).toMatchObject({ format: 'generic', exitCode: 0, timedOut: false, error: undefined });
    expect(JSON.parse(run.raw as string)).toEqual({ root_cause: 'radar-sensor stopped', report: 'http://127.0.0.1:9' });
  });

  it('falls back to stdout when the agent writes no result file', async () => {
    const run = await new CommandAgent("echo '## Root cause'; echo 'radar-sensor stopped.'").investigate(input());
    expect(run.raw).toBe('## Root cause\nradar-sensor stopped.\n');
  });

  it('kills a hanging agent at its timeout, children included, and says so', async () => {
    const began = Date.now();
    const run = await new CommandAgent('sleep 30 & sleep 30').investigate(input({ timeoutMs: 500 }));
    expect(Date.now() - began).toBeLessThan(10_000);
    expect(run).toMatchObject({ timedOut: true, error: 'timed out after 500 ms and was killed', raw: undefined });
  });

  it('reports a non-zero exit, keeping what it printed', async () => {
    const run = await new CommandAgent('echo partial analysis; echo boom >&2; exit 3').investigate(input());
    expect(run).toMatchObject({ exitCode: 3, error: 'exited with 3' });
    expect(run.transcript).toContain('boom');
  });

  it('stops when the run is aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('interrupted')), 300);
    const run = await new CommandAgent('sleep 30').investigate(input({ signal: controller.signal }));
    expect(run.error).toBe('aborted');
  });

  it('refuses an empty command', () => {
    expect(() => new CommandAgent('  ')).toThrow(/needs a command/);
  });
});

describe('OpenSreAgent', () => {
  it('runs opensre investigate inside the lab container on the shared work folder', () => {
    const agent = new OpenSreAgent({ container: 'opensre', hostWorkDir: '/tmp/w' });
    expect(agent.execArgs('run-1')).toEqual(['exec', 'opensre', 'opensre', 'investigate', '-i', '/work/run-1/alert.json', '-o', '/work/run-1/rca.json']);
    expect(agent.execArgs('run-1', 'qwen3:8b')).toEqual(['exec', '-e', 'OLLAMA_MODEL=qwen3:8b', 'opensre', 'opensre', 'investigate', '-i', '/work/run-1/alert.json', '-o', '/work/run-1/rca.json']);
  });

  it('hands OpenSRE the notification in its own Grafana shape and reads its rca.json back', async () => {
    const hostWorkDir = mkdtempSync(path.join(os.tmpdir(), 'cms-opensre-work-'));
    // stands in for `docker exec opensre opensre investigate -i <in> -o <out>`, with /work mounted at hostWorkDir
    const docker = path.join(hostWorkDir, 'fake-docker');
    writeFileSync(docker, `#!/bin/sh\nin=$(echo "$6" | sed "s#^/work#${hostWorkDir}#")\nout=$(echo "$8" | sed "s#^/work#${hostWorkDir}#")\nname=$(sed -n 's/^  "pipeline_name": "\\(.*\\)",$/\\1/p' "$in")\nprintf '{"root_cause": "%s stopped", "is_noise": false}' "$name" > "$out"\necho investigating "$name"\n`, { mode: 0o755 });
    const given = input({ access: { sources: { metrics: { kind: 'none', queryRange: async () => [] } }, env: { CMS_GRAFANA_URL: 'http://127.0.0.1:13000' }, description: 'test' } });
    const run = await new OpenSreAgent({ container: 'opensre', hostWorkDir, docker }).investigate(given);
    expect(run).toMatchObject({ format: 'opensre', exitCode: 0, raw: '{"root_cause": "radar-sensor stopped", "is_noise": false}', transcript: expect.stringContaining('investigating radar-sensor') });
    expect(run.error).toBeUndefined();
    const handed = JSON.parse(readFileSync(path.join(given.runDir, 'opensre-alert.json'), 'utf8'));
    expect(handed).toEqual({ ...given.alert, alert_name: 'Sensor down', pipeline_name: 'radar-sensor', severity: 'critical' });
  });

  it('never overrides a top-level field the notification already has', () => {
    expect(openSreAlert({ alert_name: 'mine', commonLabels: { alertname: 'Sensor down' } })).toEqual({ alert_name: 'mine', commonLabels: { alertname: 'Sensor down' } });
    expect(openSreAlert({ title: 'no labels' })).toEqual({ title: 'no labels' });
  });

  it('refuses to run without Grafana (the native lab)', async () => {
    const run = await new OpenSreAgent({ container: 'opensre', hostWorkDir: '/tmp/w' }).investigate(input());
    expect(run.error).toMatch(/reads Grafana only/);
  });
});

describe('holmesConfig', () => {
  it('reads Prometheus, Loki and Tempo through the Grafana proxy with the token', () => {
    const config = holmesConfig(lab, { CMS_GRAFANA_URL: 'http://127.0.0.1:13000' }, 'glsa_token') as { toolsets: Record<string, { enabled: boolean; config?: Record<string, unknown> }> };
    expect(config.toolsets['grafana/loki']).toEqual({ enabled: true, config: { url: 'http://127.0.0.1:13000', api_key: 'glsa_token', grafana_datasource_uid: 'cms-loki' } });
    expect(config.toolsets['grafana/tempo'].config?.grafana_datasource_uid).toBe('cms-tempo');
    expect(config.toolsets['prometheus/metrics'].config?.prometheus_url).toBe('http://127.0.0.1:13000/api/datasources/proxy/uid/cms-prometheus/');
    expect(config.toolsets['kubernetes/core'].enabled).toBe(false);
  });

  it('reads Prometheus directly on the native lab', () => {
    const config = holmesConfig(lab, { CMS_PROMETHEUS_URL: 'http://127.0.0.1:41177' }, undefined) as { toolsets: Record<string, { config?: Record<string, unknown> }> };
    expect(config.toolsets['prometheus/metrics'].config).toEqual({ prometheus_url: 'http://127.0.0.1:41177' });
    expect(config.toolsets['grafana/loki']).toBeUndefined();
  });
});

