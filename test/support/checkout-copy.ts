/** A copy of this checkout in another folder (node_modules linked, not copied), for tests of what must not depend on where the checkout lives. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../services/runtime/paths';

const SKIPPED = ['node_modules', 'dist', 'cdktf.out', '.git', 'results', 'coverage'];

export function copyCheckout(target: string): string {
  mkdirSync(target, { recursive: true });
  const root = projectRoot();
  execFileSync('sh', ['-c', `tar -C "$1" ${SKIPPED.map((s) => `--exclude=./${s}`).join(' ')} --exclude='./cdktf.out*' --exclude='./.cdktf.out*' --exclude='./terraform.*.tfstate*' -cf - . | tar -C "$2" -xf -`, 'copy', root, target]);
  symlinkSync(path.join(root, 'node_modules'), path.join(target, 'node_modules'));
  return target;
}
