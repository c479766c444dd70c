/**
 * Every agent's output, normalised into one shape the scorer reads. Raw
 * outputs come in several formats (the baseline's result, OpenSRE's
 * rca.json, HolmesGPT's JSON, or any JSON / markdown / text a command
 * writes); malformed, empty or truncated output is classified, kept and
 * scored as such — it never throws.
 */
import { type Answer, answerInText, answerText, claimsContract, parseAnswer } from './answer/contract';

export type AgentOutputStatus = 'ok' | 'empty' | 'malformed' | 'truncated' | 'timeout' | 'failed';

export interface AgentResult {
  readonly status: AgentOutputStatus;
  /** Why the status is not ok, in one sentence. */
  readonly problem?: string;
  /** The agent's root-cause statement ('' when it gives none). */
  readonly rootCause: string;
  /** The agent says the alert is noise / nothing is wrong. */
  readonly isNoise?: boolean;
  /** The agent's proposed remediation, when it gives one separately. */
  readonly remediation?: string;
  /** Everything the agent wrote, the text the scorer searches. */
  readonly report: string;
  /** Queries the agent cites as evidence, when it lists them separately. */
  readonly citedQueries: readonly string[];
  readonly confidence?: number;
  /** The agent's structured answer, when it gave one that satisfies the contract (runner/answer/contract.ts). */
  readonly answer?: Answer;
  /** Why an answer the agent gave was not accepted (the prose is scored instead). */
  readonly answerProblem?: string;
}

export type OutputFormat = 'baseline' | 'opensre' | 'holmesgpt' | 'generic';

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(asText).filter(Boolean).join('\n');
  if (typeof value === 'object') return Object.values(value as Record<string, unknown>).map(asText).filter(Boolean).join('\n');
  return String(value);
}

function pick(record: Record<string, unknown>, ...keys: string[]): unknown {
  for (const key of keys) if (record[key] !== undefined && record[key] !== null && record[key] !== '') return record[key];
  return undefined;
}

/** The result with the structured answer `claimed` attached when it satisfies the contract, or the problem recorded when it does not. */
function withAnswer(result: AgentResult, claimed: unknown): AgentResult {
  if (claimed === undefined) return result;
  const parsed = parseAnswer(claimed);
  if (!parsed.answer) return { ...result, answerProblem: parsed.problem };
  const a = parsed.answer;
  const cause = a.root_causes[0];
  return {
    ...result,
    answer: a,
    rootCause: result.rootCause || (cause ? [cause.service, cause.component, cause.summary].filter(Boolean).join(': ') : ''),
    isNoise: result.isNoise ?? a.verdict === 'no-fault',
    remediation: result.remediation ?? ([a.remediation.action, a.remediation.target, a.remediation.details].filter(Boolean).join(': ') || undefined),
    confidence: result.confidence ?? a.confidence,
  };
}

function failed(status: AgentOutputStatus, problem: string, report = ''): AgentResult {
  return { status, problem, rootCause: '', report, citedQueries: [] };
}

/**
 * The root-cause statement of prose: the first line under a heading that
 * names the root cause or the conclusion ("## Root cause", "# Conclusions
 * and Possible Root causes"), else the text after a "Root cause:" label,
 * else the first sentence that speaks of a cause.
 */
export function rootCauseFromText(text: string): string {
  const heading = /^#+\s*[^\n]*\b(root[- ]causes?|conclusions?)\b[^\n]*\n+((?:[^\n#][^\n]*))/im.exec(text);
  if (heading) {
    const first = heading[2].replace(/^\s*([-*•]|\d+[.)])\s*/, '').trim();
    if (!first.endsWith(':')) return first;
    // "Two independent faults:" introduces a list: the list items are the statement
    const after = text.slice((heading.index ?? 0) + heading[0].length).split('\n');
    const items: string[] = [];
    for (const line of after) {
      if (/^\s*([-*•]|\d+[.)])\s+/.test(line)) items.push(line.replace(/^\s*([-*•]|\d+[.)])\s*/, '').trim());
      else if (line.trim() === '' && items.length === 0) continue;
      else break;
    }
    return items.length ? `${first} ${items.join(' ')}` : first;
  }
  const label = /\broot cause\s*(?:\*\*)?\s*[:—-]\s*(?:\*\*)?\s*([^\n]+)/i.exec(text);
  if (label) return label[1].trim();
  const sentence = text.split(/\n+|(?<=[.!?])\s+/).find((s) => /root cause|caused by|because/i.test(s) && !/^\s*#/.test(s));
  return (sentence ?? '').trim();
}

function fromJson(format: OutputFormat, record: Record<string, unknown>): AgentResult {
  switch (format) {
    case 'baseline': {
      const rc = record.rootCause as { service?: string | null; summary?: string } | undefined;
      const evidence = Array.isArray(record.evidence) ? (record.evidence as Array<{ query?: string }>) : [];
      if (!rc || typeof record.report !== 'string') return failed('malformed', 'the baseline result has no rootCause or report', JSON.stringify(record).slice(0, 2000));
      return withAnswer(
        {
          status: 'ok',
          rootCause: rc.service ? (rc.summary ?? '') : '',
          isNoise: rc.service === null,
          remediation: typeof record.remediation === 'string' ? record.remediation : undefined,
          report: record.report,
          citedQueries: evidence.map((e) => e.query ?? '').filter(Boolean),
          confidence: typeof record.confidence === 'number' ? record.confidence : undefined,
        },
        record.answer,
      );
    }
    case 'opensre': {
      const rootCause = asText(record.root_cause);
      const report = [rootCause, asText(record.report), asText(record.problem_md)].filter(Boolean).join('\n\n');
      // OpenSRE ends early on noise: empty texts with is_noise true is a complete answer
      if (!report.trim() && record.is_noise !== true) return failed('empty', 'rca.json has no root_cause, report or problem_md text');
      return { status: 'ok', rootCause, isNoise: record.is_noise === true, report, citedQueries: [] };
    }
    case 'holmesgpt': {
      // `investigate alertmanager --json-output-file` writes [{issue, result: LLMResult}]; `ask` writes one LLMResult
      const llm = (record.result && typeof record.result === 'object' ? record.result : record) as Record<string, unknown>;
      const analysis = asText(pick(llm, 'result', 'analysis'));
      if (!analysis.trim()) return failed('empty', 'the HolmesGPT output has no result text');
      const calls = Array.isArray(llm.tool_calls) ? (llm.tool_calls as Array<Record<string, unknown>>) : [];
      // asked for the contract as a fenced json block at the end of its analysis (runner/answer/instructions.ts)
      return withAnswer({ status: 'ok', rootCause: rootCauseFromText(analysis), report: analysis, citedQueries: calls.map((c) => asText(pick(c, 'description'))).filter(Boolean) }, answerInText(analysis));
    }
    case 'generic': {
      if (claimsContract(record)) {
        const parsed = parseAnswer(record);
        const prose = asText(pick(record, 'report', 'analysis'));
        if (parsed.answer) return withAnswer({ status: 'ok', rootCause: '', report: [answerText(parsed.answer), prose].filter(Boolean).join('\n\n'), citedQueries: parsed.answer.evidence.flatMap((e) => (e.query ? [e.query] : [])) }, parsed.answer);
        // an answer that misses the contract: its text is still a report
        return { status: 'ok', rootCause: '', report: asText(record), citedQueries: [], answerProblem: parsed.problem };
      }
      const rootCause = asText(pick(record, 'root_cause', 'rootCause', 'cause', 'conclusion'));
      const report = [rootCause, asText(pick(record, 'report', 'analysis', 'summary', 'problem_md', 'explanation')), asText(pick(record, 'evidence'))].filter(Boolean).join('\n\n');
      const remediation = asText(pick(record, 'remediation', 'fix', 'recommendation', 'recommendations')) || undefined;
      if (!report.trim() && !remediation) return failed('malformed', 'the JSON result has none of root_cause, report, analysis or remediation');
      const confidence = typeof record.confidence === 'number' ? record.confidence : undefined;
      return withAnswer(
        {
          status: 'ok',
          rootCause: rootCause || rootCauseFromText(report),
          isNoise: record.is_noise === true || record.isNoise === true ? true : undefined,
          remediation,
          report: [report, remediation].filter(Boolean).join('\n\n'),
          citedQueries: [],
          confidence,
        },
        claimsContract(record.answer) ? record.answer : undefined,
      );
    }
  }
}

/** Normalises raw agent output; never throws. */
export function normaliseAgentOutput(format: OutputFormat, raw: string | undefined): AgentResult {
  if (raw === undefined) return failed('empty', 'the agent wrote no result');
  const text = raw.trim();
  if (!text) return failed('empty', 'the agent wrote an empty result');
  if (text.startsWith('{') || text.startsWith('[') || format !== 'generic') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const truncated = /end of (JSON )?input|Unterminated/i.test(message);
      return failed(truncated ? 'truncated' : 'malformed', `the result is not valid JSON (${message})${truncated ? ': it stops mid-document' : ''}`, text.slice(0, 20_000));
    }
    if (format === 'holmesgpt' && Array.isArray(parsed)) parsed = parsed[0] ?? {};
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return failed('malformed', 'the result is JSON but not an object', text.slice(0, 20_000));
    return fromJson(format, parsed as Record<string, unknown>);
  }
  // markdown or plain text from a command agent, perhaps with the contract's answer in a fenced block
  return withAnswer({ status: 'ok', rootCause: rootCauseFromText(text), report: text, citedQueries: [] }, answerInText(text));
}
