/**
 * `npm run scorer:agreement`: the scorer against the labelled corpus, per
 * rubric line (accuracy, Cohen's κ), then every disagreement with the
 * human's reason and the scorer's.
 */
import { buildLabModel } from '../model/lab';
import { telemetryCatalogue } from '../runner/catalogue';
import { agreementTable, corpusAgreement, corpusDir, loadCorpus } from '../runner/scorer-agreement';

const agreement = corpusAgreement(loadCorpus(corpusDir()), telemetryCatalogue(buildLabModel()));
process.stdout.write(`${agreementTable(agreement)}\n\n`);
for (const line of agreement.lines) {
  for (const d of line.disagreements) process.stdout.write(`${line.line} ${d.id}: human ${String(d.human)}, scorer ${String(d.scorer)}\n  human: ${d.reason}\n  scorer: ${d.why}\n`);
}
