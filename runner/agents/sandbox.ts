/**
 * Where a host-side agent process runs (command agents, HolmesGPT): a
 * working directory whose path names nothing, outside the repository and the
 * results tree, and an environment built from an allow-list (what the
 * adapter passes, plus PATH, HOME and LANG) — never the runner's own.
 *
 * As root on Linux it is also shut off from what it must not read: in its
 * own mount and PID namespaces, /tmp and /var/tmp are fresh (no other run's
 * workspace, results or engine socket), the repository, the results tree
 * and the lab's home (secrets) are covered by empty filesystems, /proc shows
 * only its own processes (not the runner's command line), and it runs as
 * `nobody`. Elsewhere it runs as the invoking user, and says so.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ProcessOutcome, runAgentProcess } from './process';

/** The agent's identity under isolation (Debian's nobody:nogroup). */
export const AGENT_UID = 65534;
export const AGENT_GID = 65534;
/** The workspace as an isolated agent sees it. */
export const INSIDE_WORKSPACE = '/tmp/work';
/** Parent of the isolated workspaces on the host (covered inside every sandbox). */
const ISOLATED_ROOT = '/var/tmp/cms-agent-work';
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

let namespacesProbe: { ok: boolean; reason?: string } | undefined;

/** Whether mount and PID namespaces and setpriv can be had here (root, util-linux). */
export function namespacesAvailable(): { ok: boolean; reason?: string } {
  if (namespacesProbe) return namespacesProbe;
  if (process.platform !== 'linux') return (namespacesProbe = { ok: false, reason: 'not Linux' });
  if (process.getuid?.() !== 0) return (namespacesProbe = { ok: false, reason: 'not root' });
  try {
    execFileSync('unshare', ['--mount', '--pid', '--fork', '--mount-proc', 'setpriv', `--reuid=${AGENT_UID}`, `--regid=${AGENT_GID}`, '--clear-groups', 'true'], { stdio: 'pipe', timeout: 10_000 });
    return (namespacesProbe = { ok: true });
  } catch (error) {
    return (namespacesProbe = { ok: false, reason: `unshare/setpriv failed: ${(error as Error).message.split('\n')[0]}` });
  }
}

// Runs as root in the new namespaces, then drops to the agent's identity.
// $1 workspace on the host, $2 how many paths to cover, then those paths, then the command.
const ENTER = `set -e
ws=$1; n=$2; shift 2
mount -t tmpfs -o mode=1777 cms-agent-tmp /tmp
mkdir -m 0700 ${INSIDE_WORKSPACE}
mount --bind "$ws" ${INSIDE_WORKSPACE}
mount -t tmpfs -o mode=0755 cms-agent-hidden /var/tmp
i=0
while [ "$i" -lt "$n" ]; do
  if [ -d "$1" ]; then mount -t tmpfs -o mode=0755 cms-agent-hidden "$1"; fi
  shift; i=$((i + 1))
done
cd ${INSIDE_WORKSPACE}
exec setpriv --reuid=${AGENT_UID} --regid=${AGENT_GID} --clear-groups --no-new-privs "$@"`;

export interface SandboxProps {
  /** Folders the agent must not read (the repository, the results tree, the lab's home). */
  readonly hidden: readonly string[];
  /** @default mount/PID namespaces and `nobody` where available */
  readonly isolate?: boolean;
}

export interface SandboxRunOptions {
  /** The adapter's variables (endpoints, token *files*, model): the whole environment besides PATH, HOME and LANG. */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export class AgentSandbox {
  /** The workspace on the host. */
  readonly outside: string;
  /** The workspace as the agent sees it. */
  readonly inside: string;
  readonly isolated: boolean;
  /** What the agent is shut off from, in words (kept in the run's audit entry). */
  readonly isolation: string;

  constructor(private readonly props: SandboxProps) {
    const probe = props.isolate === false ? { ok: false, reason: 'isolation turned off' } : namespacesAvailable();
    this.isolated = probe.ok;
    if (this.isolated) {
      mkdirSync(ISOLATED_ROOT, { recursive: true, mode: 0o711 });
      this.outside = mkdtempSync(path.join(ISOLATED_ROOT, 'w-'));
      chownSync(this.outside, AGENT_UID, AGENT_GID);
      this.inside = INSIDE_WORKSPACE;
      this.isolation = `own mount and PID namespaces as uid ${AGENT_UID}: fresh /tmp and /var/tmp, ${props.hidden.length} folder(s) covered (repository, results, lab home), only its own processes visible`;
    } else {
      this.outside = mkdtempSync(path.join(os.tmpdir(), 'agent-'));
      this.inside = this.outside;
      this.isolation = `working folder and environment only (${probe.reason}): the agent runs as this user and can read what it can`;
    }
  }

  /** Writes a file into the workspace, owned by the agent. */
  write(name: string, content: string, mode = 0o600): string {
    const file = path.join(this.outside, name);
    writeFileSync(file, content, { mode });
    if (this.isolated) chownSync(file, AGENT_UID, AGENT_GID);
    return path.join(this.inside, name);
  }

  /** A file the agent wrote, or undefined. */
  read(name: string): string | undefined {
    const file = path.join(this.outside, name);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  }

  /** The path of a workspace file as the agent sees it. */
  pathOf(name: string): string {
    return path.join(this.inside, name);
  }

  environment(env: Readonly<Record<string, string>>): Record<string, string> {
    return { PATH: SYSTEM_PATH, HOME: this.inside, LANG: 'C.UTF-8', ...env };
  }

  async run(file: string, args: readonly string[], options: SandboxRunOptions): Promise<ProcessOutcome> {
    const env = this.environment(options.env);
    if (!this.isolated) return runAgentProcess(file, args, { cwd: this.outside, env, extendEnv: false, timeoutMs: options.timeoutMs, signal: options.signal });
    const hidden = this.props.hidden.map((p) => path.resolve(p));
    return runAgentProcess('unshare', ['--mount', '--pid', '--fork', '--kill-child', '--mount-proc', '--propagation', 'private', '/bin/sh', '-c', ENTER, 'cms-agent', this.outside, String(hidden.length), ...hidden, file, ...args], {
      cwd: '/',
      env,
      extendEnv: false,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    });
  }

  dispose(): void {
    rmSync(this.outside, { recursive: true, force: true });
  }
}
