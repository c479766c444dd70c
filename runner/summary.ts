/**
 * The results report, rebuilt from stored artefacts alone (no lab needed):
 * every results/<scenario>/<run-id>/record.json is read, grouped by agent,
 * model and scenario, and summarised as score distributions with 95%
 * confidence intervals, full-marks rates (Wilson interval), invalid-run
 * counts, time per investigation and fabricated citations — written as
 * summary.json, summary.md and a self-contained report.html.
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunRecord } from './run';

export interface GroupSummary {
  readonly agent: string;
  readonly model: string;
  readonly scenario: string;
  readonly runs: number;
  readonly scored: number;
  /** The expected alert never fired: the fault did not manifest (not counted as failures). */
  readonly invalid: number;
  readonly errors: number;
  /** Agents killed at their timeout (scored 0 whatever they printed first). */
  readonly timeouts: number;
  /** Agents that exited non-zero (scored on what they printed). */
  readonly nonZeroExits: number;
  readonly max: number;
  /** Scores of the scored runs, in run order. */
  readonly scores: readonly number[];
  readonly meanScore: number | null;
  /** 95% confidence interval of the mean (Student t), null below two scored runs. */
  readonly meanScoreCi95: readonly [number, number] | null;
  /** How many runs scored each total. */
  readonly distribution: Readonly<Record<string, number>>;
  readonly fullMarks: number;
  /** Wilson 95% interval of the full-marks rate. */
  readonly fullMarksRateCi95: readonly [number, number] | null;
  readonly medianInvestigationS: number | null;
  readonly maxInvestigationS: number | null;
  readonly fabrications: number;
  readonly medianTokens: number | null;
  readonly medianFiredAfterS: number | null;
  /** The reference baselines scored on the same pages: mean score each. */
  readonly baselines: ReadonlyArray<{ readonly agent: string; readonly scored: number; readonly meanScore: number | null }>;
}

export interface ResultsSummary {
  readonly generatedAt: string;
  readonly resultsDir: string;
  readonly runs: number;
  readonly groups: readonly GroupSummary[];
  /** Per agent and model: mean of score/max over all scored runs. */
  readonly agents: ReadonlyArray<{ agent: string; model: string; scored: number; invalid: number; errors: number; meanNormalisedScore: number | null; medianInvestigationS: number | null }>;
}

// two-sided 95% Student t quantiles for 1..30 degrees of freedom
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export function meanCi95(values: readonly number[]): [number, number] | null {
  if (values.length < 2) return null;
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const half = (T95[n - 2] ?? 1.96) * (sd / Math.sqrt(n));
  return [round(mean - half), round(mean + half)];
}

export function wilson95(successes: number, n: number): [number, number] | null {
  if (n === 0) return null;
  const z = 1.96;
  const p = successes / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return [round(Math.max(0, centre - half)), round(Math.min(1, centre + half))];
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function roundOrNull(x: number | null): number | null {
  return x === null ? null : round(x);
}

/** The median (the mean of the middle two for an even count); null for no values. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Every run record under a results folder (unreadable records are reported, not fatal). */
export function loadRecords(resultsDir: string, onProblem: (problem: string) => void = () => undefined): RunRecord[] {
  if (!existsSync(resultsDir)) throw new Error(`no results folder at ${resultsDir}: run a scenario first (npm run lab -- run …)`);
  const records: RunRecord[] = [];
  for (const scenario of readdirSync(resultsDir)) {
    const dir = path.join(resultsDir, scenario);
    if (!statSync(dir).isDirectory()) continue;
    for (const run of readdirSync(dir)) {
      const file = path.join(dir, run, 'record.json');
      if (!existsSync(file)) continue;
      try {
        records.push(JSON.parse(readFileSync(file, 'utf8')) as RunRecord);
      } catch (error) {
        onProblem(`${file}: ${(error as Error).message}`);
      }
    }
  }
  return records.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

export function summarise(records: readonly RunRecord[], resultsDir: string): ResultsSummary {
  const groups = new Map<string, RunRecord[]>();
  for (const r of records) {
    const key = JSON.stringify([r.agent, r.model ?? '', r.scenario]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const summaries: GroupSummary[] = [...groups.entries()]
    .map(([key, runs]) => {
      const [agent, model, scenario] = JSON.parse(key) as [string, string, string];
      const scored = runs.filter((r) => r.outcome === 'scored' && r.score);
      const scores = scored.map((r) => r.score?.total as number);
      const max = scored[0]?.score?.max ?? (scenario === 'control' ? 1 : 3);
      const distribution: Record<string, number> = {};
      for (const s of scores) distribution[String(s)] = (distribution[String(s)] ?? 0) + 1;
      const times = runs.flatMap((r) => (r.agentRun ? [r.agentRun.wallMs / 1000] : []));
      const tokens = runs.flatMap((r) => (r.agentRun?.tokens?.total !== undefined ? [r.agentRun.tokens.total] : []));
      const fired = runs.flatMap((r) => (r.manifestation?.firedAfterS !== undefined ? [r.manifestation.firedAfterS] : []));
      const full = scores.filter((s) => s === max).length;
      return {
        agent,
        model,
        scenario,
        runs: runs.length,
        scored: scored.length,
        invalid: runs.filter((r) => r.outcome === 'invalid').length,
        errors: runs.filter((r) => r.outcome === 'error').length,
        timeouts: runs.filter((r) => r.output?.status === 'timeout').length,
        nonZeroExits: runs.filter((r) => typeof r.agentRun?.exitCode === 'number' && r.agentRun.exitCode !== 0 && !r.agentRun.timedOut).length,
        max,
        scores,
        meanScore: scores.length ? round(scores.reduce((a, b) => a + b, 0) / scores.length) : null,
        meanScoreCi95: meanCi95(scores),
        distribution,
        fullMarks: full,
        fullMarksRateCi95: wilson95(full, scores.length),
        medianInvestigationS: roundOrNull(median(times)),
        maxInvestigationS: times.length ? round(Math.max(...times)) : null,
        fabrications: scored.reduce((a, r) => a + (r.score?.fabrications.length ?? 0), 0),
        medianTokens: median(tokens),
        medianFiredAfterS: roundOrNull(median(fired)),
        baselines: [...new Set(scored.flatMap((r) => (r.baselines ?? []).map((b) => b.agent)))].map((name) => {
          const totals = scored.flatMap((r) => (r.baselines ?? []).filter((b) => b.agent === name).map((b) => b.total));
          return { agent: name, scored: totals.length, meanScore: totals.length ? round(totals.reduce((a, b) => a + b, 0) / totals.length) : null };
        }),
      };
    })
    .sort((a, b) => a.agent.localeCompare(b.agent) || a.model.localeCompare(b.model) || a.scenario.localeCompare(b.scenario));
  const agentKeys = [...new Set(summaries.map((s) => JSON.stringify([s.agent, s.model])))];
  return {
    generatedAt: new Date().toISOString(),
    resultsDir,
    runs: records.length,
    groups: summaries,
    agents: agentKeys.map((key) => {
      const [agent, model] = JSON.parse(key) as [string, string];
      const mine = records.filter((r) => r.agent === agent && (r.model ?? '') === model);
      const normalised = mine.filter((r) => r.outcome === 'scored' && r.score).map((r) => (r.score?.total as number) / (r.score?.max as number));
      const times = mine.flatMap((r) => (r.agentRun ? [r.agentRun.wallMs / 1000] : []));
      return {
        agent,
        model,
        scored: normalised.length,
        invalid: mine.filter((r) => r.outcome === 'invalid').length,
        errors: mine.filter((r) => r.outcome === 'error').length,
        meanNormalisedScore: normalised.length ? round(normalised.reduce((a, b) => a + b, 0) / normalised.length) : null,
        medianInvestigationS: roundOrNull(median(times)),
      };
    }),
  };
}

const besides = (g: GroupSummary) => g.baselines.map((b) => `${b.agent} ${fmt(b.meanScore)}`).join(', ') || '—';
const fmt = (x: number | null, digits = 2) => (x === null ? '—' : x.toFixed(digits));
const ci = (c: readonly [number, number] | null, digits = 2) => (c ? `[${c[0].toFixed(digits)}, ${c[1].toFixed(digits)}]` : '—');

export function summaryMarkdown(summary: ResultsSummary, records: readonly RunRecord[]): string {
  const lines = [
    '# Scenario results',
    '',
    `${summary.runs} run(s) in \`${summary.resultsDir}\`, summarised ${summary.generatedAt}. Scores: +1 right service, +1 right evidence, +1 right remediation, −1/−2 per misattribution (control: +1 no fault, −2 blaming a service). Invalid runs (the fault did not manifest) are not failures.`,
    '',
    '## Agents',
    '| Agent | Model | Scored | Invalid | Errors | Mean score / max | Median time per investigation |',
    '|---|---|---|---|---|---|---|',
    ...summary.agents.map((a) => `| ${a.agent} | ${a.model || 'default'} | ${a.scored} | ${a.invalid} | ${a.errors} | ${fmt(a.meanNormalisedScore)} | ${fmt(a.medianInvestigationS)} s |`),
    '',
    '## Scenario × agent',
    '| Scenario | Agent | Runs | Scores (each run) | Mean [95% CI] | Baselines on the same pages (mean) | Full marks [95% CI] | Invalid | Errors | Timeouts | Non-zero exits | Median / max time | Fabricated citations |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...summary.groups.map(
      (g) =>
        `| ${g.scenario} | ${g.agent}${g.model ? ` (${g.model})` : ''} | ${g.runs} | ${g.scores.map((s) => `${s}/${g.max}`).join(', ') || '—'} | ${fmt(g.meanScore)} ${ci(g.meanScoreCi95)} | ${besides(g)} | ${g.fullMarks}/${g.scored} ${ci(g.fullMarksRateCi95)} | ${g.invalid} | ${g.errors} | ${g.timeouts} | ${g.nonZeroExits} | ${fmt(g.medianInvestigationS)} / ${fmt(g.maxInvestigationS)} s | ${g.fabrications} |`,
    ),
    '',
    '## Runs',
    '| Run | Scenario | Agent | Outcome | Score | Fired after | Investigation | Conclusion |',
    '|---|---|---|---|---|---|---|---|',
    ...records.map(
      (r) =>
        `| \`${r.runId}\` | ${r.scenario} | ${r.agent} | ${r.outcome}${r.error ? `: ${r.error.replace(/\|/g, '/')}` : ''} | ${r.score ? `${r.score.total}/${r.score.max}` : '—'} | ${r.manifestation?.firedAfterS !== undefined ? `${r.manifestation.firedAfterS.toFixed(1)} s` : '—'} | ${r.agentRun ? `${(r.agentRun.wallMs / 1000).toFixed(2)} s` : '—'} | ${(r.conclusion ?? '').replace(/\|/g, '/').slice(0, 140)} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function summaryHtml(summary: ResultsSummary, records: readonly RunRecord[]): string {
  const scenarios = [...new Set(records.map((r) => r.scenario))].sort();
  const agents = [...new Set(records.map((r) => `${r.agent}${r.model ? ` (${r.model})` : ''}`))].sort();
  const cell = (r: RunRecord) => {
    const cls = r.outcome !== 'scored' ? r.outcome : r.score && r.score.total === r.score.max ? 'full' : r.score && r.score.total > 0 ? 'partial' : 'zero';
    const label = r.outcome === 'scored' ? `${r.score?.total}/${r.score?.max}` : r.outcome;
    const title = [r.runId, r.conclusion ?? r.error ?? '', ...(r.score?.points.map((p) => `${p.points >= 0 ? '+' : ''}${p.points} ${p.rule}: ${p.why}`) ?? [])].join('\n');
    return `<td class="${cls}" title="${esc(title)}">${esc(label)}</td>`;
  };
  const matrix = agents
    .map((agent) => {
      const mine = records.filter((r) => `${r.agent}${r.model ? ` (${r.model})` : ''}` === agent);
      const width = Math.max(1, ...scenarios.map((s) => mine.filter((r) => r.scenario === s).length));
      const rows = scenarios.map((s) => {
        const runs = mine.filter((r) => r.scenario === s);
        return `<tr><th>${esc(s)}</th>${runs.map(cell).join('')}${'<td class="none"></td>'.repeat(width - runs.length)}</tr>`;
      });
      return `<h3>${esc(agent)}</h3><table class="matrix"><tr><th>scenario</th>${Array.from({ length: width }, (_, i) => `<th>run ${i + 1}</th>`).join('')}</tr>${rows.join('')}</table>`;
    })
    .join('\n');
  const bars = summary.groups
    .map((g) => {
      const values = Object.keys(g.distribution).map(Number).sort((a, b) => a - b);
      const most = Math.max(1, ...Object.values(g.distribution));
      const bar = values.map((v) => `<div class="bar"><span>${v}</span><i style="width:${(100 * (g.distribution[String(v)] ?? 0)) / most}%"></i><b>${g.distribution[String(v)]}</b></div>`).join('');
      return `<tr><td>${esc(g.scenario)}</td><td>${esc(g.agent)}${g.model ? ` (${esc(g.model)})` : ''}</td><td>${bar || '—'}</td><td>${fmt(g.meanScore)} ${ci(g.meanScoreCi95)}</td><td>${esc(besides(g))}</td><td>${g.fullMarks}/${g.scored} ${ci(g.fullMarksRateCi95)}</td><td>${g.invalid}</td><td>${g.errors}</td><td>${g.timeouts}</td><td>${g.nonZeroExits}</td><td>${fmt(g.medianInvestigationS)} s</td><td>${g.fabrications}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cms-chaos-lab results</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1.5em}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
.matrix td{text-align:center;min-width:4em}
.full{background:#b7e4c7}.partial{background:#ffe8a3}.zero{background:#f4b6b6}.invalid{background:#ddd;color:#666}.error{background:#555;color:#fff}.none{background:#fafafa}
.bar{display:flex;align-items:center;gap:4px;width:16em}.bar span{width:2em;text-align:right}.bar i{display:block;height:10px;background:#4a7fb5}.bar b{font-weight:normal;color:#555}
</style></head><body>
<h1>cms-chaos-lab results</h1>
<p>${summary.runs} run(s) in <code>${esc(summary.resultsDir)}</code>, summarised ${esc(summary.generatedAt)}. Rubric: +1 right service, +1 right evidence, +1 right remediation, −1/−2 per misattribution; control: +1 no fault, −2 blaming a service. Grey cells are invalid runs (the fault did not manifest), not failures. Hover a cell for the points and the conclusion. Beside each agent, the reference baselines scored on the same pages: the detector-based investigator, and the trivial one that blames the alert's own service (what the page alone gives away).</p>
<h2>Scenario × run matrix</h2>
${matrix}
<h2>Score distributions</h2>
<table><tr><th>scenario</th><th>agent</th><th>distribution (score: runs)</th><th>mean [95% CI]</th><th>baselines on the same pages (mean)</th><th>full marks [95% CI]</th><th>invalid</th><th>errors</th><th>timeouts</th><th>non-zero exits</th><th>median time</th><th>fabricated</th></tr>
${bars}
</table>
</body></html>
`;
}

/** Rebuilds summary.json, summary.md and report.html from the stored artefacts; returns the summary. */
export class NoRunsError extends Error {
  constructor(resultsDir: string) {
    super(`no runs in ${resultsDir}: nothing written (run a scenario first: npm run lab -- run …)`);
    this.name = 'NoRunsError';
  }
}

/** Writes summary.json, summary.md and report.html; a folder without a single run record is left untouched. */
export function writeSummary(resultsDir: string, onProblem?: (problem: string) => void): ResultsSummary {
  const records = loadRecords(resultsDir, onProblem);
  if (records.length === 0) throw new NoRunsError(resultsDir);
  const summary = summarise(records, resultsDir);
  writeFileSync(path.join(resultsDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(path.join(resultsDir, 'summary.md'), summaryMarkdown(summary, records));
  writeFileSync(path.join(resultsDir, 'report.html'), summaryHtml(summary, records));
  return summary;
}
