import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

/**
 * The repository root (the folder whose package.json is this project's),
 * found by walking up from this file, so paths work the same from the
 * TypeScript sources (ts-jest) and from the compiled dist/ tree.
 */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'cms-chaos-lab') {
      cached = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the cms-chaos-lab package.json above ${__dirname}`);
    dir = parent;
  }
}
