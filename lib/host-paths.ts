/**
 * Where the lab keeps host-side files: secrets (the Grafana admin password,
 * the agents' token) and the folders agents share with the runner. Only
 * these paths ever appear in the synthesized configuration; the secrets
 * themselves stay in files with mode 0600.
 */
import { Fn } from 'cdktf';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONTAINER_UIDS } from '../model/container-users';
import type { LabModel } from '../model/lab';

export interface HostPaths {
  /** `CMS_LAB_HOME`, default ~/.cms-lab. */
  readonly home: string;
  readonly secretsDir: string;
  readonly adminPasswordFile: string;
  readonly agentTokenFile: string;
  /** Folder shared between the runner and an agent container. */
  agentWorkDir(agent: string): string;
  /** Cloud LLM API key, when one is configured (`CMS_LAB_LLM_API_KEY_FILE`). */
  readonly llmApiKeyFile?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * A host path as the synthesized stacks hold it: `~/…` when it lies in the
 * home folder, so synthesis does not depend on whose home it runs in.
 */
export function portablePath(p: string, home: string = os.homedir()): string {
  const rel = path.relative(home, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? `~/${rel.split(path.sep).join('/')}` : p;
}

/** A host path for a Terraform attribute: `pathexpand("~/…")`, expanded on the deploying host at plan time. */
export function terraformPath(p: string, home: string = os.homedir()): string {
  const portable = portablePath(p, home);
  return portable.startsWith('~/') ? Fn.pathexpand(portable) : portable;
}

/** The inverse, for the host tools that receive a portable path. */
export function expandHome(p: string, home: string = os.homedir()): string {
  return p === '~' ? home : p.startsWith('~/') ? path.join(home, p.slice(2)) : p;
}

export function hostPaths(env: Env = process.env): HostPaths {
  const home = path.resolve(env.CMS_LAB_HOME ?? path.join(os.homedir(), '.cms-lab'));
  const secretsDir = path.join(home, 'secrets');
  return {
    home,
    secretsDir,
    adminPasswordFile: env.CMS_LAB_GRAFANA_ADMIN_PASSWORD_FILE ? path.resolve(env.CMS_LAB_GRAFANA_ADMIN_PASSWORD_FILE) : path.join(secretsDir, 'grafana-admin-password'),
    agentTokenFile: path.join(secretsDir, 'agent-grafana-token'),
    agentWorkDir: (agent) => path.join(home, 'work', agent),
    llmApiKeyFile: env.CMS_LAB_LLM_API_KEY_FILE ? path.resolve(env.CMS_LAB_LLM_API_KEY_FILE) : undefined,
  };
}

/**
 * Makes sure the Grafana admin password file exists: a supplied one
 * (CMS_LAB_GRAFANA_ADMIN_PASSWORD_FILE) must be non-empty and not `admin`;
 * otherwise one is generated once (32 random bytes, base64url, mode 0600).
 */
export function ensureAdminPassword(paths: HostPaths, env: Env = process.env): void {
  if (env.CMS_LAB_GRAFANA_ADMIN_PASSWORD_FILE) {
    if (!existsSync(paths.adminPasswordFile)) throw new Error(`CMS_LAB_GRAFANA_ADMIN_PASSWORD_FILE=${paths.adminPasswordFile} does not exist`);
    const supplied = readFileSync(paths.adminPasswordFile, 'utf8').trim();
    if (supplied.length < 12) throw new Error(`the Grafana admin password in ${paths.adminPasswordFile} is shorter than 12 characters`);
    if (supplied === 'admin') throw new Error(`the Grafana admin password in ${paths.adminPasswordFile} is the default 'admin'`);
    return;
  }
  mkdirSync(paths.secretsDir, { recursive: true, mode: 0o700 });
  if (!existsSync(paths.adminPasswordFile) || statSync(paths.adminPasswordFile).size === 0) {
    // no trailing newline: Terraform's file() would keep it
    writeFileSync(paths.adminPasswordFile, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  chmodSync(paths.adminPasswordFile, 0o600);
}

/** Creates the agents' shared work folders (bind mounts must exist before the containers). */
export function ensureAgentDirs(paths: HostPaths, agents: readonly string[]): void {
  for (const agent of agents) mkdirSync(paths.agentWorkDir(agent), { recursive: true, mode: 0o700 });
  // the token file is mounted: create an empty placeholder so Docker does not create a folder in its place
  mkdirSync(paths.secretsDir, { recursive: true, mode: 0o700 });
  if (!existsSync(paths.agentTokenFile)) writeFileSync(paths.agentTokenFile, '', { mode: 0o600 });
}

/** A host file or folder a container bind-mounts, and the uid that must read (or, for a folder, use) it. */
export interface MountAccess {
  readonly path: string;
  readonly uid: number;
  /** Who needs it, for messages. */
  readonly who: string;
  readonly kind: 'file' | 'folder';
}

/** What the lab's containers mount from the host, from the same paths the stack is given. */
export function mountAccessList(paths: HostPaths, lab: LabModel): MountAccess[] {
  const list: MountAccess[] = [{ path: paths.adminPasswordFile, uid: CONTAINER_UIDS.grafana, who: 'Grafana', kind: 'file' }];
  if (lab.agents.opensre.enabled) {
    list.push(
      { path: paths.agentTokenFile, uid: CONTAINER_UIDS.opensre, who: 'OpenSRE', kind: 'file' },
      { path: paths.agentWorkDir('opensre'), uid: CONTAINER_UIDS.opensre, who: 'OpenSRE', kind: 'folder' },
    );
    if (lab.agents.opensre.llm.provider !== 'ollama' && paths.llmApiKeyFile) list.push({ path: paths.llmApiKeyFile, uid: CONTAINER_UIDS.opensre, who: 'OpenSRE', kind: 'file' });
  }
  return list;
}

/**
 * Lets each container's user read its mounts without opening them to anyone
 * else: as root, the file or folder is given to that uid (its mode, 0600 or
 * 0700, is kept); otherwise an ACL entry for that uid is added with setfacl.
 * Throws, naming the fix, when neither can be done: a secret the container
 * cannot read must stop the deploy, never fall back to a default.
 */
export function grantMountAccess(list: readonly MountAccess[], isRoot: boolean = process.getuid?.() === 0, platform: NodeJS.Platform = process.platform): void {
  // Docker Desktop (macOS, Windows) shares host files into its VM without host uids: nothing to grant there
  if (platform !== 'linux') return;
  for (const m of list) {
    if (!existsSync(m.path)) throw new Error(`${m.who} mounts ${m.path}, which does not exist`);
    if (isRoot) {
      chownSync(m.path, m.uid, m.uid);
      continue;
    }
    try {
      execFileSync('setfacl', ['-m', `u:${m.uid}:${m.kind === 'folder' ? 'rwx' : 'r'}`, m.path], { stdio: 'pipe', env: process.env });
    } catch (error) {
      throw new Error(
        `${m.who} runs as uid ${m.uid} and cannot read ${m.path} (mode ${(statSync(m.path).mode & 0o777).toString(8)}): ` +
          `grant it with 'setfacl -m u:${m.uid}:${m.kind === 'folder' ? 'rwx' : 'r'} ${m.path}' (package acl), or deploy as root (${(error as Error).message.split('\n')[0]})`,
      );
    }
  }
}

/** Mounts a container's uid cannot read (as far as owner and mode tell; ACLs are not read). */
export function mountAccessProblems(list: readonly MountAccess[]): string[] {
  return list.flatMap((m) => {
    if (!existsSync(m.path)) return [`${m.who} mounts ${m.path}, which does not exist`];
    const st = statSync(m.path);
    const need = m.kind === 'folder' ? 0o7 : 0o4;
    const ok = st.uid === m.uid ? ((st.mode >> 6) & need) === need : (st.mode & need) === need;
    return ok ? [] : [`${m.who} runs as uid ${m.uid} and cannot ${m.kind === 'folder' ? 'use' : 'read'} ${m.path} (owner uid ${st.uid}, mode ${(st.mode & 0o777).toString(8)})`];
  });
}
