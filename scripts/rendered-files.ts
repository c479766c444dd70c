/** Every checked-in file rendered from the model, with its expected content. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildLabModel } from '../model/lab';
import { ANSWER_SCHEMA_FILE, answerJsonSchema } from '../runner/answer/contract';
import { instructionsMarkdown } from '../runner/answer/instructions';
import { SCENARIOS } from '../scenarios';
import { expectedRcaMarkdown, scenarioAlert } from '../scenarios/render';
import { projectRoot } from '../services/runtime/paths';
import { renderGeneratedSections } from './readme-sections';

export interface RenderedFile {
  readonly path: string;
  readonly content: string;
}

export function renderedFiles(): RenderedFile[] {
  const root = projectRoot();
  const lab = buildLabModel();
  const readme = path.join(root, 'README.md');
  return [
    { path: readme, content: renderGeneratedSections(readFileSync(readme, 'utf8')) },
    { path: path.join(root, ANSWER_SCHEMA_FILE), content: `${JSON.stringify(answerJsonSchema(), null, 2)}\n` },
    { path: path.join(root, 'answer', 'INSTRUCTIONS.md'), content: instructionsMarkdown() },
    ...SCENARIOS.flatMap((s) => [
      { path: path.join(root, 'scenarios', s.name, 'alert.json'), content: `${JSON.stringify(scenarioAlert(s, lab), null, 2)}\n` },
      { path: path.join(root, 'scenarios', s.name, 'expected_rca.md'), content: expectedRcaMarkdown(s, lab) },
    ]),
  ];
}
