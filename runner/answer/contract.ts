/**
 * The answer contract: the structured root-cause answer every agent is asked
 * for (versioned; its JSON Schema is rendered to answer/answer-v1.schema.json).
 * Root-cause entities with component and category from the lab's taxonomy,
 * evidence items (signal, query, what it showed, when), one typed
 * remediation action with free text, a confidence, or the verdict that
 * nothing is wrong. The scorer reads these fields first and the prose only
 * when an agent gives no valid answer.
 */
import { z } from 'zod';
import { FAULT_CATEGORIES, FAULT_CATEGORY_IDS, REMEDIATION_ACTIONS, REMEDIATION_ACTION_IDS } from '../../model/fault-taxonomy';
import { SERVICE_NAMES } from '../../model/services';

export const ANSWER_SCHEMA_ID = 'cms-chaos-lab/answer/v1';
/** Where the rendered JSON Schema lives in the repository. */
export const ANSWER_SCHEMA_FILE = 'answer/answer-v1.schema.json';

const describeChoices = (choices: Readonly<Record<string, string>>) =>
  Object.entries(choices)
    .map(([id, means]) => `${id} (${means})`)
    .join('; ');

const rootCauseSchema = z.object({
  service: z.string().min(1).describe(`The service at fault, by its name: one of ${SERVICE_NAMES.join(', ')}.`),
  component: z.string().optional().describe('The faulty part of that service, in words (its process, its network link, a DDS writer of a topic, its configuration, …).'),
  category: z.enum(FAULT_CATEGORY_IDS).describe(`The kind of fault: ${describeChoices(FAULT_CATEGORIES)}.`),
  summary: z.string().optional().describe('The root cause in one or two sentences.'),
});

const evidenceSchema = z.object({
  signal: z.string().min(1).describe('The metric, log event or span name exactly as the lab emits it (e.g. a Prometheus metric name or a log record\'s "event").'),
  kind: z.enum(['metric', 'log', 'trace']).optional().describe('Which telemetry the signal is.'),
  query: z.string().optional().describe('The PromQL, LogQL or TraceQL query you ran.'),
  observed: z.string().min(1).describe('What the query showed, in words and numbers.'),
  from: z.string().optional().describe('Start of the time range looked at (RFC 3339).'),
  to: z.string().optional().describe('End of the time range looked at (RFC 3339).'),
});

const remediationSchema = z.object({
  action: z.enum(REMEDIATION_ACTION_IDS).describe(`The remediation: ${describeChoices(REMEDIATION_ACTIONS)}.`),
  target: z.string().optional().describe('The service the action applies to.'),
  details: z.string().optional().describe('What exactly to do, in words.'),
});

export const answerSchema = z
  .object({
    schema: z.literal(ANSWER_SCHEMA_ID).describe('This contract\'s identifier and version.'),
    verdict: z.enum(['fault', 'no-fault', 'undetermined']).describe('"no-fault" when nothing is wrong (a spurious or noisy page); "undetermined" when something is wrong but you could not find the root cause; root_causes is then empty or lists suspects.'),
    root_causes: z.array(rootCauseSchema).max(5).describe('The root causes, most important first (several only when several independent faults are present).'),
    evidence: z.array(evidenceSchema).max(30).describe('What you observed that supports the conclusion.'),
    remediation: remediationSchema,
    confidence: z.number().min(0).max(1).describe('How sure you are, from 0 to 1.'),
    summary: z.string().optional().describe('The whole conclusion in a few sentences.'),
  })
  .describe('A structured root-cause answer for one alert of the cms-chaos-lab.')
  .superRefine((answer, context) => {
    if (answer.verdict === 'fault' && answer.root_causes.length === 0) context.addIssue({ code: 'custom', path: ['root_causes'], message: 'a "fault" verdict names at least one root cause' });
    if (answer.verdict === 'no-fault' && answer.root_causes.length > 0) context.addIssue({ code: 'custom', path: ['root_causes'], message: 'a "no-fault" verdict names no root cause' });
  });

export type Answer = z.infer<typeof answerSchema>;
export type AnswerRootCause = Answer['root_causes'][number];
export type AnswerEvidence = Answer['evidence'][number];

/** The JSON Schema of the contract (draft 2020-12), as checked into the repository. */
export function answerJsonSchema(): Record<string, unknown> {
  return { $id: ANSWER_SCHEMA_ID, ...(z.toJSONSchema(answerSchema, { target: 'draft-2020-12' }) as Record<string, unknown>) };
}

export type AnswerParse = { readonly answer: Answer; readonly problem?: undefined } | { readonly answer?: undefined; readonly problem: string };

/** Validates a value against the contract; the problem names every field that fails. */
export function parseAnswer(value: unknown): AnswerParse {
  const parsed = answerSchema.safeParse(value);
  if (parsed.success) return { answer: parsed.data };
  const problems = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(answer)'}: ${issue.message}`);
  return { problem: `the answer does not satisfy ${ANSWER_SCHEMA_ID}: ${problems.join('; ')}` };
}

/** Whether a JSON value claims to be an answer of this contract (it names the contract, or has its shape). */
export function claimsContract(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return record.schema === ANSWER_SCHEMA_ID || (Array.isArray(record.root_causes) && typeof record.verdict === 'string');
}

/**
 * The contract's answer inside prose: the last fenced ```json block (or a
 * bare JSON object on its own lines) that claims the contract. Agents asked
 * to append the answer to a markdown analysis put it there.
 */
export function answerInText(text: string): unknown | undefined {
  const blocks = [...text.matchAll(/```(?:json)?\s*\n([\s\S]*?)\n```/g)].map((m) => m[1]);
  const bare = /(^|\n)(\{\s*"schema"[\s\S]*\})\s*$/.exec(text);
  if (bare) blocks.push(bare[2]);
  for (const block of blocks.reverse()) {
    try {
      const value = JSON.parse(block) as unknown;
      if (claimsContract(value)) return value;
    } catch {
      // not JSON: prose in a code block
    }
  }
  return undefined;
}

/** The answer as readable text (what the prose checks read when an answer is given). */
export function answerText(answer: Answer): string {
  const lines: string[] = [];
  if (answer.summary) lines.push(answer.summary);
  if (answer.verdict === 'no-fault') lines.push('Verdict: no fault.');
  if (answer.verdict === 'undetermined') lines.push('Verdict: a fault, its root cause not determined.');
  for (const cause of answer.root_causes) lines.push(`Root cause: ${cause.service}${cause.component ? ` (${cause.component})` : ''} — ${cause.category}.${cause.summary ? ` ${cause.summary}` : ''}`);
  for (const item of answer.evidence) lines.push(`Evidence: ${item.signal}${item.query ? ` (\`${item.query}\`)` : ''}: ${item.observed}`);
  lines.push(`Remediation: ${answer.remediation.action}${answer.remediation.target ? ` ${answer.remediation.target}` : ''}.${answer.remediation.details ? ` ${answer.remediation.details}` : ''}`);
  return lines.join('\n');
}
