/**
 * Where the lab keeps host-side files: secrets (the Grafana admin password,
 * the agents' token) and the folders agents share with the runner. Only
 * these paths ever appear in the synthesized configuration; the secrets
 * themselves stay in files with mode 0600.
 */
import { Fn } from 'cdktf';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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
