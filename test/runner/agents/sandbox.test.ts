/**
 * The agents' sandbox, proven with a command agent that tries every read it
 * must not have — the scenario's ground truth in the repository, the results
 * tree, the lab's secrets, another run's workspace, the runner's command
 * line and environment — and reports what it saw. Without root (no
 * namespaces) only the neutral workspace and the allow-listed environment
 * hold, and the sandbox says so.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildLabModel } from '../../../model/lab';
import { scenario } from '../../../scenarios';
import { scenarioAlert } from '../../../scenarios/render';
import { CommandAgent } from '../../../runner/agents/command';
import { AgentSandbox, INSIDE_WORKSPACE, namespacesAvailable } from '../../../runner/agents/sandbox';
import type { AgentInput } from '../../../runner/agents/types';
import { projectRoot } from '../../../services/runtime/paths';

const lab = buildLabModel();
const spec = scenario('fusion-cpu-starvation');
const isolated = namespacesAvailable().ok;
if (process.getuid?.() === 0 && process.platform === 'linux' && !isolated) throw new Error(`root on Linux but no namespaces: ${namespacesAvailable().reason}`);

/** Tries each path; prints `READ <path>` or `DENIED <path>`, then what else it can see. */
const probe = (paths: readonly string[]) => `for p in ${paths.map((p) => `'${p}'`).join(' ')}; do if cat "$p" >/dev/null 2>&1 || [ -n "$(ls -A "$p" 2>/dev/null)" ]; then echo "READ $p"; else echo "DENIED $p"; fi; done
echo "PWD $(pwd)"; echo "UID $(id -u)"
echo "PROCESSES $(for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < "$f" 2>/dev/null; echo '|'; done | tr -d '\\n')"
env | cut -d= -f1 | sort | tr '\\n' ' ' | sed 's/^/ENV /'; echo`;

describe('AgentSandbox', () => {
  const results = mkdtempSync(path.join(os.tmpdir(), 'cms-sandbox-results-'));
  // a lab home outside /tmp and the checkout, so that covering it is what hides it
  const labHome = mkdtempSync(path.join(isolated ? '/var/lib' : os.tmpdir(), 'cms-sandbox-home-'));
  const secret = path.join(labHome, 'secrets', 'grafana-admin-password');
  const otherRun = path.join(results, spec.name, 'r1', 'score.json');
  const truth = path.join(projectRoot(), 'scenarios', spec.name, 'expected_rca.md');

  beforeAll(() => {
    mkdirSync(path.dirname(secret), { recursive: true });
    writeFileSync(secret, 'the-admin-password', { mode: 0o644 });
    mkdirSync(path.dirname(otherRun), { recursive: true });
    writeFileSync(otherRun, '{"total": 3}', { mode: 0o644 });
  });
  afterAll(() => {
    rmSync(results, { recursive: true, force: true });
    rmSync(labHome, { recursive: true, force: true });
  });

  function input(runDir: string): AgentInput {
    const alertPath = path.join(runDir, 'alert.json');
    writeFileSync(alertPath, JSON.stringify(scenarioAlert(spec, lab)));
    return {
      runDir,
      alertPath,
      alert: scenarioAlert(spec, lab),
      access: { sources: { metrics: { kind: 'none', queryRange: async () => [] } }, env: { CMS_PROMETHEUS_URL: 'http://127.0.0.1:9' }, description: 'test' },
      timeoutMs: 20_000,
      privatePaths: [projectRoot(), results, labHome],
    };
  }

  it('gives a command agent a neutral folder and the allow-listed environment only, and (as root) nothing else to read', async () => {
    const runDir = path.join(results, spec.name, 'r2');
    mkdirSync(runDir, { recursive: true });
    const neighbour = new AgentSandbox({ hidden: [] });
    const neighbourFile = path.join(neighbour.outside, 'alert.json');
    writeFileSync(neighbourFile, '{}', { mode: 0o644 });
    try {
      const agent = new CommandAgent(probe([truth, path.join(projectRoot(), 'README.md'), results, otherRun, secret, labHome, neighbourFile, '/var/tmp/cms-lab-engine']));
      const run = await agent.investigate(input(runDir));
      const report = run.raw ?? '';
      const lines = new Map(report.split('\n').filter(Boolean).map((l) => [l.split(' ').slice(1).join(' '), l.split(' ')[0]] as const));
      const env = (report.split('\n').find((l) => l.startsWith('ENV ')) ?? '').split(' ').slice(1).filter(Boolean);
      // the environment: what the adapter passes, PATH, HOME, LANG and what sh itself sets — never the runner's (DOCKER_HOST, its HOME)
      expect(env.filter((k) => !['PWD', 'SHLVL', 'OLDPWD', '_'].includes(k)).sort()).toEqual(['ALERT_FILE', 'ANSWER_INSTRUCTIONS_FILE', 'ANSWER_SCHEMA_FILE', 'CMS_PROMETHEUS_URL', 'HOME', 'LANG', 'PATH', 'RESULT_FILE']);
      // nothing it sees of itself names the scenario (the probed paths above do, by design)
      expect(report.split('\n').filter((l) => /^(PWD|UID|ENV) /.test(l)).join('\n')).not.toContain(spec.name);
      const pwd = report.split('\n').find((l) => l.startsWith('PWD '))!.slice(4);
      expect(pwd).not.toContain(spec.name);
      expect(pwd.startsWith(projectRoot())).toBe(false);
      expect(pwd.startsWith(results)).toBe(false);
      if (!isolated) {
        expect(run.isolation).toMatch(/^working folder and environment only \(not root\)/);
        return;
      }
      expect(run.isolation).toMatch(/^own mount, PID and network namespaces as uid 65534/);
      expect({ pwd, uid: report.match(/^UID (\d+)$/m)?.[1] }).toEqual({ pwd: INSIDE_WORKSPACE, uid: '65534' });
      // the repository (the scenario's ground truth), the results tree, the lab's secrets, another run's workspace, the engine's socket
      expect([...lines.entries()].filter(([, verdict]) => verdict === 'READ').map(([p]) => p)).toEqual([]);
      // only its own processes: the sandbox's shells and the probe (never the runner, the lab, the engine)
      const processes = report.match(/^PROCESSES (.*)$/m)?.[1] ?? '';
      expect(processes).toContain('/bin/sh -c');
      expect(processes).not.toMatch(/jest|node|dockerd|prometheus/);
    } finally {
      neighbour.dispose();
    }
  });

  (isolated ? it : it.skip)('lets the agent reach the loopback endpoints its environment names, and no other port on the host', async () => {
    const serve = () =>
      new Promise<Server>((resolve) => {
        const server = createServer((_req, res) => res.end('ok'));
        server.listen(0, '127.0.0.1', () => resolve(server));
      });
    const named = await serve();
    const other = await serve();
    const port = (server: Server) => (server.address() as AddressInfo).port;
    try {
      const runDir = path.join(results, spec.name, 'r4');
      mkdirSync(runDir, { recursive: true });
      const given = input(runDir);
      const fetchIt = (url: string) => `fetch('${url}', { signal: AbortSignal.timeout(3000) }).then((r) => r.text()).then((t) => 'reached ' + t, () => 'unreachable')`;
      const agent = new CommandAgent(`node -e "Promise.all([${fetchIt(`http://127.0.0.1:${port(named)}/`)}, ${fetchIt(`http://127.0.0.1:${port(other)}/`)}]).then((r) => console.log(r.join(',')))"`);
      const run = await agent.investigate({ ...given, access: { ...given.access, env: { CMS_PROMETHEUS_URL: `http://127.0.0.1:${port(named)}` } } });
      expect(run.raw?.trim()).toBe('reached ok,unreachable');
    } finally {
      named.close();
      other.close();
    }
  });

  it('gives the agent a copy of the token file in its workspace, since the lab home is hidden', async () => {
    const runDir = path.join(results, spec.name, 'r3');
    mkdirSync(runDir, { recursive: true });
    const tokenFile = path.join(labHome, 'secrets', 'agent-grafana-token');
    writeFileSync(tokenFile, 'glsa_probe_token', { mode: 0o600 });
    const given = input(runDir);
    const run = await new CommandAgent('cat "$CMS_GRAFANA_TOKEN_FILE"; echo " $CMS_GRAFANA_TOKEN_FILE"').investigate({ ...given, access: { ...given.access, env: { CMS_GRAFANA_TOKEN_FILE: tokenFile } } });
    const [token, where] = (run.raw ?? '').trim().split(' ');
    expect(token).toBe('glsa_probe_token');
    expect(where.startsWith(labHome)).toBe(false);
  });
});
