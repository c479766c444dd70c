/**
 * The scorer held against human judgement: the labelled corpus of agent
 * reports (corpus/*.yaml, each report scored per rubric line by an
 * experienced SRE, with a one-line reason) is scored automatically, and the
 * two are compared per rubric line: accuracy and Cohen's κ.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { SCENARIOS, scenario } from '../scenarios';
import { projectRoot } from '../services/runtime/paths';
import { CONTROL_NAME } from '../scenarios/control';
import { normaliseAgentOutput } from './agent-result';
import type { TelemetryCatalogue } from './catalogue';
import { type Score, scoreReport } from './score';

/** The labelled corpus in the repository. */
export function corpusDir(): string {
  return path.join(projectRoot(), 'corpus');
}

export const SCENARIO_LINES = ['service', 'evidence', 'remediation', 'misattribution', 'fabrication'] as const;
export const CONTROL_LINES = ['noFault', 'falsePositive', 'fabrication'] as const;
export type RubricLine = (typeof SCENARIO_LINES)[number] | (typeof CONTROL_LINES)[number];
type LabelValue = number | boolean;

const entrySchema = z.object({
  id: z.string().min(1),
  style: z.enum(['opensre', 'holmesgpt', 'command']),
  kind: z.string().min(1),
  format: z.enum(['opensre', 'holmesgpt', 'generic', 'baseline']),
  raw: z.string(),
  labels: z.record(z.string(), z.union([z.number(), z.boolean()])),
  reasons: z.record(z.string(), z.string().min(1)),
});

export interface CorpusReport extends z.infer<typeof entrySchema> {
  /** The scenario (or the control) the report answers, from its file name. */
  readonly target: string;
}

/** Every labelled report under `dir`: `<scenario>.yaml`, `control*.yaml`; refuses an entry that misses a line or a reason. */
export function loadCorpus(dir: string): CorpusReport[] {
  const reports: CorpusReport[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const target = file.startsWith(CONTROL_NAME) ? CONTROL_NAME : file.replace(/\.yaml$/, '');
    if (target !== CONTROL_NAME && !SCENARIOS.some((s) => s.name === target)) throw new Error(`${file}: no scenario named '${target}'`);
    const entries = parse(readFileSync(path.join(dir, file), 'utf8')) as unknown;
    if (!Array.isArray(entries)) throw new Error(`${file}: expected a list of labelled reports`);
    entries.forEach((entry, i) => {
      const parsed = entrySchema.safeParse(entry);
      if (!parsed.success) throw new Error(`${file} entry ${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
      const lines = target === CONTROL_NAME ? CONTROL_LINES : SCENARIO_LINES;
      for (const line of lines) {
        if (parsed.data.labels[line] === undefined) throw new Error(`${file} ${parsed.data.id}: no label for ${line}`);
        if (!parsed.data.reasons[line]) throw new Error(`${file} ${parsed.data.id}: no reason for ${line}`);
      }
      reports.push({ ...parsed.data, target });
    });
  }
  const ids = reports.map((r) => r.id);
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (repeated.length) throw new Error(`corpus ids repeated: ${[...new Set(repeated)].join(', ')}`);
  return reports;
}

/** What the scorer says on each rubric line, in the labels' terms. */
export function scorerLines(score: Score): Record<RubricLine, LabelValue> {
  const sum = (rule: string) => score.points.filter((p) => p.rule === rule).reduce((a, p) => a + p.points, 0);
  return {
    // to the half point: a report that finds one of two root causes (F1 0.67) is told from one that finds both
    service: Math.round(sum('service') * 2) / 2,
    evidence: sum('evidence'),
    remediation: sum('remediation'),
    misattribution: sum('misattribution'),
    fabrication: score.fabrications.length > 0,
    noFault: sum('no-fault'),
    falsePositive: sum('false-positive'),
  };
}

export interface LineAgreement {
  readonly line: RubricLine;
  readonly n: number;
  readonly accuracy: number;
  /** Cohen's κ (1 when both raters agree on a single value throughout). */
  readonly kappa: number;
  readonly disagreements: ReadonlyArray<{ readonly id: string; readonly human: LabelValue; readonly scorer: LabelValue; readonly reason: string; readonly why: string }>;
}

export function cohensKappa(pairs: ReadonlyArray<readonly [LabelValue, LabelValue]>): number {
  const n = pairs.length;
  if (n === 0) return Number.NaN;
  const key = (v: LabelValue) => String(v);
  const observed = pairs.filter(([a, b]) => key(a) === key(b)).length / n;
  const values = [...new Set(pairs.flatMap(([a, b]) => [key(a), key(b)]))];
  const expected = values.reduce((acc, v) => acc + (pairs.filter(([a]) => key(a) === v).length / n) * (pairs.filter(([, b]) => key(b) === v).length / n), 0);
  return expected === 1 ? 1 : (observed - expected) / (1 - expected);
}

export interface CorpusAgreement {
  readonly reports: number;
  readonly byTarget: Readonly<Record<string, number>>;
  readonly lines: readonly LineAgreement[];
}

export function corpusAgreement(reports: readonly CorpusReport[], catalogue: TelemetryCatalogue): CorpusAgreement {
  const scored = reports.map((r) => {
    const score = scoreReport(normaliseAgentOutput(r.format, r.raw), r.target === CONTROL_NAME ? 'control' : scenario(r.target), catalogue);
    return { report: r, score, lines: scorerLines(score) };
  });
  const lines = ([...SCENARIO_LINES, 'noFault', 'falsePositive'] as RubricLine[]).map((line): LineAgreement => {
    const relevant = scored.filter((s) => s.report.labels[line] !== undefined);
    const pairs = relevant.map((s) => [s.report.labels[line], s.lines[line]] as const);
    const agree = pairs.filter(([a, b]) => String(a) === String(b)).length;
    return {
      line,
      n: pairs.length,
      accuracy: pairs.length ? agree / pairs.length : Number.NaN,
      kappa: cohensKappa(pairs),
      disagreements: relevant
        .filter((s) => String(s.report.labels[line]) !== String(s.lines[line]))
        .map((s) => ({
          id: s.report.id,
          human: s.report.labels[line],
          scorer: s.lines[line],
          reason: s.report.reasons[line] ?? '',
          why:
            line === 'fabrication'
              ? s.score.fabrications.map((f) => `${f.kind} ${f.name} ("${f.sentence.slice(0, 100)}")`).join(', ') || 'none found'
              : s.score.points
                  .filter((p) => p.rule === ({ noFault: 'no-fault', falsePositive: 'false-positive' } as Record<string, string>)[line] || p.rule === line)
                  .map((p) => `${p.why}${p.sentence ? ` ("${p.sentence.slice(0, 160)}")` : ''}`)
                  .join('; ') || '—',
        })),
    };
  });
  const byTarget: Record<string, number> = {};
  for (const r of reports) byTarget[r.target] = (byTarget[r.target] ?? 0) + 1;
  return { reports: reports.length, byTarget, lines };
}

/** The README table: agreement per rubric line. */
export function agreementTable(agreement: CorpusAgreement): string {
  const names: Record<RubricLine, string> = {
    service: 'right service (+1)',
    evidence: 'evidence cited as observed (+1)',
    remediation: 'right remediation (+1)',
    misattribution: 'misattributions (−1/−2 each)',
    fabrication: 'fabricated source flagged',
    noFault: 'control: says nothing is wrong (+1)',
    falsePositive: 'control: blames a service (−2)',
  };
  return [
    `${agreement.reports} labelled reports (${Object.entries(agreement.byTarget)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}).`,
    '',
    '| rubric line | reports | accuracy | Cohen\'s κ |',
    '|---|---|---|---|',
    ...agreement.lines.map((l) => `| ${names[l.line]} | ${l.n} | ${(l.accuracy * 100).toFixed(0)} % | ${l.kappa.toFixed(2)} |`),
  ].join('\n');
}
