/** `cdktf synth` through the real CLI, as a user runs it after the README's set-up (offline: synth needs no provider). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyCheckout } from '../support/checkout-copy';
import { projectRoot } from '../../services/runtime/paths';
import { SCENARIOS } from '../../scenarios';

jest.setTimeout(180_000);

describe('npx cdktf synth', () => {
  it('synthesizes every stack from this checkout', () => {
    const root = projectRoot();
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

  it('synthesizes byte-identical stacks from two checkouts in two homes, and writes no secret', () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'cms-location-'));
    try {
      const synthIn = (name: string) => {
        const checkout = copyCheckout(path.join(base, name, 'somewhere', 'cms-chaos-lab'));
        const home = path.join(base, `home-of-${name}`);
        const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, CHECKPOINT_DISABLE: '1', CMS_LAB_PREFLIGHT: '0', CI: '1' };
        delete env.CMS_LAB_HOME;
        const result = spawnSync('npx', ['cdktf', 'synth'], { cwd: checkout, env, encoding: 'utf8', timeout: 170_000 });
        expect(result.stderr).not.toMatch(/error/i);
        expect(result.status).toBe(0);
        // a plain synth prepares nothing on the host: no secret, no folder
        expect(existsSync(path.join(home, '.cms-lab'))).toBe(false);
        const stacks = path.join(checkout, 'cdktf.out', 'stacks');
        return { checkout, home, files: Object.fromEntries(readdirSync(stacks).map((s) => [s, readFileSync(path.join(stacks, s, 'cdk.tf.json'), 'utf8')])) };
      };
      const a = synthIn('first');
      const b = synthIn('second');
      expect(Object.keys(a.files).sort()).toEqual(Object.keys(b.files).sort());
      expect(Object.keys(a.files)).toHaveLength(SCENARIOS.length + 1);
      for (const stack of Object.keys(a.files)) {
        expect(`${stack}: ${b.files[stack]}`).toBe(`${stack}: ${a.files[stack]}`);
        for (const place of [a.checkout, a.home, base]) expect(a.files[stack]).not.toContain(place);
      }
      // the state, the build context and every host tool are found from the stack's folder, where Terraform runs
      const lab = JSON.parse(a.files.lab) as { terraform: { backend: { local: { path: string } } } };
      expect(lab.terraform.backend.local.path).toBe('../../../terraform.lab.tfstate');
      expect(a.files.lab).toContain('"context": "../../.."');
      // host files in the home folder are expanded by Terraform on the deploying host
      const grafana = Object.values((JSON.parse(a.files.lab) as { resource: { docker_container: Record<string, { name: string; volumes?: Array<{ host_path?: string }> }> } }).resource.docker_container).find((c) => c.name === 'grafana');
      expect(grafana?.volumes?.map((v) => v.host_path).filter(Boolean)).toEqual(['${pathexpand("~/.cms-lab/secrets/grafana-admin-password")}']);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});

