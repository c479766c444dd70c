/** Every checked-in file rendered from the model, with its expected content. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildLabModel } from '../model/lab';
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
    ...SCENARIOS.flatMap((s) => [
      { path: path.join(root, 'scenarios', s.name, 'alert.json'), content: `${JSON.stringify(scenarioAlert(s, lab), null, 2)}\n` },
      { path: path.join(root, 'scenarios', s.name, 'expected_rca.md'), content: expectedRcaMarkdown(s, lab) },
    ]),
  ];
}
