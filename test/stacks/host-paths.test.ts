import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureAdminPassword, ensureAgentDirs, hostPaths } from '../../stacks/host-paths';

describe('host paths and secrets', () => {
  const home = () => mkdtempSync(path.join(os.tmpdir(), 'cms-lab-home-'));

  it('generates the Grafana admin password once, mode 0600, without a trailing newline', () => {
    const paths = hostPaths({ CMS_LAB_HOME: home() });
    ensureAdminPassword(paths, {});
    const first = readFileSync(paths.adminPasswordFile, 'utf8');
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(paths.adminPasswordFile).mode & 0o777).toBe(0o600);
    ensureAdminPassword(paths, {});
    expect(readFileSync(paths.adminPasswordFile, 'utf8')).toBe(first);
  });

  it('accepts a supplied password file and refuses a weak or default one', () => {
    const dir = home();
    const file = path.join(dir, 'pw');
    const env = { CMS_LAB_HOME: dir, CMS_LAB_GRAFANA_ADMIN_PASSWORD_FILE: file };
    writeFileSync(file, 'correct horse battery staple');
    expect(() => ensureAdminPassword(hostPaths(env), env)).not.toThrow();
    writeFileSync(file, 'admin');
    expect(() => ensureAdminPassword(hostPaths(env), env)).toThrow(/shorter than 12 characters/);
    expect(() => ensureAdminPassword(hostPaths({ ...env, CMS_LAB_GRAFANA_ADMIN_PASSWORD_FILE: path.join(dir, 'missing') }), { ...env, CMS_LAB_GRAFANA_ADMIN_PASSWORD_FILE: path.join(dir, 'missing') })).toThrow(/does not exist/);
  });

  it('creates the agent work folders and an empty token file to mount (Docker would otherwise create a folder)', () => {
    const paths = hostPaths({ CMS_LAB_HOME: home() });
    ensureAgentDirs(paths, ['opensre']);
    expect(statSync(paths.agentWorkDir('opensre')).isDirectory()).toBe(true);
    expect(statSync(paths.agentTokenFile).isFile()).toBe(true);
  });
});
