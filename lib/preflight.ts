/**
 * Checks that this host can run the lab: a reachable Docker engine, a
 * terraform (or tofu) binary, and free host ports on the bind address
 * (ports already published by this lab's own containers are fine).
 */
import { createServer } from 'node:net';
import { type Env, commandOutput } from './command';

export interface PreflightResult {
  readonly problems: string[];
}

/** @param env the environment the docker CLI runs in (DOCKER_HOST). @default this process's */
export function dockerProblem(env: Env = process.env): string | undefined {
  if (commandOutput('docker', ['--version'], env) === undefined) {
    return 'the docker CLI is not installed: install Docker Engine (or Docker Desktop) on this host';
  }
  if (commandOutput('docker', ['version', '--format', '{{.Server.Version}}'], env) === undefined) {
    return 'no Docker engine is reachable: start it (systemctl start docker, or Docker Desktop), or point DOCKER_HOST at one; the lab runs only on a Docker host';
  }
  return undefined;
}

export function terraformProblem(): string | undefined {
  if (commandOutput('terraform', ['version']) !== undefined || commandOutput('tofu', ['version']) !== undefined) return undefined;
  return 'neither terraform nor tofu is on PATH: install Terraform >= 1.5 (or OpenTofu) to deploy the lab';
}

/** Host ports this lab's own containers already publish (a re-deploy keeps them). */
export function portsHeldByLab(): Set<number> {
  const out = commandOutput('docker', ['ps', '--filter', 'label=org.cms-lab.managed-by=cdktf', '--format', '{{.Ports}}']) ?? '';
  return new Set([...out.matchAll(/:(\d+)->/g)].map((m) => Number(m[1])));
}

export function portFree(bind: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, bind, () => server.close(() => resolve(true)));
  });
}

export async function takenPorts(bind: string, ports: readonly number[], ownedByLab: ReadonlySet<number> = new Set()): Promise<number[]> {
  const taken: number[] = [];
  for (const port of ports) if (!ownedByLab.has(port) && !(await portFree(bind, port))) taken.push(port);
  return taken;
}

export async function preflight(bind: string, ports: readonly number[], checks: { docker?: boolean; terraform?: boolean } = {}, env: Env = process.env): Promise<PreflightResult> {
  const problems: string[] = [];
  if (checks.docker ?? true) {
    const docker = dockerProblem(env);
    if (docker) problems.push(docker);
  }
  if (checks.terraform ?? false) {
    const terraform = terraformProblem();
    if (terraform) problems.push(terraform);
  }
  const taken = await takenPorts(bind, ports, problems.length ? new Set() : portsHeldByLab());
  if (taken.length) {
    problems.push(
      `host port(s) ${taken.join(', ')} on ${bind} are taken by something else: stop it (ss -ltnp | grep -E ':(${taken.join('|')})\\b' shows what), ` +
        'or move the lab with other host ports in the lab model',
    );
  }
  return { problems };
}
