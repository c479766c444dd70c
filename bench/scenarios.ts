/**
 * npm run bench:scenarios — each scenario three times in a row on the native
 * harness (scenarios in parallel lanes): injection-to-firing time (median of
 * the runs) beside its theoretical floor, recovery time after cleanup, and
 * whether any residue was found. Targets: every scenario fires within
 * floor + 30 s; memory-leak within 4 minutes. The control runs as often,
 * quiet and in the lab's ambient noise: it must fire nothing either way.
 * Options: --repeat N (default 3), --lanes N (default 3), --only a,b[,control]
 * (the named scenarios, and the control's pair if named), --noise ambient (every scenario run in the ambient noise too).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inLanes } from '../lib/lanes';
import { buildLabModel } from '../model/lab';
import { NativeDriver } from '../runner/drivers/native';
import { type RunObservation, runLifecycle } from '../runner/lifecycle';
import { benchTargets, runWeightS } from '../runner/run';
import { CONTROL_NAME } from '../scenarios/control';
import { median } from '../runner/summary';
import { budgetOf } from '../scenarios/budget';
import { projectRoot } from '../services/runtime/paths';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const repeat = Number(option('repeat') ?? 3);
  const lanes = Number(option('lanes') ?? 3);
  const lab = buildLabModel();
  const began = Date.now();
  const log = (m: string) => process.stderr.write(`[bench:scenarios] ${m}\n`);
  const driver = new NativeDriver({ lab, lanes, namePrefix: 'cms-bench', otlp: 'count' });
  const scenarioNoise = option('noise') === 'ambient' ? lab.noise.ambient : undefined;
  if (option('noise') !== undefined && !scenarioNoise) throw new Error(`--noise must be 'ambient', not '${option('noise')}'`);
  const jobs = benchTargets(lab, option('only'), scenarioNoise);
  const runs = await inLanes(
    jobs,
    lanes,
    (j) => runWeightS(j.target, lab),
    async (j) => {
      const results: RunObservation[] = [];
      // a broken run (it cleaned its fault up) is reported in its row; the other runs still count
      const broken: string[] = [];
      for (let i = 0; i < repeat; i++) {
        await runLifecycle(j.target, driver, { noise: j.noise, log: (m) => log(`run ${i + 1}/${repeat} ${m}`) }).then(
          (r) => results.push(r),
          (error: Error) => broken.push(`run ${i + 1}: ${error.message}`),
        );
      }
      return { ...j, results, broken };
    },
  );
  const rows = runs.map(({ target, label, results, broken }) => {
    if (broken.length) return `| ${label} | BROKEN: ${broken.join('; ').replace(/\|/g, '/')} (${results.length} run(s) completed) | | | | | | |`;
    const residue = results.flatMap((r) => [...r.residue, ...r.leftoversAtStart]);
    const unexpected = [...new Set(results.flatMap((r) => r.unexpectedAlerts))];
    if (target === CONTROL_NAME) {
      const quiet = results.every((r) => r.firedAlerts.length === 0 && r.steadyAfterS === 0);
      return `| ${label} | nothing fired: ${results.filter((r) => r.firedAlerts.length === 0).length}/${results.length} | — | — | nothing fires, steady held: ${quiet ? 'met' : 'MISSED'} | — | ${residue.length ? residue.join('; ') : 'none'} | ${unexpected.join(', ') || 'none'} |`;
    }
    const spec = target;
    const budget = budgetOf(spec, lab);
    const fired = results.filter((r) => r.valid && r.firedAfterS !== undefined).map((r) => r.firedAfterS as number);
    const med = median(fired) ?? Number.NaN;
    const goal = spec.name === 'memory-leak' ? Math.min(240, budget.floorS + 30) : budget.floorS + 30;
    const recovered = results.filter((r) => r.resolvedAfterS !== undefined).map((r) => r.resolvedAfterS as number);
    return `| ${label} | ${fired.map((f) => f.toFixed(0)).join(', ')} | ${med.toFixed(1)} s | ${budget.floorS} s | ${goal} s: ${fired.length === results.length && med <= goal ? 'met' : 'MISSED'} | ${(median(recovered) ?? Number.NaN).toFixed(1)} s | ${residue.length ? residue.join('; ') : 'none'} | ${unexpected.join(', ') || 'none'} |`;
  });
  const lines = [
    `bench:scenarios on ${new Date().toISOString()}: ${repeat} runs each, ${lanes} lanes, ${((Date.now() - began) / 60_000).toFixed(1)} min`,
    '',
    '| Scenario | Fired after (s, each run) | Median | Floor | Target | Recovery (median) | Residue | Unexpected alerts |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    'Reproduce: npm run bench:scenarios (as root: network namespaces and cgroups)',
    '',
  ];
  process.stdout.write(lines.join('\n'));
  if (runs.some((r) => r.broken.length)) process.exitCode = 1;
  const out = path.join(projectRoot(), 'results', 'bench-scenarios.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(runs.map(({ label, results, broken }) => ({ scenario: label, results, broken })), null, 2));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:scenarios failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
