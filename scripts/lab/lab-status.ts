/**
 * Docker-host checks for the scenario stacks:
 *   check-up --network N --containers a,b   the lab is up: network present, every container running and healthy
 *   wait-healthy --container c [--timeout s] a (re)started container is healthy again
 *   wait-flowing --container c --prometheus URL --query Q [--timeout s]
 *                                            the service's output reaches its consumers again: Q (model/data-flow.ts)
 *                                            above zero over the seconds since the container started
 */
import { execFileSync } from 'node:child_process';
import { FLOW_WINDOW } from '../../model/data-flow';
import { ToolError, options, required, run } from './cli';

function docker(args: readonly string[]): string | undefined {
  try {
    return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 }).trim();
  } catch {
    return undefined;
  }
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

if (require.main === module) {
  run('lab-status', async () => {
    const mode = process.argv[2];
    const opts = options(process.argv.slice(3));
    if (mode === 'check-up') {
      const problems = labProblems(required(opts, 'network'), required(opts, 'containers').split(','));
      if (problems.length) {
        throw new ToolError(`the lab is not up (${problems.join('; ')}): deploy it first with 'npx cdktf deploy lab', then deploy the scenario`);
      }
      const skipped = notRunHere().filter((c) => required(opts, 'containers').split(',').includes(c));
      process.stdout.write(`the lab is up${skipped.length ? ` (not checked, not run on this engine for want of an image: ${skipped.join(', ')})` : ''}\n`);
    } else if (mode === 'wait-healthy') {
      const name = required(opts, 'container');
      const deadline = Date.now() + Number(opts.get('timeout') ?? 120) * 1000;
      for (;;) {
        const state = containerState(name);
        if (state?.status === 'running' && (state.health === 'healthy' || state.health === 'none')) break;
        if (Date.now() > deadline) throw new ToolError(`${name} is not healthy again (${state ? `${state.status}/${state.health}` : 'missing'}): see docker logs ${name}`);
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
      process.stdout.write(`${name} is healthy\n`);
    } else if (mode === 'wait-flowing') {
      const name = required(opts, 'container');
      const prometheus = required(opts, 'prometheus');
      const query = required(opts, 'query');
      const timeoutS = Number(opts.get('timeout') ?? 120);
      const deadline = Date.now() + timeoutS * 1000;
      let last = 'no answer yet';
      for (;;) {
        const startedAt = docker(['inspect', '--format', '{{.State.StartedAt}}', name]);
        if (startedAt) {
          const value = await flowValue(prometheus, query, flowWindowS(Date.parse(startedAt), Date.now()));
          if (typeof value === 'number' && value > 0) break;
          last = typeof value === 'number' ? `${value}` : value;
        } else {
          last = `container ${name} missing`;
        }
        if (Date.now() > deadline) throw new ToolError(`${name} is healthy but not back in the data flow within ${timeoutS} s (${query} → ${last}): see docker logs ${name}`);
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
      process.stdout.write(`${name} is back in the data flow\n`);
    } else {
      throw new ToolError(`unknown mode '${mode}': check-up | wait-healthy | wait-flowing`);
    }
  });
}
