/**
 * npm run bench:cycle — wall time of one inject → alert → investigate →
 * score → clean cycle per scenario, with the baseline agent on the native
 * backend: the runner's own loop, --repeat times (three lanes). Each cycle
 * includes the fresh lab and baseline gate before injection and the
 * recovery gate after cleanup. Target: median under 3 minutes (the original
 * experiment needed about 6 minutes per scenario).
 * Options: --repeat N (default 3), --lanes N (default 3), --only a,b.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildLabModel } from '../model/lab';
import { SCENARIOS, scenario } from '../scenarios';
import { BaselineAgent } from '../runner/agents/baseline';
import { NativeDriver } from '../runner/drivers/native';
import { runMatrix } from '../runner/run';
import { median } from '../runner/summary';

const ORIGINAL_CYCLE_S = 360;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { repeat: { type: 'string' }, lanes: { type: 'string' }, only: { type: 'string' } }, strict: true });
  const repeat = Number(values.repeat ?? 3);
  const lanes = Number(values.lanes ?? 3);
  const targets = values.only ? values.only.split(',').map((n) => scenario(n)) : [...SCENARIOS];
  const lab = buildLabModel();
  const resultsDir = mkdtempSync(path.join(os.tmpdir(), 'cms-bench-cycle-'));
  const began = Date.now();
  const records = await runMatrix({ driver: new NativeDriver({ lab, lanes, namePrefix: 'cms-bench' }), agent: new BaselineAgent(lab), targets, repeat, resultsDir, log: (m) => process.stderr.write(`[bench:cycle] ${m}\n`) });
  const rows = targets.map((spec) => {
    const runs = records.filter((r) => r.scenario === spec.name);
    const cycles = runs.map((r) => (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000);
    const fired = runs.flatMap((r) => (r.manifestation?.firedAfterS === undefined ? [] : [r.manifestation.firedAfterS]));
    const investigate = runs.flatMap((r) => (r.agentRun ? [r.agentRun.wallMs / 1000] : []));
    const recovered = runs.flatMap((r) => (r.manifestation?.steadyAfterS === undefined || r.manifestation.resolvedAfterS === undefined ? [] : [Math.max(r.manifestation.steadyAfterS, r.manifestation.resolvedAfterS)]));
    const scores = runs.map((r) => (r.score ? `${r.score.total}/${r.score.max}` : r.outcome)).join(', ');
    const m = median(cycles) ?? Number.NaN;
    return `| ${spec.name} | ${cycles.map((c) => c.toFixed(0)).join(', ')} | ${m.toFixed(0)} s | ${(median(fired) ?? Number.NaN).toFixed(0)} s | ${(median(investigate) ?? Number.NaN).toFixed(2)} s | ${(median(recovered) ?? Number.NaN).toFixed(0)} s | ${scores} | ${m <= 180 ? 'met' : 'MISSED'} | ${(ORIGINAL_CYCLE_S / m).toFixed(1)}× |`;
  });
  process.stdout.write(
    [
      `bench:cycle on ${new Date().toISOString()}: ${repeat} cycles per scenario, ${lanes} lanes, baseline agent, native backend, ${((Date.now() - began) / 60_000).toFixed(1)} min; artefacts in ${resultsDir}`,
      '',
      '| Scenario | Cycle (s, each run) | Median cycle | Inject → alert | Investigate | Cleanup → recovered | Scores | Target 3 min | Original ~6 min / median |',
      '|---|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      'Reproduce: npm run bench:cycle (as root)',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:cycle failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
