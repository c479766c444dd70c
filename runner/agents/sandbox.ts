/**
 * Where a host-side agent process runs (command agents, HolmesGPT): a
 * working directory whose path names nothing, outside the repository and the
 * results tree, and an environment built from an allow-list (what the
 * adapter passes, plus PATH, HOME and LANG) — never the runner's own.
 *
 * As root on Linux it is also shut off from what it must not read or reach:
 * in its own mount, PID and network namespaces, /tmp and /var/tmp are fresh
 * (no other run's workspace, results or engine socket), the repository, the
 * results tree and the lab's home (secrets) are covered by empty
 * filesystems, /proc shows only its own processes (not the runner's command
 * line), it runs as `nobody`, and of the network it reaches only the
 * loopback endpoints its adapter names in its environment (Grafana on the
 * Docker lab, Prometheus natively, Ollama), each forwarded through a socket
 * in its workspace — never the lab's other host ports (Prometheus's write
 * and lifecycle endpoints, Loki's push API). Elsewhere it runs as the
 * invoking user, and says so.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, connect, createServer } from 'node:net';
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
    execFileSync('unshare', ['--mount', '--pid', '--net', '--fork', '--mount-proc', 'sh', '-c', `ip link set lo up && setpriv --reuid=${AGENT_UID} --regid=${AGENT_GID} --clear-groups true`], { stdio: 'pipe', timeout: 10_000 });
    return (namespacesProbe = { ok: true });
  } catch (error) {
    return (namespacesProbe = { ok: false, reason: `unshare/setpriv failed: ${(error as Error).message.split('\n')[0]}` });
  }
}

/** Inside the sandbox, as root: listens on each forwarded loopback address and pipes it to its socket in the workspace. */
const FORWARDER = `const net = require('net'); const fs = require('fs');
const pairs = JSON.parse(process.argv[1]); let open = pairs.length;
const ready = () => { if (--open === 0) fs.writeFileSync('${INSIDE_WORKSPACE}/.fwd/ready', ''); };
for (const p of pairs) net.createServer((c) => { const u = net.connect(p.socket); c.pipe(u).pipe(c); c.on('error', () => u.destroy()); u.on('error', () => c.destroy()); }).listen(p.port, p.host, ready);
if (open === 0) fs.writeFileSync('${INSIDE_WORKSPACE}/.fwd/ready', '');`;

// Runs as root in the new namespaces, then drops to the agent's identity.
// $1 workspace on the host, $2 the forwarder's endpoints (JSON), $3 how many paths to cover, then those paths, then the command.
const ENTER = `set -e
ws=$1; fwd=$2; n=$3; shift 3
ip link set lo up
mount -t tmpfs -o mode=1777 cms-agent-tmp /tmp
mkdir -m 0700 ${INSIDE_WORKSPACE}
mount --bind "$ws" ${INSIDE_WORKSPACE}
mount -t tmpfs -o mode=0755 cms-agent-hidden /var/tmp
i=0
while [ "$i" -lt "$n" ]; do
  if [ -d "$1" ]; then mount -t tmpfs -o mode=0755 cms-agent-hidden "$1"; fi
  shift; i=$((i + 1))
done
${process.execPath} -e "$FORWARDER_SCRIPT" "$fwd" &
i=0
until [ -e ${INSIDE_WORKSPACE}/.fwd/ready ]; do i=$((i + 1)); [ "$i" -lt 100 ] || { echo 'the sandbox forwarder did not start' >&2; exit 70; }; sleep 0.05; done
cd ${INSIDE_WORKSPACE}
unset FORWARDER_SCRIPT
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
      this.isolation = `own mount, PID and network namespaces as uid ${AGENT_UID}: fresh /tmp and /var/tmp, ${props.hidden.length} folder(s) covered (repository, results, lab home), only its own processes visible, only the endpoints in its environment reachable`;
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
    const forwards = await this.forward(loopbackEndpoints(options.env));
    try {
      const inside = forwards.map((f) => ({ host: f.host, port: f.port, socket: path.posix.join(INSIDE_WORKSPACE, '.fwd', path.basename(f.socket)) }));
      return await runAgentProcess('unshare', ['--mount', '--pid', '--net', '--fork', '--kill-child', '--mount-proc', '--propagation', 'private', '/bin/sh', '-c', ENTER, 'cms-agent', this.outside, JSON.stringify(inside), String(hidden.length), ...hidden, file, ...args], {
        cwd: '/',
        // the forwarder's script reaches the root shell only; the agent's environment is unset of it before setpriv
        env: { ...env, FORWARDER_SCRIPT: FORWARDER },
        extendEnv: false,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
      });
    } finally {
      for (const f of forwards) f.server.close();
    }
  }

  /** A socket in a root-only folder of the workspace per endpoint, piped to the endpoint on the host's loopback. */
  private async forward(endpoints: ReadonlyArray<{ host: string; port: number }>): Promise<Array<{ host: string; port: number; socket: string; server: Server }>> {
    const dir = path.join(this.outside, '.fwd');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return Promise.all(
      endpoints.map(
        (e) =>
          new Promise<{ host: string; port: number; socket: string; server: Server }>((resolve, reject) => {
            const socket = path.join(dir, `${e.host}-${e.port}.sock`);
            const server = createServer((client) => {
              const upstream = connect(e.port, e.host);
              client.pipe(upstream).pipe(client);
              client.on('error', () => upstream.destroy());
              upstream.on('error', () => client.destroy());
            });
            server.once('error', reject);
            server.listen(socket, () => resolve({ ...e, socket, server }));
          }),
      ),
    );
  }

  /** Releases the workspace (forwarders are closed when each run ends). */
  dispose(): void {
    rmSync(this.outside, { recursive: true, force: true });
  }
}

/** The loopback HTTP endpoints an adapter names in the agent's environment: all the agent may reach. */
export function loopbackEndpoints(env: Readonly<Record<string, string>>): Array<{ host: string; port: number }> {
  const found = new Map<string, { host: string; port: number }>();
  for (const value of Object.values(env)) {
    const m = /^https?:\/\/(127(?:\.\d{1,3}){3}|localhost):(\d+)/.exec(value);
    if (m) found.set(`${m[1]}:${m[2]}`, { host: m[1] === 'localhost' ? '127.0.0.1' : m[1], port: Number(m[2]) });
  }
  return [...found.values()];
}
