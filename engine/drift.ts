/**
 * Is a container exactly as its stack declares it? Compares `docker inspect`
 * with the plan the applier created it from, field by field — the promise
 * behind "`cdktf diff lab` shows no changes" after a scenario is destroyed.
 * What the image or the engine adds on its own (the image's environment and
 * labels, the short-id alias Docker gives every endpoint) is told apart from
 * what the stack declared.
 */
import type { ContainerPlan } from './attribute-map';
import type { DockerApi } from './docker-api';

export interface ContainerInspect {
  Id: string;
  Image: string;
  Config: { Image: string; Hostname: string; Env: string[] | null; Labels: Record<string, string> | null; Cmd: string[] | null; Entrypoint: string[] | null; User: string; StopTimeout?: number; Healthcheck?: Record<string, unknown> };
  HostConfig: Record<string, unknown> & { Memory: number; NanoCpus: number; CpuQuota: number; CpuPeriod: number };
  NetworkSettings: { Networks: Record<string, { IPAMConfig: { IPv4Address?: string } | null; Aliases: string[] | null }> };
  State: { Status: string; Health?: { Status: string } };
}

interface ImageInspect {
  Config: { Env: string[] | null; Labels: Record<string, string> | null; Cmd: string[] | null; Entrypoint: string[] | null };
}

const sorted = (items: readonly string[] | null | undefined): string[] => [...(items ?? [])].sort();
/** JSON with object keys sorted, so maps compare by content. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}
const same = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

/** Engines before API 1.44 have no StartInterval: a zero one is the same health check. */
function healthcheck(value: Record<string, unknown> | undefined): Record<string, unknown> | null {
  if (!value) return null;
  const { StartInterval, ...rest } = value;
  return StartInterval ? value : rest;
}

/** One line per difference between the running container and its declaration; empty when none. */
export async function containerDrift(api: DockerApi, plan: ContainerPlan): Promise<string[]> {
  let info: ContainerInspect;
  try {
    info = await api.call<ContainerInspect>('GET', `/containers/${encodeURIComponent(plan.name)}/json`);
  } catch {
    return [`${plan.name}: missing`];
  }
  const image = await api.call<ImageInspect>('GET', `/images/${encodeURIComponent(info.Image)}/json`);
  const c = plan.config;
  const h = plan.hostConfig;
  const declaredEnv = sorted([...(image.Config.Env ?? []).filter((e) => !(c.Env ?? []).some((d) => d.split('=')[0] === e.split('=')[0])), ...(c.Env ?? [])]);
  const checks: Array<[string, unknown, unknown]> = [
    ['state', `${info.State.Status}/${info.State.Health?.Status ?? 'none'}`, c.Healthcheck ? 'running/healthy' : `running/none`],
    ['image', info.Config.Image, c.Image],
    ['hostname', info.Config.Hostname, c.Hostname],
    ['env', sorted(info.Config.Env), declaredEnv],
    ['labels', info.Config.Labels ?? {}, { ...(image.Config.Labels ?? {}), ...c.Labels }],
    ['command', info.Config.Cmd, c.Cmd ?? image.Config.Cmd],
    ['entrypoint', info.Config.Entrypoint, c.Entrypoint ?? image.Config.Entrypoint],
    ['user', info.Config.User, c.User ?? info.Config.User],
    ['stop timeout', info.Config.StopTimeout, c.StopTimeout],
    ['health check', healthcheck(info.Config.Healthcheck), healthcheck(c.Healthcheck as Record<string, unknown> | undefined)],
    ['memory limit', info.HostConfig.Memory, h.Memory ?? 0],
    ['CPU (NanoCpus)', info.HostConfig.NanoCpus, 0],
    ['CPU quota', info.HostConfig.CpuQuota, h.CpuQuota ?? 0],
    ['CPU period', info.HostConfig.CpuPeriod, h.CpuPeriod ?? 0],
    ['restart policy', info.HostConfig.RestartPolicy, h.RestartPolicy],
    ['port bindings', info.HostConfig.PortBindings ?? {}, h.PortBindings ?? {}],
    ['binds', sorted(info.HostConfig.Binds as string[] | null), sorted(h.Binds)],
    ['log config', info.HostConfig.LogConfig, h.LogConfig],
    ['extra hosts', sorted(info.HostConfig.ExtraHosts as string[] | null), sorted(h.ExtraHosts as string[] | undefined)],
    ['networks', Object.keys(info.NetworkSettings.Networks).sort(), plan.networks.map((n) => n.name).sort()],
  ];
  const drift = checks.filter(([, actual, declared]) => !same(actual, declared)).map(([what, actual, declared]) => `${plan.name}: ${what} is ${JSON.stringify(actual)}, declared ${JSON.stringify(declared)}`);
  for (const n of plan.networks) {
    const endpoint = info.NetworkSettings.Networks[n.name];
    if (!endpoint) continue;
    if ((endpoint.IPAMConfig?.IPv4Address || undefined) !== n.ipv4Address) drift.push(`${plan.name}: address on ${n.name} is ${endpoint.IPAMConfig?.IPv4Address ?? 'dynamic'}, declared ${n.ipv4Address ?? 'dynamic'}`);
    // Docker adds the container's short id to the aliases of every endpoint it connects
    const aliases = (endpoint.Aliases ?? []).filter((a) => a !== info.Id.slice(0, 12));
    if (!same(sorted(aliases), sorted(n.aliases))) drift.push(`${plan.name}: aliases on ${n.name} are ${JSON.stringify(aliases)}, declared ${JSON.stringify(n.aliases)}`);
  }
  return drift;
}
