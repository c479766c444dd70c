/** The results report, rebuilt from stored records alone. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunRecord } from '../../runner/run';
import { meanCi95, median, summarise, wilson95, writeSummary } from '../../runner/summary';

function record(scenario: string, repetition: number, outcome: RunRecord['outcome'], total?: number, wallMs = 40): RunRecord {
  const max = scenario === 'control' ? 1 : 3;
  return {
    runId: `2026-r${repetition}-${scenario}`,
    scenario,
    repetition,
    agent: 'baseline',
    backend: 'native',
    startedAt: `2026-11-22T06:0${repetition}:00.000Z`,
    finishedAt: `2026-11-22T06:0${repetition}:59.000Z`,
    outcome,
    error: outcome === 'invalid' ? 'the expected alert did not fire within the budget: the fault did not manifest' : undefined,
    manifestation: { target: scenario, mechanism: 'the native harness', valid: outcome !== 'invalid', firedAfterS: outcome === 'invalid' ? undefined : 40 + repetition, firedAlerts: [], unexpectedAlerts: [], leftoversAtStart: [], drift: [], residue: [] },
    agentRun: outcome === 'scored' ? { wallMs, exitCode: 0, timedOut: false } : undefined,
    score:
      total === undefined
        ? undefined
        : { truth: scenario, total, max, outputStatus: 'ok', basis: 'prose', points: [], categoryNamed: true, citedEvidence: [], fabrications: total < 0 ? [{ kind: 'metric', name: 'made_up_total', sentence: 'x' }] : [] },
    conclusion: 'radar-sensor stopped | really',
    ...(total === undefined ? {} : { baselines: [{ agent: 'trivial', total: repetition === 1 ? 1 : 0, max, status: 'ok' as const }] }),
  };
}

function store(dir: string, records: RunRecord[]): void {
  for (const r of records) {
    mkdirSync(path.join(dir, r.scenario, r.runId), { recursive: true });
    writeFileSync(path.join(dir, r.scenario, r.runId, 'record.json'), JSON.stringify(r));
  }
}

describe('statistics', () => {
  it('give the Student t interval of a mean', () => {
    expect(meanCi95([3, 3, 3])).toEqual([3, 3]);
    expect(meanCi95([1, 3])).toEqual([-10.706, 14.706]);
    expect(meanCi95([2])).toBeNull();
  });
  it('give the median, the mean of the middle two for an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
  it('give the Wilson interval of a rate', () => {
    expect(wilson95(5, 5)).toEqual([0.566, 1]);
    expect(wilson95(0, 0)).toBeNull();
  });
});

describe('summarise', () => {
  const records = [record('sensor-down', 1, 'scored', 3), record('sensor-down', 2, 'scored', 1, 60), record('sensor-down', 3, 'invalid'), record('network-partition', 1, 'scored', -1), record('control', 1, 'scored', 1), record('control', 2, 'error')];

  it('groups by agent, model and scenario with distributions, invalid runs and errors apart', () => {
    const summary = summarise(records, '/r');
    const sensor = summary.groups.find((g) => g.scenario === 'sensor-down');
    expect(sensor).toMatchObject({ runs: 3, scored: 2, invalid: 1, errors: 0, scores: [3, 1], meanScore: 2, distribution: { '1': 1, '3': 1 }, fullMarks: 1, medianInvestigationS: 0.05, maxInvestigationS: 0.06 });
    expect(summary.groups.find((g) => g.scenario === 'control')).toMatchObject({ runs: 2, scored: 1, errors: 1, max: 1 });
    expect(summary.groups.find((g) => g.scenario === 'network-partition')?.fabrications).toBe(1);
    // normalised mean over scored runs: (1 + 1/3 − 1/3 + 1) / 4
    expect(summary.agents).toEqual([{ agent: 'baseline', model: '', scored: 4, invalid: 1, errors: 1, meanNormalisedScore: 0.5, medianInvestigationS: 0.04 }]);
  });

  it('rebuilds summary.json, summary.md and report.html from the stored artefacts alone', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cms-results-'));
    store(dir, records);
    mkdirSync(path.join(dir, 'broken', 'run'), { recursive: true });
    writeFileSync(path.join(dir, 'broken', 'run', 'record.json'), '{ not json');
    const problems: string[] = [];
    const summary = writeSummary(dir, (p) => problems.push(p));
    expect(summary.runs).toBe(records.length);
    expect(problems).toEqual([expect.stringContaining('broken')]);
    const md = readFileSync(path.join(dir, 'summary.md'), 'utf8');
    // beside the agent, the trivial baseline on the same two pages (1 and 0)
    expect(md).toContain('| sensor-down | baseline | 3 | 3/3, 1/3 | 2.00 [-10.71, 14.71] | trivial 0.50 | 1/2 [0.10, 0.91] | 1 | 0 | 0 | 0 | 0.05 / 0.06 s | 0 |');
    // a pipe in a conclusion cannot break the table
    expect(md).toContain('radar-sensor stopped / really');
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<td class="invalid"');
    expect(html).toContain('<td class="full"');
    expect(html).toContain('<td>trivial 0.50</td>');
    expect(html).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)/);
    expect(JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')).groups).toHaveLength(3);
  });

  it('counts agents killed at their timeout and agents that exited non-zero, apart from errors', () => {
    const timedOut: RunRecord = { ...record('sensor-down', 1, 'scored', 0), agentRun: { wallMs: 60_000, exitCode: null, timedOut: true, error: 'timed out after 60000 ms and was killed' }, output: { status: 'timeout' } };
    const crashed: RunRecord = { ...record('sensor-down', 2, 'scored', 3), agentRun: { wallMs: 40, exitCode: 3, timedOut: false, error: 'exited with 3' }, output: { status: 'ok' } };
    const [group] = summarise([timedOut, crashed, record('sensor-down', 3, 'scored', 3)], '/results').groups;
    expect(group).toMatchObject({ runs: 3, scored: 3, errors: 0, timeouts: 1, nonZeroExits: 1 });
  });

  it('says clearly when there is nothing to report', () => {
    expect(() => writeSummary(path.join(os.tmpdir(), 'cms-no-such-results'))).toThrow(/no results folder .*run a scenario first \(npm run lab -- run /);
    expect(existsSync(path.join(os.tmpdir(), 'cms-no-such-results'))).toBe(false);
  });
});
