/**
 * How each adapter asks its agent for the answer contract, as exact text
 * (rendered to answer/INSTRUCTIONS.md, so what an agent was told is in the
 * repository): command agents get the schema and these instructions as
 * files in their workspace; HolmesGPT gets them as a runbook that matches
 * every alert; OpenSRE has a fixed output format of its own and is not
 * asked (its rca.json is mapped onto the contract's prose fallback).
 */
import { FAULT_CATEGORIES, REMEDIATION_ACTIONS } from '../../model/fault-taxonomy';
import { SERVICE_NAMES } from '../../model/services';
import { ANSWER_SCHEMA_ID } from './contract';

/** A skeleton of a valid answer: placeholders only, nothing that hints at any fault. */
export function answerSkeleton(): Record<string, unknown> {
  return {
    schema: ANSWER_SCHEMA_ID,
    verdict: 'fault',
    root_causes: [{ service: '<service name>', component: '<the faulty part>', category: '<a category>', summary: '<one or two sentences>' }],
    evidence: [{ signal: '<metric, log event or span name>', kind: 'metric', query: '<the query you ran>', observed: '<what it showed>', from: '<RFC 3339>', to: '<RFC 3339>' }],
    remediation: { action: '<an action>', target: '<service name>', details: '<what exactly to do>' },
    confidence: 0.5,
    summary: '<the conclusion in a few sentences>',
  };
}

function choices(table: Readonly<Record<string, string>>): string {
  return Object.entries(table)
    .map(([id, means]) => `- \`${id}\`: ${means}`)
    .join('\n');
}

function contractBody(): string {
  return [
    `The answer is a JSON object of the contract \`${ANSWER_SCHEMA_ID}\`:`,
    '',
    '```json',
    JSON.stringify(answerSkeleton(), null, 2),
    '```',
    '',
    `- \`verdict\`: \`fault\`, or \`no-fault\` when nothing is wrong (then \`root_causes\` is empty and the action is \`no-action\`).`,
    `- \`root_causes[].service\`: one of ${SERVICE_NAMES.map((s) => `\`${s}\``).join(', ')}. Name several root causes only for independent faults, most important first.`,
    '- `root_causes[].category`, one of:',
    choices(FAULT_CATEGORIES),
    '- `evidence[]`: what you observed, each with the signal\'s exact name as the lab emits it, the query you ran and what it showed. Cite only signals you queried.',
    '- `remediation.action`, one of:',
    choices(REMEDIATION_ACTIONS),
    '- `confidence`: from 0 to 1.',
  ].join('\n');
}

/** For command agents: the text of $ANSWER_INSTRUCTIONS_FILE (the schema is $ANSWER_SCHEMA_FILE). */
export function commandAgentInstructions(): string {
  return [
    '# Your answer',
    '',
    'Write your answer to the file $RESULT_FILE as one JSON object that satisfies the JSON Schema in $ANSWER_SCHEMA_FILE. Free-form markdown or text is accepted too, but only the structured answer is read field by field.',
    '',
    contractBody(),
    '',
  ].join('\n');
}

/** For HolmesGPT: the runbook instructions that match every alert. */
export function holmesInstructions(): string {
  return [
    'Investigate the alert with the toolsets you have and write your analysis as usual.',
    'Then end your analysis with exactly one fenced ```json code block holding your structured answer.',
    '',
    contractBody(),
  ].join('\n');
}

/** answer/INSTRUCTIONS.md: what each adapter tells its agent, word for word. */
export function instructionsMarkdown(): string {
  return [
    '# The answer contract: what each agent is asked for',
    '',
    '<!-- Rendered by `npm run docs` from runner/answer/instructions.ts; do not edit. -->',
    '',
    `The contract is \`${ANSWER_SCHEMA_ID}\`; its JSON Schema is [answer-v1.schema.json](answer-v1.schema.json). The scorer reads a valid answer field by field (root-cause entities, evidence signals, the typed remediation) and falls back to the report's prose when an agent gives none or an invalid one (the problem is recorded with the score).`,
    '',
    '## Command agents (`--agent command:<command line>`)',
    '',
    'The workspace holds `answer.schema.json` and `answer-instructions.md`; `$ANSWER_SCHEMA_FILE` and `$ANSWER_INSTRUCTIONS_FILE` name them. The instructions, word for word:',
    '',
    '````markdown',
    commandAgentInstructions().trimEnd(),
    '````',
    '',
    '## HolmesGPT (`--agent holmesgpt`)',
    '',
    'Passed as a custom runbook (`--custom-runbooks`) whose match is every alert, so HolmesGPT adds it to its investigation instructions. The runbook\'s instructions, word for word:',
    '',
    '````markdown',
    holmesInstructions(),
    '````',
    '',
    'The adapter reads the last fenced `json` block of `result.analysis`; the analysis stays the prose fallback.',
    '',
    '## OpenSRE (`--agent opensre`)',
    '',
    'Not asked: OpenSRE\'s diagnosis prompt fixes its own output sections (root cause, category, validated claims with their evidence sources, causal chain) and its `rca.json` carries `root_cause`, `report`, `problem_md` and `is_noise`. An instruction to answer in JSON would break its own parser, so its output is scored on the prose fallback (`is_noise` read as the no-fault verdict).',
    '',
    '## The baselines',
    '',
    'The detector-based baseline and the trivial baseline emit the contract directly (`answer` in their result).',
    '',
  ].join('\n');
}
