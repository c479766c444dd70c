/** Rewrites the generated tables of README.md from the model (npm run docs). */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderGeneratedSections } from './readme-sections';

const readme = path.join(__dirname, '..', 'README.md');
const current = readFileSync(readme, 'utf8');
const rendered = renderGeneratedSections(current);
if (rendered !== current) {
  writeFileSync(readme, rendered);
  process.stdout.write('README.md: generated sections updated\n');
} else {
  process.stdout.write('README.md: up to date\n');
}
