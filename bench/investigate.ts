/**
 * npm run bench:investigate — the baseline investigator's time per
 * investigation and its number of backend queries, per scenario and the
 * control. Each scenario runs once on the native harness (three lanes); the
 * moment its alert fires the investigator runs --repeat times against the
 * live Prometheus and OTLP store, then as many times on the recorded answers
 * (compute alone), side by side. Target: under 10 s per investigation (the
 * original experiment's LLM agent took 217-249 s).
 * Options: --repeat N (default 5), --only a,b.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { inLanes } from '../lib/lanes';
import { investigate } from '../investigator/investigate';
import { type RecordedCall, recording, replaying } from '../investigator/sources';
import { type LabModel, buildLabModel } from '../model/lab';
import { NativeDriver } from '../runner/drivers/native';
import type { FiringMoment } from '../runner/lab-driver';
import { runLifecycle } from '../runner/lifecycle';
import { median } from '../runner/summary';
import { SCENARIOS, scenario } from '../scenarios';
import { budgetOf } from '../scenarios/budget';
import { CONTROL_NAME, controlWatchS } from '../scenarios/control';
import { agentView } from '../scenarios/render';
import { projectRoot } from '../services/runtime/paths';

const ORIGINAL_LLM_AGENT_S = [217, 249];

function stats(values: number[]): { median: number; min: number; max: number } {
  return { median: median(values) ?? Number.NaN, min: Math.min(...values), max: Math.max(...values) };
}

interface Row {
  name: string;
  conclusion: string;
  queries: number;
  liveMs: number[];
  replayMs: number[];
}

async function measure(name: string, lab: LabModel, moment: FiringMoment, repeat: number): Promise<Row> {
  const alert = agentView(moment.notification);
  const live = moment.access.sources;
  const calls: RecordedCall[] = [];
  const liveMs: number[] = [];
  let conclusion = '';
  let queries = 0;
  const now = Date.now() / 1000;
  for (let i = 0; i < repeat; i++) {
    const began = process.hrtime.bigint();
    const result = await investigate(alert, { lab, sources: i === 0 ? recording(live, calls) : live, now });
    liveMs.push(Number(process.hrtime.bigint() - began) / 1e6);
    conclusion = `${result.rootCause.service ?? 'none'} / ${result.rootCause.category}`;
    queries = result.queries;
  }
  const replayMs: number[] = [];
  const replay = replaying(calls, { metrics: live.metrics.kind, logs: live.logs?.kind, traces: live.traces?.kind });
  for (let i = 0; i < repeat; i++) {
    const began = process.hrtime.bigint();
    await investigate(alert, { lab, sources: replay, now });
    replayMs.push(Number(process.hrtime.bigint() - began) / 1e6);
  }
  return { name, conclusion, queries, liveMs, replayMs };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { repeat: { type: 'string' }, only: { type: 'string' } }, strict: true });
  const repeat = Number(values.repeat ?? 5);
  const names = values.only ? values.only.split(',') : [...SCENARIOS.map((s) => s.name), CONTROL_NAME];
  const lab = buildLabModel();
  const log = (m: string) => process.stderr.write(`[bench:investigate] ${m}\n`);
  const began = Date.now();
  const driver = new NativeDriver({ lab, lanes: 3, namePrefix: 'cms-bench' });
  const rows = await inLanes(names, driver.lanes, (n) => (n === CONTROL_NAME ? controlWatchS(lab) : budgetOf(scenario(n), lab).budgetS), async (name) => {
    let row: Row | undefined;
    await runLifecycle(name === CONTROL_NAME ? CONTROL_NAME : scenario(name), driver, { log, controlWatchS: 60, onFiring: async (moment) => void (row = await measure(name, lab, moment, repeat)) });
    if (!row) throw new Error(`${name}: the fault did not manifest; nothing measured`);
    return row;
  });
  const lines = [
    `bench:investigate on ${new Date().toISOString()}: ${repeat} investigations per scenario at the moment its alert fired, live and replayed, ${((Date.now() - began) / 60_000).toFixed(1)} min`,
    '',
    '| Scenario | Conclusion | Backend queries | Live: median (min–max) | Replayed (compute only): median | Live / replayed | Original LLM agent / live |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const live = stats(r.liveMs);
      const replay = stats(r.replayMs);
      return `| ${r.name} | ${r.conclusion} | ${r.queries} | ${live.median.toFixed(0)} ms (${live.min.toFixed(0)}–${live.max.toFixed(0)}) | ${replay.median.toFixed(1)} ms | ${(live.median / replay.median).toFixed(0)}× | ${((ORIGINAL_LLM_AGENT_S[0] * 1000) / live.median).toFixed(0)}–${((ORIGINAL_LLM_AGENT_S[1] * 1000) / live.median).toFixed(0)}× |`;
    }),
    '',
    `Target: under 10 s per investigation: ${rows.every((r) => stats(r.liveMs).max < 10_000) ? 'met' : 'MISSED'}. Reproduce: npm run bench:investigate (as root).`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
  const out = path.join(projectRoot(), 'results', 'bench-investigate.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(rows, null, 2));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:investigate failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
