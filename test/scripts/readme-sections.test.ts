import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { renderGeneratedSections } from '../../scripts/readme-sections';
import { renderedFiles } from '../../scripts/rendered-files';
import { projectRoot } from '../../services/runtime/paths';

describe('files rendered from the model', () => {
  it.each(renderedFiles().map((f) => [path.relative(projectRoot(), f.path), f] as const))('%s is up to date (run `npm run docs` after changing the model)', (_name, file) => {
    expect(existsSync(file.path)).toBe(true);
    expect(readFileSync(file.path, 'utf8')).toBe(file.content);
  });

  it('refuse a README that lost its markers', () => {
    expect(() => renderGeneratedSections('# nothing here')).toThrow(/missing the markers <!-- BEGIN GENERATED:services -->/);
  });
});
