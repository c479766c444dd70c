/**
 * The trivial baseline: it reads nothing but the page. It blames the
 * alert's own service, cites the alert's own metric and proposes a generic
 * restart. Its score per scenario is what the alert alone gives away; an
 * agent worth running beats it.
 */
import { parseAlert } from '../../investigator/alert';
import { selectedMetrics } from '../../model/promql';
import { isServiceName } from '../../model/services';
import { ANSWER_SCHEMA_ID, type Answer } from '../answer/contract';
import type { AgentAdapter, AgentInput, AgentRun } from './types';

/** The trivial baseline's answer to a page (exposed for tests). */
export function trivialAnswer(alert: unknown): Answer {
  const context = parseAlert(alert);
  const labelled = context.instances.map((i) => i.service_name ?? i.pipeline_name).find((s) => s !== undefined && isServiceName(s));
  const service = labelled ?? (context.pipelineName && isServiceName(context.pipelineName) ? context.pipelineName : context.rule?.services[0]);
  const metric = context.rule ? selectedMetrics(context.rule.expr)[0] : undefined;
  // it ran no query: the page's own metric is all it can cite
  const evidence: Answer['evidence'] = metric ? [{ signal: metric, kind: 'metric', observed: `the alert "${context.alertName}" fired on it` }] : [];
  if (!service) {
    return { schema: ANSWER_SCHEMA_ID, verdict: 'fault', root_causes: [{ service: 'unknown', category: 'other', summary: `The page "${context.alertName}" names no service.` }], evidence, remediation: { action: 'restart-service', details: 'Restart the affected service.' }, confidence: 0.1 };
  }
  return {
    schema: ANSWER_SCHEMA_ID,
    verdict: 'fault',
    root_causes: [{ service, category: 'other', summary: `${service} is at fault: the page "${context.alertName}" is about it.` }],
    evidence,
    remediation: { action: 'restart-service', target: service, details: `Restart ${service}.` },
    confidence: 0.2,
    summary: `${service} raised "${context.alertName}"; restart it.`,
  };
}

export class TrivialAgent implements AgentAdapter {
  readonly name = 'trivial';

  async investigate(input: AgentInput): Promise<AgentRun> {
    const began = Date.now();
    try {
      const answer = trivialAnswer(input.alert);
      return { format: 'generic', raw: `${JSON.stringify(answer, null, 2)}\n`, transcript: 'read the page only', exitCode: 0, timedOut: false, wallMs: Date.now() - began, sourcesQueried: [] };
    } catch (error) {
      return { format: 'generic', transcript: `failed: ${(error as Error).message}`, exitCode: 1, timedOut: false, wallMs: Date.now() - began, sourcesQueried: [], error: (error as Error).message };
    }
  }
}
