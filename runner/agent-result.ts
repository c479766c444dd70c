/**
 * Every agent's output, normalised into one shape the scorer reads. Raw
 * outputs come in several formats (the baseline's result, OpenSRE's
 * rca.json, HolmesGPT's JSON, or any JSON / markdown / text a command
 * writes); malformed, empty or truncated output is classified, kept and
 * scored as such — it never throws.
 */

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

function failed(status: AgentOutputStatus, problem: string, report = ''): AgentResult {
  return { status, problem, rootCause: '', report, citedQueries: [] };
}

/** The sentence after a "root cause" heading or label, else the first sentence that mentions a root cause. */
export function rootCauseFromText(text: string): string {
  const heading = /^#+\s*(probable |likely )?root cause[^\n]*\n+([^\n#][^\n]*)/im.exec(text);
  if (heading) return heading[2].trim();
  const label = /\broot cause\s*(?:\*\*)?\s*[:—-]\s*(?:\*\*)?\s*([^\n]+)/i.exec(text);
  if (label) return label[1].trim();
  const sentence = text.split(/\n+|(?<=[.!?])\s+/).find((s) => /root cause|caused by|because/i.test(s));
  return (sentence ?? '').trim();
}

function fromJson(format: OutputFormat, record: Record<string, unknown>): AgentResult {
  switch (format) {
    case 'baseline': {
      const rc = record.rootCause as { service?: string | null; summary?: string } | undefined;
      const evidence = Array.isArray(record.evidence) ? (record.evidence as Array<{ query?: string }>) : [];
      if (!rc || typeof record.report !== 'string') return failed('malformed', 'the baseline result has no rootCause or report', JSON.stringify(record).slice(0, 2000));
      return {
        status: 'ok',
        rootCause: rc.service ? (rc.summary ?? '') : '',
        isNoise: rc.service === null,
        remediation: typeof record.remediation === 'string' ? record.remediation : undefined,
        report: record.report,
        citedQueries: evidence.map((e) => e.query ?? '').filter(Boolean),
        confidence: typeof record.confidence === 'number' ? record.confidence : undefined,
      };
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
      return { status: 'ok', rootCause: rootCauseFromText(analysis), report: analysis, citedQueries: calls.map((c) => asText(pick(c, 'description'))).filter(Boolean) };
    }
    case 'generic': {
      const rootCause = asText(pick(record, 'root_cause', 'rootCause', 'cause', 'conclusion'));
      const report = [rootCause, asText(pick(record, 'report', 'analysis', 'summary', 'problem_md', 'explanation')), asText(pick(record, 'evidence'))].filter(Boolean).join('\n\n');
      const remediation = asText(pick(record, 'remediation', 'fix', 'recommendation', 'recommendations')) || undefined;
      if (!report.trim() && !remediation) return failed('malformed', 'the JSON result has none of root_cause, report, analysis or remediation');
      const confidence = typeof record.confidence === 'number' ? record.confidence : undefined;
      return {
        status: 'ok',
        rootCause: rootCause || rootCauseFromText(report),
        isNoise: record.is_noise === true || record.isNoise === true,
        remediation,
        report: [report, remediation].filter(Boolean).join('\n\n'),
        citedQueries: [],
        confidence,
      };
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
  // markdown or plain text from a command agent
  return { status: 'ok', rootCause: rootCauseFromText(text), report: text, citedQueries: [] };
}
