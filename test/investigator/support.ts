/** Recorded investigator fixtures (scripts/record-investigator-fixtures.ts): real query answers from native harness runs. */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { RecordedCall, Series, LogRecord } from '../../investigator/sources';
import { replaying } from '../../investigator/sources';
import type { InvestigatorFixture } from '../../scripts/record-investigator-fixtures';

const DIR = path.join(__dirname, 'fixtures');

export const FIXTURE_NAMES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .sort();

export function fixture(name: string): InvestigatorFixture {
  return JSON.parse(readFileSync(path.join(DIR, `${name}.json`), 'utf8')) as InvestigatorFixture;
}

/** The recorded answer to one query. */
export function answer<T = Series[]>(name: string, query: string): T {
  const call = fixture(name).calls.find((c: RecordedCall) => c.query === query);
  if (!call) throw new Error(`fixture ${name} has no answer for ${query}`);
  return call.result as T;
}

export function logsAnswer(name: string, query: string): LogRecord[] {
  return answer<LogRecord[]>(name, query);
}

export function replay(name: string, drop: { logs?: boolean; traces?: boolean } = {}) {
  const f = fixture(name);
  return replaying(f.calls, { metrics: f.kinds.metrics, logs: drop.logs ? undefined : f.kinds.logs, traces: drop.traces ? undefined : f.kinds.traces });
}
