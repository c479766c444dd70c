/**
 * A container of the lab, with the lab's conventions in one place: attached
 * to the lab network under its service alias, host ports bound to the
 * loopback address only, neutral labels (never anything that names a
 * scenario), a restart policy, and a health check that `terraform apply`
 * waits for, so a finished deploy means a usable service.
 */
import { Container, type ContainerConfig } from '@cdktf/provider-docker/lib/container';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { HEALTH_CHECK } from '../model/health-check';

export interface LabContainerProps {
  /** Container name, hostname and network alias. */
  readonly name: string;
  /** Image reference or image id. */
  readonly image: string;
  /** Name of the lab network. */
  readonly network: string;
  /** Fixed address on the lab network. @default assigned by Docker */
  readonly ipv4Address?: string;
  /** Further networks joined under the same alias (Grafana on the agents' network). @default none */
  readonly extraNetworks?: ReadonlyArray<{ readonly name: string; readonly ipv4Address?: string }>;
  /** Network alias (what other containers resolve). @default the container name */
  readonly alias?: string;
  /** Hostname inside the container. @default the alias */
  readonly hostname?: string;
  /** Address every published port binds to. */
  readonly bindAddress: string;
  /** What the container is, as the `org.cms-lab.component` label. */
  readonly component: string;
  /** Environment. @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** Container ports published on the host (bound to bindAddress). @default none */
  readonly publish?: ReadonlyArray<{ readonly container: number; readonly host: number }>;
  /** Command probed by Docker; deploy waits until it passes. @default no health check (use a ReadinessGate) */
  readonly healthcheck?: readonly string[];
  /** Files written into the container before it starts. @default none */
  readonly uploads?: ReadonlyArray<{ readonly path: string; readonly content: string }>;
  /** Named volumes. @default none */
  readonly volumes?: ReadonlyArray<{ readonly volume: string; readonly path: string }>;
  /** Host files or folders mounted read-only. @default none */
  readonly bindMounts?: ReadonlyArray<{ readonly host: string; readonly path: string; readonly readOnly?: boolean }>;
  /** Memory limit in MB. @default no limit */
  readonly memoryLimitMb?: number;
  /** @default the image's */
  readonly command?: readonly string[];
  /** @default the image's */
  readonly entrypoint?: readonly string[];
  /** @default the image's */
  readonly user?: string;
  /** Extra /etc/hosts entries, e.g. host.docker.internal → host-gateway. @default none */
  readonly extraHosts?: ReadonlyArray<{ readonly host: string; readonly ip: string }>;
  /** GPUs to request (`all`). @default none */
  readonly gpus?: string;
  /** Docker restart policy. @default 'unless-stopped' */
  readonly restart?: 'no' | 'on-failure' | 'always' | 'unless-stopped';
  /** Seconds to wait for health at creation. @default 180 */
  readonly healthTimeoutS?: number;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export class LabContainer extends Construct {
  readonly container: Container;
  readonly name: string;

  constructor(scope: Construct, id: string, props: LabContainerProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]*$/.test(props.name)) throw new Error(`container name '${props.name}' must be lowercase words joined by '-'`);
    for (const p of props.publish ?? []) {
      if (!Number.isInteger(p.container) || !Number.isInteger(p.host)) throw new Error(`${props.name}: ports must be integers`);
    }
    this.name = props.name;
    // empty lists are left out, so they never show up in a diff
    const nonEmpty = <T>(items: T[]): T[] | undefined => (items.length ? items : undefined);
    const healthcheck: ContainerConfig['healthcheck'] = props.healthcheck
      ? { test: [...props.healthcheck], interval: `${HEALTH_CHECK.intervalS}s`, timeout: `${HEALTH_CHECK.timeoutS}s`, retries: HEALTH_CHECK.retries, startPeriod: `${HEALTH_CHECK.startPeriodS}s` }
      : undefined;
    this.container = new Container(this, 'container', {
      name: props.name,
      hostname: props.hostname ?? props.alias ?? props.name,
      image: props.image,
      restart: props.restart ?? 'unless-stopped',
      env: nonEmpty(Object.entries(props.env ?? {}).map(([k, v]) => `${k}=${v}`)),
      networksAdvanced: [
        { name: props.network, aliases: [props.alias ?? props.name], ipv4Address: props.ipv4Address },
        ...(props.extraNetworks ?? []).map((n) => ({ name: n.name, aliases: [props.alias ?? props.name], ipv4Address: n.ipv4Address })),
      ],
      ports: nonEmpty((props.publish ?? []).map((p) => ({ internal: p.container, external: p.host, ip: props.bindAddress }))),
      labels: [
        { label: 'org.cms-lab.component', value: props.component },
        { label: 'org.cms-lab.managed-by', value: 'cdktf' },
      ],
      healthcheck,
      wait: healthcheck !== undefined,
      waitTimeout: healthcheck ? (props.healthTimeoutS ?? 180) : undefined,
      upload: nonEmpty((props.uploads ?? []).map((u) => ({ file: u.path, content: u.content }))),
      volumes: nonEmpty([
        ...(props.volumes ?? []).map((v) => ({ volumeName: v.volume, containerPath: v.path })),
        ...(props.bindMounts ?? []).map((b) => ({ hostPath: b.host, containerPath: b.path, readOnly: b.readOnly ?? true })),
      ]),
      memory: props.memoryLimitMb,
      command: props.command ? [...props.command] : undefined,
      entrypoint: props.entrypoint ? [...props.entrypoint] : undefined,
      user: props.user,
      host: props.extraHosts ? props.extraHosts.map((h) => ({ host: h.host, ip: h.ip })) : undefined,
      gpus: props.gpus,
      stopTimeout: 10,
      logOpts: { 'max-size': '10m', 'max-file': '3' },
      dependsOn: props.dependsOn,
    });
  }
}
