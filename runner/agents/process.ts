/**
 * Runs an agent process with a hard timeout: the whole process group is
 * terminated (SIGTERM, then SIGKILL after a grace period) on timeout or
 * abort, so no agent outlives its run.
 */
import execa from 'execa';

export interface ProcessOutcome {
  readonly exitCode: number | null;
  readonly signal?: string;
  /** stdout and stderr interleaved. */
  readonly output: string;
  readonly stdout: string;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  readonly wallMs: number;
  /** The process could not be started at all. */
  readonly launchError?: string;
}

export interface ProcessOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Add this process's environment to `env`. @default true */
  readonly extendEnv?: boolean;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** @default 5000 */
  readonly graceMs?: number;
}

export async function runAgentProcess(file: string, args: readonly string[], options: ProcessOptions): Promise<ProcessOutcome> {
  const began = Date.now();
  const child = execa(file, [...args], { cwd: options.cwd, env: { ...options.env }, extendEnv: options.extendEnv ?? true, reject: false, all: true, detached: true, stdin: 'ignore', stripFinalNewline: false });
  let timedOut = false;
  let aborted = false;
  const killGroup = (sig: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  const stop = () => {
    killGroup('SIGTERM');
    setTimeout(() => killGroup('SIGKILL'), options.graceMs ?? 5000).unref();
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, options.timeoutMs);
  const onAbort = () => {
    aborted = true;
    stop();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await child;
    // with reject: false a process that never started comes back as a failed result with a spawn error code
    const failure = result as unknown as { failed?: boolean; code?: string; shortMessage?: string };
    const launchError = failure.failed && typeof failure.code === 'string' && failure.code.startsWith('E') ? `cannot start ${file}: ${failure.shortMessage ?? failure.code}` : undefined;
    return {
      exitCode: typeof result.exitCode === 'number' ? result.exitCode : null,
      signal: result.signal ?? undefined,
      output: result.all ?? `${result.stdout}${result.stderr}`,
      stdout: result.stdout,
      timedOut,
      aborted,
      wallMs: Date.now() - began,
      launchError,
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
