/**
 * What the Docker-host checks read of the lab: container state and health,
 * whether the lab is up (with what the engine applier could not run here),
 * and whether a service's output reaches its consumers (model/data-flow.ts).
 * The command-line wrapper is scripts/lab/lab-status.ts.
 */
import { commandOutput } from './command';
import { FLOW_WINDOW } from '../model/data-flow';

/** The docker CLI's output, or undefined when it fails (the engine is the one DOCKER_HOST names now). */
export function docker(args: readonly string[]): string | undefined {
  return commandOutput('docker', args, process.env, 20_000);
}

/** `running healthy`, `running none` (no health check), `exited none`, or undefined when absent. */
export function containerState(name: string, inspect: (args: readonly string[]) => string | undefined = docker): { status: string; health: string } | undefined {
  const out = inspect(['inspect', '--format', '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}', name]);
  if (out === undefined) return undefined;
  const [status, health] = out.split(' ');
  return { status, health };
}

/**
 * Containers that the engine applier (engine/applier.ts) could not run on
 * this engine because their images cannot be had here, from its
 * CMS_LAB_NOT_RUN_HERE: the check names them as not checked instead of
 * failing on them. Never set under `cdktf deploy`.
 */
export function notRunHere(env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  return (env.CMS_LAB_NOT_RUN_HERE ?? '').split(',').filter(Boolean);
}

export function labProblems(
  network: string,
  containers: readonly string[],
  inspect: (args: readonly string[]) => string | undefined = docker,
  notRun: readonly string[] = notRunHere(),
): string[] {
  if (inspect(['version', '--format', '{{.Server.Version}}']) === undefined) return ['no Docker engine is reachable'];
  const problems: string[] = [];
  if (inspect(['network', 'inspect', '--format', '{{.Name}}', network]) === undefined) problems.push(`network ${network} does not exist`);
  for (const name of containers.filter((c) => !notRun.includes(c))) {
    const state = containerState(name, inspect);
    if (!state) problems.push(`container ${name} does not exist`);
    else if (state.status !== 'running') problems.push(`container ${name} is ${state.status}`);
    else if (state.health !== 'none' && state.health !== 'healthy') problems.push(`container ${name} is ${state.health}`);
  }
  return problems;
}

/** The look-back of the flow check: the whole life of the restarted process, at least two scrapes' worth. */
export function flowWindowS(startedAtMs: number, nowMs: number): number {
  return Math.max(10, Math.ceil((nowMs - startedAtMs) / 1000));
}

/** The query's value, or why there is none. */
export async function flowValue(prometheusUrl: string, query: string, windowS: number): Promise<number | string> {
  const expr = query.replaceAll(FLOW_WINDOW, `${windowS}s`);
  try {
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`, { signal: AbortSignal.timeout(5000) });
    const body = (await response.json()) as { status: string; error?: string; data?: { result: Array<{ value: [number, string] }> } };
    if (body.status !== 'success') return `Prometheus: ${body.error ?? response.status}`;
    const first = body.data?.result[0];
    return first ? Number(first.value[1]) : 'no series yet';
  } catch (error) {
    return `Prometheus at ${prometheusUrl} unreachable (${(error as Error).message})`;
  }
}

