/**
 * HolmesGPT (robusta-dev/holmesgpt), run from the host's `holmes` CLI:
 * `holmes investigate alertmanager --alertmanager-file alerts.json --model
 * ollama_chat/<model> --config <cfg> --json-output-file out.json`. The
 * alerts file is the notification's alert list (Alertmanager webhook
 * fields). Its toolsets read Prometheus, Loki and Tempo through Grafana's
 * datasource proxy with the agents' read-only token, or Prometheus directly
 * on the native lab. The config with the token lives in a private temporary
 * folder removed after the run; HolmesGPT exits 0 on several failures, so a
 * missing output file is the failure signal, not the exit code.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { LabModel } from '../../model/lab';
import type { AgentAdapter, AgentInput, AgentRun } from './types';
import { holmesInstructions } from '../answer/instructions';
import { AgentSandbox } from './sandbox';

export interface HolmesAgentProps {
  readonly lab: LabModel;
  /** @default 'holmes' on PATH */
  readonly holmes?: string;
  /** Ollama as the host reaches it. @default http://127.0.0.1:<the model's Ollama port> */
  readonly ollamaUrl?: string;
}

/** The toolsets configuration for one run (exposed for tests). */
export function holmesConfig(lab: LabModel, env: Readonly<Record<string, string>>, token: string | undefined): Record<string, unknown> {
  const grafana = env.CMS_GRAFANA_URL;
  const ds = lab.grafana.datasources;
  if (grafana && token) {
    const proxied = (uid: string) => ({ url: grafana, api_key: token, grafana_datasource_uid: uid });
    return {
      toolsets: {
        'prometheus/metrics': { enabled: true, config: { prometheus_url: `${grafana}/api/datasources/proxy/uid/${ds.prometheus.uid}/`, headers: { Authorization: `Bearer ${token}` }, healthcheck: 'api/v1/query?query=up' } },
        'grafana/loki': { enabled: true, config: proxied(ds.loki.uid) },
        'grafana/tempo': { enabled: true, config: proxied(ds.tempo.uid) },
        'kubernetes/core': { enabled: false },
        'kubernetes/logs': { enabled: false },
      },
    };
  }
  return { toolsets: { 'prometheus/metrics': { enabled: true, config: { prometheus_url: env.CMS_PROMETHEUS_URL } }, 'kubernetes/core': { enabled: false }, 'kubernetes/logs': { enabled: false } } };
}

/** The runbook file that asks HolmesGPT for the answer contract: it matches every issue (exposed for tests). */
export function holmesAnswerRunbook(): Record<string, unknown> {
  return { runbooks: [{ match: { issue_name: '.*' }, instructions: holmesInstructions() }] };
}

export class HolmesAgent implements AgentAdapter {
  readonly name = 'holmesgpt';
  constructor(private readonly props: HolmesAgentProps) {}

  async investigate(input: AgentInput): Promise<AgentRun> {
    const lab = this.props.lab;
    const model = input.model ?? lab.agents.ollama.model;
    // holmes runs in a sandbox (./sandbox.ts): its config (with the token), the alerts and its output live in its own workspace
    const sandbox = new AgentSandbox({ hidden: input.privatePaths ?? [] });
    try {
      const tokenFile = input.access.env.CMS_GRAFANA_TOKEN_FILE;
      const token = tokenFile && existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : undefined;
      const config = sandbox.write('config.yaml', stringify(holmesConfig(lab, input.access.env, token)));
      // the answer contract, asked for as a runbook that matches every alert (answer/INSTRUCTIONS.md)
      const runbooks = sandbox.write('answer-runbook.yaml', stringify(holmesAnswerRunbook()));
      const alerts = `${JSON.stringify(input.alert.alerts, null, 2)}\n`;
      // what the adapter passed, kept beside the run's artefacts
      writeFileSync(path.join(input.runDir, 'holmes-alerts.json'), alerts);
      const alertsFile = sandbox.write('holmes-alerts.json', alerts);
      const outFile = sandbox.pathOf('holmes-output.json');
      const outcome = await sandbox.run(
        this.props.holmes ?? 'holmes',
        ['investigate', 'alertmanager', '--alertmanager-file', alertsFile, '--model', model.includes('/') ? model : `ollama_chat/${model}`, '--config', config, '--custom-runbooks', runbooks, '--json-output-file', outFile],
        {
          env: { HOLMES_CONFIGPATH_DIR: sandbox.inside, OLLAMA_API_BASE: this.props.ollamaUrl ?? `http://127.0.0.1:${lab.agents.ollama.hostPort}` },
          timeoutMs: input.timeoutMs,
          signal: input.signal,
        },
      );
      const raw = sandbox.read('holmes-output.json');
      let tokens: AgentRun['tokens'];
      let toolCalls: number | undefined;
      try {
        const parsed = raw ? (JSON.parse(raw) as unknown) : undefined;
        const llm = ((Array.isArray(parsed) ? parsed[0]?.result : parsed) ?? {}) as Record<string, unknown>;
        if (typeof llm.total_tokens === 'number') tokens = { input: llm.prompt_tokens as number, output: llm.completion_tokens as number, total: llm.total_tokens };
        if (Array.isArray(llm.tool_calls)) toolCalls = llm.tool_calls.length;
      } catch {
        // scored as malformed output later
      }
      const error =
        outcome.launchError ??
        (outcome.timedOut ? `timed out after ${input.timeoutMs} ms and was killed` : outcome.aborted ? 'aborted' : !raw ? `holmes wrote no output (exit ${outcome.exitCode ?? outcome.signal})` : outcome.exitCode !== 0 ? `holmes exited with ${outcome.exitCode}` : undefined);
      return { format: 'holmesgpt', raw, transcript: outcome.output, exitCode: outcome.exitCode, timedOut: outcome.timedOut, wallMs: outcome.wallMs, tokens, toolCalls, sourcesQueried: [], error, isolation: sandbox.isolation };
    } finally {
      sandbox.dispose();
    }
  }
}
