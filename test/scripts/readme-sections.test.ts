import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderGeneratedSections } from '../../scripts/readme-sections';

describe('README generated sections', () => {
  it('match the model (run `npm run docs` after changing it)', () => {
    const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    expect(renderGeneratedSections(readme)).toBe(readme);
  });

  it('refuse a README that lost its markers', () => {
    expect(() => renderGeneratedSections('# nothing here')).toThrow(/missing the markers <!-- BEGIN GENERATED:services -->/);
  });
});
