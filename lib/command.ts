/** Runs a command for its output: the one helper behind the host checks' docker, terraform and tofu probes. */
import { execFileSync } from 'node:child_process';

export type Env = Readonly<Record<string, string | undefined>>;

/** The command's trimmed stdout, or undefined when it cannot run or fails. The environment is passed explicitly (DOCKER_HOST). */
export function commandOutput(command: string, args: readonly string[], env: Env = process.env, timeoutMs = 15_000): string | undefined {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, env: { ...env } }).trim();
  } catch {
    return undefined;
  }
}
