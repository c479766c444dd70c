/**
 * The whole loop, natively: every scenario and the no-fault
 * control, each on a fresh native lab (services in network namespaces,
 * Debian's Prometheus evaluating the lab's own config and rules), the
 * baseline investigator as the agent, in three concurrent lanes.
 *
 * It proves at once (one pass keeps the default test run short):
 * - the scenarios' conformance: each fault fires its expected alert within
 *   its budget and nothing unexpected; after cleanup the alert resolves, the
 *   steady state returns and nothing is left behind; the control fires
 *   nothing over the longest budget;
 * - the baseline investigator: right service and category, the ground
 *   truth's distinguishing evidence, the right remediation, no
 *   misattribution, no root cause on the control, each within 10 s;
 * - the runner: the scores of every run, its artefacts, and a report
 *   rebuilt from them alone.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { leftoverLabNames } from '../../harness/native-lab';
import type { InvestigationResult } from '../../investigator/investigate';
import { ALERT_RULES, alertRule } from '../../model/alerts';
import { buildLabModel } from '../../model/lab';
import { durationSeconds } from '../../model/promql';
import { SCENARIOS } from '../../scenarios';
import { budgetOf } from '../../scenarios/budget';
import { CONTROL_NAME } from '../../scenarios/control';
import { normaliseAgentOutput } from '../../runner/agent-result';
import { BaselineAgent } from '../../runner/agents/baseline';
import { NativeDriver } from '../../runner/drivers/native';
import { telemetryCatalogue } from '../../runner/catalogue';
import { type RunRecord, runMatrix } from '../../runner/run';
import { scoreReport } from '../../runner/score';
import { writeSummary } from '../../runner/summary';

jest.setTimeout(30 * 60_000);

const lab = buildLabModel();
/** Once each keeps the default test run short; repetitions are the benchmarks' (bench:cycle, bench:scenarios). */
const REPEAT = 1;

/** The distinguishing evidence each scenario's report must cite (a subset of its ground-truth signals). */
const MUST_CITE: Record<string, string[]> = {
  'sensor-down': ['up', 'service_stopping'],
  'network-partition': ['up', 'service_stopping'],
  'dds-qos-mismatch': ['cms_dds_incompatible_qos_total', 'dds_writer_ready'],
  'message-flood': ['cms_sensor_published_total', 'sensor_started'],
  'fusion-cpu-starvation': ['cms_fusion_processing_seconds', 'cms_sensor_published_total'],
  'memory-leak': ['cms_fusion_memory_bytes'],
};

describe('the native loop: every scenario and the control with the baseline agent', () => {
  const resultsDir = mkdtempSync(path.join(os.tmpdir(), 'cms-matrix-'));
  let records: RunRecord[] = [];
  const runsOf = (name: string) => records.filter((r) => r.scenario === name);
  const runDir = (r: RunRecord) => path.join(resultsDir, r.scenario, r.runId);
  const baselineResult = (r: RunRecord) => JSON.parse(readFileSync(path.join(runDir(r), 'agent-output.json'), 'utf8')) as InvestigationResult;

  const driver = new NativeDriver({ lab, lanes: 3, namePrefix: 'cms-test' });

  beforeAll(async () => {
    const began = Date.now();
    records = await runMatrix({
      driver,
      agent: new BaselineAgent(lab),
      targets: [...SCENARIOS, CONTROL_NAME],
      // the control once more in the lab's ambient noise: it must fire nothing either
      underAmbientNoise: [CONTROL_NAME],
      repeat: REPEAT,
      resultsDir,
      agentTimeoutMs: 60_000,
      log: (m) => process.stdout.write(`[matrix] ${m}\n`),
    });
    const rows = records.map((r) => `| ${r.scenario} #${r.repetition} | ${r.manifestation?.firedAfterS?.toFixed(1) ?? '—'} s | ${r.manifestation?.resolvedAfterS?.toFixed(1) ?? '—'} s | ${r.score ? `${r.score.total}/${r.score.max}` : r.outcome} | ${r.agentRun ? (r.agentRun.wallMs / 1000).toFixed(2) : '—'} s |`);
    process.stdout.write(`[matrix] ${((Date.now() - began) / 60_000).toFixed(1)} min\n| run | fired after | resolved after | score | investigation |\n|---|---|---|---|---|\n${rows.join('\n')}\n`);
  });

  it('ran every scenario and the control, every run scored', () => {
    const label = (r: RunRecord) => `${r.scenario}${r.noisy ? ' (noise)' : ''}#${r.repetition}`;
    expect(records.map(label).sort()).toEqual([...SCENARIOS.map((s) => s.name), CONTROL_NAME, `${CONTROL_NAME} (noise)`].flatMap((n) => Array.from({ length: REPEAT }, (_, i) => `${n}#${i + 1}`)).sort());
    expect(records.filter((r) => r.outcome !== 'scored').map((r) => `${r.scenario}#${r.repetition}: ${r.error}`)).toEqual([]);
  });

  describe('conformance', () => {
    it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s fires its expected alert within its budget, and no unexpected alert', (name, spec) => {
      const budget = budgetOf(spec, lab);
      for (const r of runsOf(name)) {
        expect({ run: r.repetition, valid: r.manifestation?.valid, unexpected: r.manifestation?.unexpectedAlerts }).toEqual({ run: r.repetition, valid: true, unexpected: [] });
        // a true lower bound: after a clean baseline Prometheus cannot fire before the rule's `for`
        expect(r.manifestation?.firedAfterS).toBeGreaterThanOrEqual(durationSeconds(alertRule(spec.expectedAlerts[0]).for));
        expect(r.manifestation?.firedAfterS).toBeLessThanOrEqual(budget.budgetS);
        expect(r.alert).toMatchObject({ rule: spec.expectedAlerts[0], source: 'rendered-from-prometheus' });
      }
    });

    it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s recovers after cleanup: alert resolved, steady state back, no residue', (name, spec) => {
      for (const r of runsOf(name)) {
        expect(r.manifestation?.resolvedAfterS).toBeLessThanOrEqual(budgetOf(spec, lab).recoveryS);
        expect(r.manifestation?.steadyAfterS).toBeDefined();
        expect(r.manifestation?.residue).toEqual([]);
      }
    });

    it('the control, watched as long as the longest budget, fires nothing and leaves nothing', () => {
      // steady (three tracks, every sensor contributing, every target up) still at the end of the watch
      for (const r of runsOf(CONTROL_NAME)) expect(r.manifestation).toMatchObject({ firedAlerts: [], residue: [], steadyAfterS: 0 });
      expect(readFileSync(path.join(runDir(runsOf(CONTROL_NAME)[0]), 'cleanup.log'), 'utf8')).toContain('native lab stopped');
    });

    it('the control in ambient noise: the noise really played (a restart, diagnostic bursts, the CPU neighbour), and still nothing fires', () => {
      const noisy = records.filter((r) => r.noisy);
      expect(noisy.map((r) => r.scenario)).toEqual(Array.from({ length: REPEAT }, () => CONTROL_NAME));
      for (const r of noisy) {
        expect(r.manifestation).toMatchObject({ firedAlerts: [], residue: [], steadyAfterS: 0, noise: expect.stringContaining('tactical-display restarted about every') });
        const played = `${readFileSync(path.join(runDir(r), 'inject.log'), 'utf8')}${readFileSync(path.join(runDir(r), 'cleanup.log'), 'utf8')}`;
        expect(played).toContain('noise: neighbour report-indexer started');
        expect(played).toContain('noise: tactical-display restarted\n');
        expect(played).toMatch(/noise: diagnostics requested from track-fusion, threat-evaluator, command-center/);
        expect(played).toContain('noise: neighbour report-indexer stopped');
        expect(played).not.toContain('noise: FAILED');
      }
      for (const r of records.filter((x) => !x.noisy)) expect(r.manifestation?.noise).toMatch(/^no noise/);
    });

    it('leaves no lab, network namespace or process behind', () => {
      // each run's residue names its own lab's processes, cgroups, state file and network namespaces
      expect(records.filter((r) => r.manifestation?.residue.length).map((r) => `${r.scenario}#${r.repetition}: ${r.manifestation?.residue.join(', ')}`)).toEqual([]);
      // this run's own labs only: another run on this machine has its own token
      expect(leftoverLabNames(driver.labPrefix)).toEqual([]);
    });
  });

  describe('the baseline investigator', () => {
    const solved = SCENARIOS.filter((s) => MUST_CITE[s.name]);
    const beyond = SCENARIOS.filter((s) => !MUST_CITE[s.name]);
    it.each(solved.map((s) => [s.name, s] as const))('%s: right service and category, distinguishing evidence, right remediation, no misattribution', (name, spec) => {
      for (const r of runsOf(name)) {
        const result = baselineResult(r);
        expect({ run: r.repetition, service: result.rootCause.service, category: result.rootCause.category }).toEqual({ run: r.repetition, service: spec.groundTruth.rootCause.service, category: spec.groundTruth.category });
        expect(r.score?.citedEvidence).toEqual(expect.arrayContaining(MUST_CITE[name]));
        expect(r.score?.points.map((p) => [p.rule, p.points])).toEqual([
          ['service', 1],
          ['evidence', 1],
          ['remediation', 1],
        ]);
        expect(r.score?.fabrications).toEqual([]);
        expect(result.missingSources).toEqual([]);
      }
    });

    // scenarios it is not built for: scored as it is, never a fabricated source
    it.each(beyond.map((s) => [s.name, s] as const))('%s (beyond the baseline): scored as it is, nothing fabricated', (name) => {
      for (const r of runsOf(name)) {
        const result = baselineResult(r);
        process.stdout.write(`[matrix] ${name}: baseline ${result.rootCause.service ?? 'none'} / ${result.rootCause.category}: ${r.score?.total}/${r.score?.max}\n`);
        expect(r.score?.fabrications).toEqual([]);
      }
    });

    it('reports no root cause on the control', () => {
      for (const r of runsOf(CONTROL_NAME)) expect(baselineResult(r).rootCause).toMatchObject({ service: null, category: 'none' });
    });

    it('investigates each alert in under 10 s', () => {
      for (const r of records) expect(r.agentRun?.wallMs).toBeLessThan(10_000);
    });
  });

  describe('the runner', () => {
    it('scores every scenario run 3/3 and every control run 1/1, consistently with the stored output', () => {
      const catalogue = telemetryCatalogue(lab);
      for (const r of records) {
        if (r.scenario === CONTROL_NAME || MUST_CITE[r.scenario]) expect({ run: `${r.scenario}#${r.repetition}`, total: r.score?.total }).toEqual({ run: `${r.scenario}#${r.repetition}`, total: r.scenario === CONTROL_NAME ? 1 : 3 });
        const rescored = scoreReport(normaliseAgentOutput('baseline', readFileSync(path.join(runDir(r), 'agent-output.json'), 'utf8')), r.scenario === CONTROL_NAME ? 'control' : SCENARIOS.find((s) => s.name === r.scenario)!, catalogue);
        expect(rescored.points).toEqual(r.score?.points);
      }
    });

    it('keeps every artefact of every run, and no ground truth in what the agent was given', () => {
      for (const r of records) {
        const files = readdirSync(runDir(r)).sort();
        expect(files).toEqual(['agent-output.json', 'agent-transcript.txt', 'alert.json', 'audit.json', 'baselines', 'cleanup.log', 'inject.log', 'record.json', 'score.json']);
        expect(readdirSync(path.join(runDir(r), 'baselines')).sort()).toEqual(['trivial-output.json', 'trivial-score.json']);
        const alert = readFileSync(path.join(runDir(r), 'alert.json'), 'utf8');
        expect(JSON.parse(alert).commonAnnotations.scenario).toBeUndefined();
        // scenario names that are not also alert rule names never reach the agent
        for (const s of SCENARIOS.filter((x) => !ALERT_RULES.some((rule) => rule.uid === x.name))) expect(alert).not.toContain(s.name);
        const audit = JSON.parse(readFileSync(path.join(runDir(r), 'audit.json'), 'utf8'));
        expect(audit).toMatchObject({ alert: { rule: expect.any(String) }, sourcesQueried: expect.arrayContaining([{ source: 'prometheus', query: 'up{job="cms-services"}' }]), durationMs: expect.any(Number) });
      }
    });

    it('scores the trivial baseline beside it on every page: it blames the paged service, so it fails the control', () => {
      for (const r of records) {
        const trivial = r.baselines?.find((b) => b.agent === 'trivial');
        expect({ run: r.scenario, status: trivial?.status }).toEqual({ run: r.scenario, status: 'ok' });
        if (r.scenario === CONTROL_NAME) expect(trivial?.total).toBe(-2);
        else if (MUST_CITE[r.scenario]) expect(trivial?.total).toBeLessThanOrEqual(r.score?.total ?? 0);
      }
    });

    it('rebuilds the report from the stored artefacts alone', () => {
      const summary = writeSummary(resultsDir);
      expect(summary.runs).toBe(records.length);
      // the control ran quiet and in noise
      for (const g of summary.groups) expect(g).toMatchObject({ runs: g.scenario === CONTROL_NAME ? 2 * REPEAT : REPEAT, scored: g.scenario === CONTROL_NAME ? 2 * REPEAT : REPEAT, invalid: 0, errors: 0 });
      for (const g of summary.groups.filter((x) => x.scenario === CONTROL_NAME || MUST_CITE[x.scenario])) expect(g).toMatchObject({ meanScore: g.max, fullMarks: g.runs });
      expect(readFileSync(path.join(resultsDir, 'report.html'), 'utf8')).toContain('<td class="full"');
    });
  });
});
