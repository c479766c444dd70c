/**
 * The scorer against human judgement: every labelled report of the corpus
 * (corpus/*.yaml) scored automatically and compared per rubric line. Fails
 * below Cohen's κ 0.8 on any line, printing each disagreement with both
 * reasons.
 */
import { buildLabModel } from '../../model/lab';
import { SCENARIOS } from '../../scenarios';
import { telemetryCatalogue } from '../../runner/catalogue';
import { cohensKappa, corpusAgreement, corpusDir, loadCorpus } from '../../runner/scorer-agreement';

const reports = loadCorpus(corpusDir());
const agreement = corpusAgreement(reports, telemetryCatalogue(buildLabModel()));

describe('the labelled corpus', () => {
  it('holds at least 60 reports across every scenario and the control, in each agent style', () => {
    expect(reports.length).toBeGreaterThanOrEqual(60);
    for (const target of [...SCENARIOS.map((s) => s.name), 'control']) expect(agreement.byTarget[target] ?? 0).toBeGreaterThanOrEqual(4);
    expect(new Set(reports.map((r) => r.style))).toEqual(new Set(['opensre', 'holmesgpt', 'command']));
  });

  it('has both outcomes on every rubric line (κ means something)', () => {
    for (const line of agreement.lines) expect(new Set(reports.filter((r) => r.labels[line.line] !== undefined).map((r) => String(r.labels[line.line]))).size).toBeGreaterThan(1);
  });
});

describe.each(agreement.lines.map((l) => [l.line, l] as const))('the scorer on %s', (_line, line) => {
  it(`agrees with the labels at Cohen's κ ≥ 0.8`, () => {
    const detail = line.disagreements.map((d) => `${d.id}: human ${String(d.human)}, scorer ${String(d.scorer)} — human: ${d.reason} — scorer: ${d.why}`).join('\n');
    if (line.kappa < 0.8) process.stdout.write(`${line.line}: κ ${line.kappa.toFixed(2)}\n${detail}\n`);
    expect(line.kappa).toBeGreaterThanOrEqual(0.8);
  });
});

describe("Cohen's κ", () => {
  it('is 1 for perfect agreement, 0 for chance, negative below it', () => {
    expect(cohensKappa([[1, 1], [0, 0], [1, 1], [0, 0]])).toBe(1);
    expect(cohensKappa([[1, 1], [1, 0], [0, 1], [0, 0]])).toBe(0);
    expect(cohensKappa([[1, 0], [0, 1]])).toBe(-1);
    expect(cohensKappa([[true, true], [true, true]])).toBe(1);
  });
});
