import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildLabModel } from '../../model/lab';
import { ensureAdminPassword, ensureAgentDirs, expandHome, grantMountAccess, hostPaths, mountAccessList, mountAccessProblems, portablePath, terraformPath } from '../../lib/host-paths';

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

  it('writes paths in the home folder home-relative, for stacks that do not depend on whose home synthesizes them', () => {
    expect(portablePath('/home/ann/.cms-lab/secrets/x', '/home/ann')).toBe('~/.cms-lab/secrets/x');
    expect(portablePath('/srv/lab/secrets/x', '/home/ann')).toBe('/srv/lab/secrets/x');
    expect(portablePath('/home/annex/x', '/home/ann')).toBe('/home/annex/x');
    expect(terraformPath('/home/ann/.cms-lab/x', '/home/ann')).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
    expect(expandHome('~/.cms-lab/x', '/home/bob')).toBe('/home/bob/.cms-lab/x');
    expect(expandHome('/abs', '/home/bob')).toBe('/abs');
  });

  it('names every mount a container user cannot read, and refuses to go on when it cannot grant access', () => {
    const paths = hostPaths({ CMS_LAB_HOME: home() });
    ensureAdminPassword(paths, {});
    ensureAgentDirs(paths, ['opensre']);
    const access = mountAccessList(paths, buildLabModel());
    expect(access.map((a) => `${a.who}:${a.uid}:${a.kind}`)).toEqual(['Grafana:472:file', 'OpenSRE:10010:file', 'OpenSRE:10010:folder']);
    // 0600 / 0700 files owned by this test's user: not readable by uid 472 or 10010
    if (process.getuid?.() !== 472) expect(mountAccessProblems(access)).toHaveLength(3);
    expect(mountAccessProblems(access)[0]).toMatch(/^Grafana runs as uid 472 and cannot read .*grafana-admin-password \(owner uid \d+, mode 600\)$/);
    // without root and without setfacl (an empty PATH), the deploy stops with the fix
    const savedPath = process.env.PATH;
    process.env.PATH = '';
    try {
      expect(() => grantMountAccess(access, false, 'linux')).toThrow(/Grafana runs as uid 472 and cannot read .* grant it with 'setfacl -m u:472:r /);
    } finally {
      process.env.PATH = savedPath;
    }
    expect(() => grantMountAccess(access, false, 'darwin')).not.toThrow();
  });
});

