/**
 * Rewrites what is rendered from the model and checked in (npm run docs):
 * the generated tables of README.md, and each scenario's alert.json and
 * expected_rca.md. A test fails when any of them is stale.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderedFiles } from './rendered-files';

let changed = 0;
for (const file of renderedFiles()) {
  const current = existsSync(file.path) ? readFileSync(file.path, 'utf8') : undefined;
  if (current !== file.content) {
    writeFileSync(file.path, file.content);
    process.stdout.write(`updated ${path.relative(process.cwd(), file.path)}\n`);
    changed++;
  }
}
process.stdout.write(changed ? `${changed} file(s) updated\n` : 'everything rendered is up to date\n');
