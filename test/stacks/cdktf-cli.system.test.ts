/** `cdktf synth` through the real CLI, as a user runs it after the README's set-up (offline: synth needs no provider). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

jest.setTimeout(180_000);

describe('npx cdktf synth', () => {
  it('synthesizes every stack from this checkout', () => {
    const root = path.join(__dirname, '../..');
    const output = mkdtempSync(path.join(os.tmpdir(), 'cms-cdktf-out-'));
    const home = mkdtempSync(path.join(os.tmpdir(), 'cms-lab-home-'));
    const result = spawnSync('npx', ['cdktf', 'synth', '--output', output], {
      cwd: root,
      env: { ...process.env, CMS_LAB_HOME: home, CHECKPOINT_DISABLE: '1', CMS_LAB_PREFLIGHT: '0', CI: '1' },
      encoding: 'utf8',
      timeout: 170_000,
    });
    expect(result.status).toBe(0);
    const lab = JSON.parse(readFileSync(path.join(output, 'stacks', 'lab', 'cdk.tf.json'), 'utf8')) as { resource: Record<string, object> };
    expect(Object.keys(lab.resource.docker_container)).toHaveLength(15);
    rmSync(output, { recursive: true, force: true });
  });
});
