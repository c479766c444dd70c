/**
 * Every scenario's fault, applied natively (services in network namespaces,
 * Debian's Prometheus evaluating the lab's own config and rules), fires its
 * expected alert within its budget and nothing unexpected; after cleanup the
 * alert resolves, the steady state returns and nothing is left behind. A
 * no-fault control over the longest budget fires nothing. Runs in three
 * concurrent lanes (separate labs, bridges and DDS domains).
 */
import { type ConformanceResult, type ControlResult, labNamespaces, runControlNatively, runScenarioNatively } from '../../harness/conformance';
import { inLanes } from '../../harness/lanes';
import { alertRule } from '../../model/alerts';
import { buildLabModel } from '../../model/lab';
import { durationSeconds } from '../../model/promql';
import { SCENARIOS } from '../../scenarios';
import { budgetOf } from '../../scenarios/budget';

jest.setTimeout(25 * 60_000);

const lab = buildLabModel();
const LANES = 3;
const controlS = Math.max(...SCENARIOS.map((s) => budgetOf(s, lab).budgetS));

type Job = { kind: 'scenario'; spec: (typeof SCENARIOS)[number] } | { kind: 'control' };

describe('native conformance of the six scenarios', () => {
  const results = new Map<string, ConformanceResult>();
  let control: ControlResult;
  const log = (message: string) => process.stdout.write(`[conformance] ${message}\n`);

  beforeAll(async () => {
    const jobs: Job[] = [...SCENARIOS.map((spec) => ({ kind: 'scenario' as const, spec })), { kind: 'control' }];
    await inLanes(
      jobs,
      LANES,
      (job) => (job.kind === 'control' ? controlS : budgetOf(job.spec, lab).budgetS + budgetOf(job.spec, lab).recoveryS),
      async (job) => {
        if (job.kind === 'control') control = await runControlNatively(controlS, { lab, log });
        else results.set(job.spec.name, await runScenarioNatively(job.spec, { lab, log }));
      },
    );
    const rows = SCENARIOS.map((s) => {
      const r = results.get(s.name) as ConformanceResult;
      return `| ${s.name} | ${r.firedAfterS?.toFixed(1) ?? 'never'} s | ${r.budget.floorS} s | ${r.budget.budgetS} s | ${r.resolvedAfterS?.toFixed(1) ?? '—'} s | ${r.firedAlerts.join(', ')} |`;
    });
    log(['injection → firing beside the theoretical floor:', '| scenario | fired after | floor | budget | resolved after cleanup | alerts fired |', '|---|---|---|---|---|---|', ...rows].join('\n'));
  });

  it.each(SCENARIOS.map((s) => [s.name]))('%s fires its expected alert within its budget, and no unexpected alert', (name) => {
    const r = results.get(name) as ConformanceResult;
    expect({ name, valid: r.valid, unexpected: r.unexpected }).toEqual({ name, valid: true, unexpected: [] });
    // a true lower bound: after a clean baseline Prometheus cannot fire before the rule's `for`
    expect(r.firedAfterS).toBeGreaterThanOrEqual(durationSeconds(alertRule(SCENARIOS.find((s) => s.name === name)!.expectedAlerts[0]).for));
    expect(r.firedAfterS).toBeLessThanOrEqual(r.budget.budgetS);
  });

  it.each(SCENARIOS.map((s) => [s.name]))('%s recovers after cleanup: alert resolved, steady state back, no residue', (name) => {
    const r = results.get(name) as ConformanceResult;
    expect(r.resolvedAfterS).toBeDefined();
    expect(r.steadyAfterS).toBeDefined();
    expect(r.resolvedAfterS).toBeLessThanOrEqual(r.budget.recoveryS);
    expect(r.leftoversAtStart).toEqual([]);
    expect(r.residue).toEqual([]);
  });

  it('the no-fault control, watched as long as the longest budget, fires nothing', () => {
    expect(control).toMatchObject({ durationS: controlS, firedAlerts: [], tracksAtEnd: 3, residue: [] });
  });

  it('leaves no network namespace behind', () => {
    expect(labNamespaces()).toEqual([]);
  });
});
