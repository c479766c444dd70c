/**
 * How each attribute the stacks use maps onto the Docker Engine API, the way
 * kreuzwerker/docker 3.6.2 maps it (internal/provider/resource_docker_*_funcs.go
 * and _structures.go at v3.6.2). One table: an attribute that is not in it is
 * refused, so the applier can never drift silently from the stacks.
 */

/** Go's time.ParseDuration for the forms the stacks use ("5s", "1m30s", "500ms"), in nanoseconds. */
export function goDurationNs(value: string): number {
  const units: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  if (value === '0') return 0;
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) throw new Error(`'${value}' is not a Go duration`);
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]], 0));
}

/** What the provider sends to ContainerCreate, NetworkConnect, CopyToContainer and ContainerStart for one docker_container. */
export interface ContainerPlan {
  name: string;
  config: Record<string, unknown> & { Labels: Record<string, string>; Env?: string[]; ExposedPorts?: Record<string, object>; Volumes?: Record<string, object> };
  hostConfig: Record<string, unknown> & { Binds?: string[]; PortBindings?: Record<string, Array<{ HostIp: string; HostPort: string }>>; LogConfig: { Type: string; Config?: Record<string, string> } };
  networks: Array<{ name: string; aliases: string[]; ipv4Address?: string }>;
  uploads: Array<{ file: string; content: string; mode: number }>;
  wait: boolean;
  waitTimeoutS: number;
}

export interface NetworkPlan {
  name: string;
  body: Record<string, unknown> & { Labels: Record<string, string>; IPAM: { Driver: string; Config: Array<Record<string, string>> } };
}

export interface VolumePlan {
  name: string;
  body: Record<string, unknown>;
}

export interface ImagePlan {
  name: string;
  keepLocally: boolean;
  triggers: Record<string, string>;
  build?: { context: string; dockerfile: string; tags: string[]; labels: Record<string, string>; buildArgs: Record<string, string> };
}

export interface NullResourcePlan {
  triggers: Record<string, string>;
  provisioners: Array<{ command: string; when: 'create' | 'destroy' }>;
}

type Obj = Record<string, unknown>;
type Handler<P> = (value: unknown, plan: P, address: string) => void;

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${what} must be a list`);
  return value;
}

function strings(value: unknown, what: string): string[] {
  return list(value, what).map((v) => {
    if (typeof v !== 'string') throw new Error(`${what} must hold strings`);
    return v;
  });
}

/** Maps one nested block through its own sub-table, refusing unknown keys. */
function block<P>(table: Record<string, Handler<P>>, what: string): (entry: unknown, plan: P, address: string) => void {
  return (entry, plan, address) => {
    if (typeof entry !== 'object' || entry === null) throw new Error(`${address}: ${what} must be an object`);
    for (const [key, value] of Object.entries(entry as Obj)) {
      const handler = table[key];
      if (!handler) throw new Error(`${address}: ${what}.${key} has no mapping onto the Docker Engine in the applier (engine/attribute-map.ts); add it the way kreuzwerker/docker 3.6.2 maps it`);
      handler(value, plan, address);
    }
  };
}

const ignored = (): void => undefined;

/** Keys every resource may carry that are Terraform's, not the provider's. */
const META: Record<string, Handler<never>> = { '//': ignored, depends_on: ignored };

/** labels { label, value } → map (labelSetToMap). */
function labelsOf(value: unknown, address: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list(value, `${address}: labels`)) {
    const { label, value: v, ...rest } = item as { label: string; value: string };
    if (Object.keys(rest).length) throw new Error(`${address}: labels.${Object.keys(rest)[0]} has no mapping in the applier`);
    out[label] = v;
  }
  return out;
}

type HealthDraft = { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; StartInterval?: number; Retries?: number };
const HEALTHCHECK: Record<string, Handler<HealthDraft>> = {
  test: (v, h, a) => (h.Test = strings(v, `${a}: healthcheck.test`)),
  interval: (v, h) => (h.Interval = goDurationNs(String(v))),
  timeout: (v, h) => (h.Timeout = goDurationNs(String(v))),
  start_period: (v, h) => (h.StartPeriod = goDurationNs(String(v))),
  start_interval: (v, h) => (h.StartInterval = goDurationNs(String(v))),
  retries: (v, h) => (h.Retries = Number(v)),
};

type NetworkDraft = { name?: string; aliases: string[]; ipv4Address?: string };
const NETWORKS_ADVANCED: Record<string, Handler<NetworkDraft>> = {
  name: (v, n) => (n.name = String(v)),
  aliases: (v, n, a) => (n.aliases = strings(v, `${a}: networks_advanced.aliases`)),
  ipv4_address: (v, n) => (n.ipv4Address = String(v)),
};

type PortDraft = { internal?: number; external?: number; ip?: string; protocol: string };
const PORTS: Record<string, Handler<PortDraft>> = {
  internal: (v, p) => (p.internal = Number(v)),
  external: (v, p) => (p.external = Number(v)),
  ip: (v, p) => (p.ip = String(v)),
  protocol: (v, p) => (p.protocol = String(v)),
};

type UploadDraft = { file?: string; content?: string; executable?: boolean };
const UPLOAD: Record<string, Handler<UploadDraft>> = {
  file: (v, u) => (u.file = String(v)),
  content: (v, u) => (u.content = String(v)),
  executable: (v, u) => (u.executable = Boolean(v)),
};

type VolumeDraft = { volume_name?: string; host_path?: string; container_path?: string; read_only?: boolean };
const VOLUMES: Record<string, Handler<VolumeDraft>> = {
  volume_name: (v, d) => (d.volume_name = String(v)),
  host_path: (v, d) => (d.host_path = String(v)),
  container_path: (v, d) => (d.container_path = String(v)),
  read_only: (v, d) => (d.read_only = Boolean(v)),
};

type HostDraft = { host?: string; ip?: string };
const HOST: Record<string, Handler<HostDraft>> = { host: (v, h) => (h.host = String(v)), ip: (v, h) => (h.ip = String(v)) };

/** docker_container: resourceDockerContainerCreate. */
export const CONTAINER_ATTRIBUTES: Record<string, Handler<ContainerPlan>> = {
  ...META,
  name: (v, p) => (p.name = String(v)),
  image: (v, p) => (p.config.Image = String(v)),
  hostname: (v, p) => (p.config.Hostname = String(v)),
  env: (v, p, a) => (p.config.Env = strings(v, `${a}: env`)),
  command: (v, p, a) => (p.config.Cmd = strings(v, `${a}: command`)),
  entrypoint: (v, p, a) => (p.config.Entrypoint = strings(v, `${a}: entrypoint`)),
  user: (v, p) => (p.config.User = String(v)),
  labels: (v, p, a) => (p.config.Labels = labelsOf(v, a)),
  stop_timeout: (v, p) => (p.config.StopTimeout = Number(v)),
  healthcheck: (v, p, a) => {
    const h: HealthDraft = {};
    block(HEALTHCHECK, 'healthcheck')(v, h, a);
    p.config.Healthcheck = { Test: h.Test ?? [], Interval: h.Interval ?? 0, Timeout: h.Timeout ?? 0, StartPeriod: h.StartPeriod ?? 0, StartInterval: h.StartInterval ?? 0, Retries: h.Retries ?? 0 };
  },
  // networks_advanced: connected after create, the default bridge disconnected first
  networks_advanced: (v, p, a) => {
    for (const entry of list(v, `${a}: networks_advanced`)) {
      const n: NetworkDraft = { aliases: [] };
      block(NETWORKS_ADVANCED, 'networks_advanced')(entry, n, a);
      if (!n.name) throw new Error(`${a}: networks_advanced needs a name`);
      p.networks.push({ name: n.name, aliases: n.aliases, ipv4Address: n.ipv4Address });
    }
  },
  // ports: portSetToDockerPorts — ExposedPorts plus PortBindings "<internal>/<protocol>"
  ports: (v, p, a) => {
    for (const entry of list(v, `${a}: ports`)) {
      const port: PortDraft = { protocol: 'tcp' };
      block(PORTS, 'ports')(entry, port, a);
      if (port.internal === undefined) throw new Error(`${a}: ports needs internal`);
      const key = `${port.internal}/${port.protocol}`;
      p.config.ExposedPorts = { ...(p.config.ExposedPorts ?? {}), [key]: {} };
      if (port.external !== undefined || port.ip !== undefined) {
        const bindings = p.hostConfig.PortBindings ?? {};
        bindings[key] = [...(bindings[key] ?? []), { HostIp: port.ip ?? '', HostPort: port.external === undefined ? '' : String(port.external) }];
        p.hostConfig.PortBindings = bindings;
      }
    }
  },
  // upload: a one-file tar copied to "/" before start, mode 0644 (0744 when executable)
  upload: (v, p, a) => {
    for (const entry of list(v, `${a}: upload`)) {
      const u: UploadDraft = {};
      block(UPLOAD, 'upload')(entry, u, a);
      if (!u.file || u.content === undefined) throw new Error(`${a}: upload needs file and content`);
      p.uploads.push({ file: u.file, content: u.content, mode: u.executable ? 0o744 : 0o644 });
    }
  },
  // volumes: volumeSetToDockerVolumes — Config.Volumes plus Binds "<volume or host path>:<path>:rw|ro"
  volumes: (v, p, a) => {
    for (const entry of list(v, `${a}: volumes`)) {
      const d: VolumeDraft = {};
      block(VOLUMES, 'volumes')(entry, d, a);
      if (!d.container_path) throw new Error(`${a}: volumes needs container_path`);
      const source = d.volume_name ?? d.host_path;
      p.config.Volumes = { ...(p.config.Volumes ?? {}), [d.container_path]: {} };
      if (source) p.hostConfig.Binds = [...(p.hostConfig.Binds ?? []), `${source}:${d.container_path}:${d.read_only ? 'ro' : 'rw'}`];
    }
  },
  host: (v, p, a) => {
    const hosts: string[] = [];
    for (const entry of list(v, `${a}: host`)) {
      const h: HostDraft = {};
      block(HOST, 'host')(entry, h, a);
      hosts.push(`${h.host}:${h.ip}`);
    }
    if (hosts.length) p.hostConfig.ExtraHosts = hosts;
  },
  memory: (v, p) => (p.hostConfig.Memory = Number(v) * 1024 * 1024),
  // cpus: CPUPeriod 100000 and CPUQuota cpus × 100000 (not NanoCPUs)
  cpus: (v, p) => {
    p.hostConfig.CpuPeriod = 100000;
    p.hostConfig.CpuQuota = Math.trunc(Number(v) * 100000);
  },
  restart: (v, p) => (p.hostConfig.RestartPolicy = { Name: String(v), MaximumRetryCount: 0 }),
  log_opts: (v, p) => (p.hostConfig.LogConfig.Config = Object.fromEntries(Object.entries(v as Obj).map(([k, x]) => [k, String(x)]))),
  wait: (v, p) => (p.wait = Boolean(v)),
  wait_timeout: (v, p) => (p.waitTimeoutS = Number(v)),
};

/** The provider's defaults for every docker_container (schema defaults the stacks leave unset). */
export function emptyContainerPlan(): ContainerPlan {
  return {
    name: '',
    config: { Labels: {}, Tty: false, OpenStdin: false },
    hostConfig: { RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, LogConfig: { Type: 'json-file' }, Init: false, Privileged: false, PublishAllPorts: false, ReadonlyRootfs: false, AutoRemove: false },
    networks: [],
    uploads: [],
    wait: false,
    waitTimeoutS: 60,
  };
}

/** docker_network: resourceDockerNetworkCreate. */
export const NETWORK_ATTRIBUTES: Record<string, Handler<NetworkPlan>> = {
  ...META,
  name: (v, p) => (p.name = String(v)),
  driver: (v, p) => (p.body.Driver = String(v)),
  labels: (v, p, a) => (p.body.Labels = labelsOf(v, a)),
  ipam_config: (v, p, a) => {
    const keys: Record<string, string> = { subnet: 'Subnet', gateway: 'Gateway', ip_range: 'IPRange' };
    for (const entry of list(v, `${a}: ipam_config`)) {
      const config: Record<string, string> = {};
      for (const [k, x] of Object.entries(entry as Obj)) {
        if (!keys[k]) throw new Error(`${a}: ipam_config.${k} has no mapping in the applier`);
        config[keys[k]] = String(x);
      }
      p.body.IPAM.Config.push(config);
    }
  },
};

export function emptyNetworkPlan(): NetworkPlan {
  return { name: '', body: { Driver: 'bridge', Labels: {}, IPAM: { Driver: 'default', Config: [] }, Internal: false, Attachable: false } };
}

/** docker_volume: resourceDockerVolumeCreate. */
export const VOLUME_ATTRIBUTES: Record<string, Handler<VolumePlan>> = {
  ...META,
  name: (v, p) => (p.name = String(v)),
  labels: (v, p, a) => (p.body.Labels = labelsOf(v, a)),
};

type BuildDraft = NonNullable<ImagePlan['build']>;
const BUILD: Record<string, Handler<BuildDraft>> = {
  context: (v, b) => (b.context = String(v)),
  dockerfile: (v, b) => (b.dockerfile = String(v)),
  tag: (v, b, a) => (b.tags = strings(v, `${a}: build.tag`)),
  label: (v, b) => (b.labels = Object.fromEntries(Object.entries(v as Obj).map(([k, x]) => [k, String(x)]))),
  build_args: (v, b) => (b.buildArgs = Object.fromEntries(Object.entries(v as Obj).map(([k, x]) => [k, String(x)]))),
};

/** docker_image: resourceDockerImageCreate (build when `build` is set, else pull). */
export const IMAGE_ATTRIBUTES: Record<string, Handler<ImagePlan>> = {
  ...META,
  name: (v, p) => (p.name = String(v)),
  keep_locally: (v, p) => (p.keepLocally = Boolean(v)),
  triggers: (v, p) => (p.triggers = Object.fromEntries(Object.entries(v as Obj).map(([k, x]) => [k, String(x)]))),
  build: (v, p, a) => {
    const b: BuildDraft = { context: '', dockerfile: 'Dockerfile', tags: [], labels: {}, buildArgs: {} };
    block(BUILD, 'build')(v, b, a);
    p.build = b;
  },
};

/** null_resource (hashicorp/null): triggers, and local-exec provisioners run by Terraform as `/bin/sh -c`. */
export const NULL_RESOURCE_ATTRIBUTES: Record<string, Handler<NullResourcePlan>> = {
  ...META,
  triggers: (v, p) => (p.triggers = Object.fromEntries(Object.entries(v as Obj).map(([k, x]) => [k, String(x)]))),
  provisioner: (v, p, a) => {
    for (const entry of list(v, `${a}: provisioner`)) {
      const kinds = Object.keys(entry as Obj);
      if (kinds.length !== 1 || kinds[0] !== 'local-exec') throw new Error(`${a}: provisioner '${kinds.join(',')}' has no mapping in the applier (only local-exec)`);
      const { command, when, ...rest } = (entry as { 'local-exec': { command: string; when?: string } })['local-exec'];
      if (Object.keys(rest).length) throw new Error(`${a}: local-exec.${Object.keys(rest)[0]} has no mapping in the applier`);
      if (when !== undefined && when !== 'destroy' && when !== 'create') throw new Error(`${a}: local-exec when='${when}' is not create or destroy`);
      p.provisioners.push({ command, when: when === 'destroy' ? 'destroy' : 'create' });
    }
  },
};

/** Applies a resource body through its table; throws on the first attribute it has no mapping for. */
export function mapAttributes<P>(table: Record<string, Handler<P>>, body: Obj, plan: P, address: string): P {
  for (const [key, value] of Object.entries(body)) {
    const handler = table[key];
    if (!handler) throw new Error(`${address}: attribute '${key}' has no mapping onto the Docker Engine in the applier (engine/attribute-map.ts); add it the way kreuzwerker/docker 3.6.2 maps it`);
    handler(value, plan, address);
  }
  return plan;
}
