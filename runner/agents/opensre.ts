/**
 * OpenSRE (Tracer-Cloud/opensre), run inside the lab's long-running opensre
 * container: the alert goes into the shared work folder, `opensre
 * investigate -i … -o …` runs through `docker exec`, and rca.json comes back
 * (fields report, problem_md, root_cause, is_noise). OpenSRE reads Grafana
 * only, so it needs the Docker lab. It reports no token counts; its
 * progress lines are kept as the transcript.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OPENSRE_WORK_DIR } from '../../constructs/opensre';
import type { AgentAdapter, AgentInput, AgentRun } from './types';
import { runAgentProcess } from './process';

/**
 * The notification in OpenSRE's own Grafana input shape (its CLI's
 * `grafana` alert template): the webhook as Grafana sent it, plus the
 * top-level `alert_name`, `pipeline_name` and `severity` OpenSRE starts its
 * investigation from — without them it starts from "Incident" on pipeline
 * "events_fact". All three are copied from the notification's own labels,
 * so the agent learns nothing a real notification does not carry.
 */
export function openSreAlert(notification: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const labels = (notification.commonLabels ?? {}) as Record<string, unknown>;
  const fromLabels = (key: string, label: string) => (notification[key] === undefined && typeof labels[label] === 'string' ? { [key]: labels[label] } : {});
  return { ...fromLabels('alert_name', 'alertname'), ...fromLabels('pipeline_name', 'pipeline_name'), ...fromLabels('severity', 'severity'), ...notification };
}

export interface OpenSreAgentProps {
  /** The opensre container's name. */
  readonly container: string;
  /** Host folder mounted at /work in the container. */
  readonly hostWorkDir: string;
  /** @default 'docker' */
  readonly docker?: string;
}

export class OpenSreAgent implements AgentAdapter {
  readonly name = 'opensre';
  constructor(private readonly props: OpenSreAgentProps) {}

  /** The docker exec arguments for one investigation (exposed for tests). */
  execArgs(runId: string, model?: string): string[] {
    const inContainer = `${OPENSRE_WORK_DIR}/${runId}`;
    return ['exec', ...(model ? ['-e', `OLLAMA_MODEL=${model}`] : []), this.props.container, 'opensre', 'investigate', '-i', `${inContainer}/alert.json`, '-o', `${inContainer}/rca.json`];
  }

  async investigate(input: AgentInput): Promise<AgentRun> {
    if (!input.access.env.CMS_GRAFANA_URL) {
      return { format: 'opensre', transcript: '', timedOut: false, wallMs: 0, sourcesQueried: [], error: 'OpenSRE reads Grafana only: it needs the Docker lab (--backend docker)' };
    }
    const runId = path.basename(input.runDir);
    const shared = path.join(this.props.hostWorkDir, runId);
    mkdirSync(shared, { recursive: true });
    const alert = `${JSON.stringify(openSreAlert(input.alert as unknown as Record<string, unknown>), null, 2)}\n`;
    writeFileSync(path.join(input.runDir, 'opensre-alert.json'), alert);
    writeFileSync(path.join(shared, 'alert.json'), alert);
    const outcome = await runAgentProcess(this.props.docker ?? 'docker', this.execArgs(runId, input.model), { cwd: input.runDir, env: {}, timeoutMs: input.timeoutMs, signal: input.signal });
    if (outcome.timedOut || outcome.aborted) {
      // killing `docker exec` leaves the investigation running in the container; restarting the idle container ends it
      await runAgentProcess(this.props.docker ?? 'docker', ['restart', '--time', '5', this.props.container], { cwd: input.runDir, env: {}, timeoutMs: 60_000 });
    }
    const rca = path.join(shared, 'rca.json');
    const raw = existsSync(rca) ? readFileSync(rca, 'utf8') : undefined;
    const error = outcome.launchError ?? (outcome.timedOut ? `timed out after ${input.timeoutMs} ms and was killed` : outcome.aborted ? 'aborted' : outcome.exitCode !== 0 ? `opensre exited with ${outcome.exitCode ?? outcome.signal}` : undefined);
    return { format: 'opensre', raw, transcript: outcome.output, exitCode: outcome.exitCode, timedOut: outcome.timedOut, wallMs: outcome.wallMs, sourcesQueried: [], error };
  }
}
