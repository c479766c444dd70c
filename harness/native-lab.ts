/**
 * The lab without Docker: the eight CMS services as native processes over
 * real Cyclone DDS, in their own DDS domain so concurrent labs never meet.
 *
 * Two network modes:
 * - `loopback` (no privileges): every service on 127.0.0.1 with its own free
 *   metrics port and the loopback Cyclone config (unicast peers);
 * - `namespaces` (root): like Docker, each service in its own network
 *   namespace on a per-lab bridge, on its model port, with the bridge
 *   Cyclone config the containers use (multicast discovery), a cgroup for
 *   CPU and memory limits, and a link that can be cut.
 *
 * Every child carries CMS_NATIVE_LAB=<name>, and namespaces, bridges and
 * cgroups are recorded in a state file, so whatever a killed harness left
 * behind is removed on the next start of a lab with the same name.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from '../lib/wait';
import { renderCycloneConfig } from '../model/cyclonedds';
import { SERVICE_NAMES, type ServiceName, serviceSpec } from '../model/services';
import { projectRoot } from '../services/runtime/paths';
import { ServiceCgroup } from './cgroups';
import { freePort } from './free-port';
import { BridgeNetwork, labNamespaces } from './netns';
import { LAB_MARKER, NATIVE_LAB_STATE_DIR, findLabProcesses, labStateFile } from './lab-scan';
import { OtlpReceiver } from './otlp-receiver';
import { type PromFamily, parsePromText } from './prom-text';
import { type ExitInfo, type LogLine, ServiceProcess } from './service-process';
import { HEALTH_CHECK, HEALTHY_WITHIN_S } from '../model/health-check';

export type { ExitInfo, LogLine } from './service-process';
export { findLabProcesses, leftoverLabNames } from './lab-scan';

export type NativeNetwork = 'loopback' | 'namespaces';

export interface NativeLabOptions {
  /** Name of the lab; leftovers of a lab with the same name are removed at start. @default 'cms-native-lab' */
  readonly name?: string;
  /** Services to run. @default all eight */
  readonly services?: readonly ServiceName[];
  /** @default 'loopback' */
  readonly network?: NativeNetwork;
  /** DDS domain id. @default a random one in 10..199 */
  readonly domainId?: number;
  /** Base URL of an external OTLP/HTTP receiver. @default none (see `otlp`) */
  readonly otlpEndpoint?: string;
  /**
   * Start a receiver of the lab's own and export OTLP to it (reachable from
   * the namespaces too): `retain` keeps every record, `count` only counts
   * them (long runs). @default none
   */
  readonly otlp?: 'retain' | 'count';
  /** Extra environment per service (chaos hooks, seeds). @default none */
  readonly env?: Partial<Record<ServiceName, Readonly<Record<string, string>>>>;
  /** Restart a process that exits without being stopped, like Docker's unless-stopped. @default 'no' */
  readonly restart?: 'no' | 'unless-stopped';
  /** Folder for the Cyclone config. @default a fresh temporary folder */
  readonly workDir?: string;
  /** How long to wait for every /healthz. @default the containers' health check: its start period and every retry (HEALTHY_WITHIN_S) */
  readonly startTimeoutMs?: number;
  /** Receives every stdout/stderr line, for progress output. @default none */
  readonly onLine?: (service: ServiceName, line: string) => void;
}

const ENTRY = () => path.join(projectRoot(), 'dist', 'services', 'main.js');

interface LeftoverRecord {
  readonly network?: { bridge: string; netns: string[] };
  readonly cgroupLab?: string;
}

export class NativeLab {
  readonly name: string;
  readonly domainId: number;
  readonly services: readonly ServiceName[];
  readonly network: NativeNetwork;
  readonly workDir: string;
  /** Where each service's HTTP surface answers, from this process. */
  readonly endpoints = new Map<ServiceName, { host: string; port: number }>();
  /** The lab's own OTLP receiver when `otlp` is set. */
  readonly otlp?: OtlpReceiver;
  private readonly processes = new Map<ServiceName, ServiceProcess>();
  private readonly history = new Map<ServiceName, ServiceProcess[]>();
  private readonly cgroups = new Map<ServiceName, ServiceCgroup>();
  private readonly memoryLimits = new Map<ServiceName, number | undefined>();
  private readonly companions = new Map<string, ChildProcess>();
  private bridge?: BridgeNetwork;
  private baseEnv: Record<string, string> = {};
  private stopped = false;

  constructor(private readonly options: NativeLabOptions = {}) {
    this.name = options.name ?? 'cms-native-lab';
    if (!/^[a-z0-9-]{1,40}$/.test(this.name)) throw new Error(`native lab name '${this.name}' must be lowercase letters, digits and '-'`);
    this.domainId = options.domainId ?? 10 + Math.floor(Math.random() * 190);
    this.services = options.services ?? SERVICE_NAMES;
    this.network = options.network ?? 'loopback';
    this.workDir = options.workDir ?? path.join(os.tmpdir(), `${this.name}-${process.pid}-${Date.now()}`);
    if (options.otlp) this.otlp = new OtlpReceiver(options.otlp === 'retain');
  }

  private get statePath(): string {
    return labStateFile(this.name);
  }

  /** What this lab left on the machine after stop(): processes, cgroups, its state file (nothing, when all went well). */
  residue(): string[] {
    const residue: string[] = [];
    const processes = findLabProcesses(this.name);
    if (processes.length) residue.push(`${processes.length} process(es)`);
    for (const controller of ServiceCgroup.labGroupsLeft(this.name)) residue.push(`${controller} cgroup`);
    if (existsSync(this.statePath)) residue.push('state file');
    const namespaces = new Set(labNamespaces());
    const left = this.bridge?.resources().netns.filter((n) => namespaces.has(n)) ?? [];
    if (left.length) residue.push(`${left.length} network namespace(s)`);
    return residue;
  }

  /** Removes what an earlier run of this lab left behind; returns a description of what was found. */
  async removeLeftovers(): Promise<string[]> {
    const found: string[] = [];
    const pids = findLabProcesses(this.name);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (pids.length) {
      found.push(`${pids.length} process(es)`);
      await waitFor('leftover processes to exit', () => findLabProcesses(this.name).length === 0, 10_000);
    }
    if (existsSync(this.statePath)) {
      const record = JSON.parse(readFileSync(this.statePath, 'utf8')) as LeftoverRecord;
      if (record.network) {
        BridgeNetwork.removeLeftovers(record.network);
        found.push(`bridge ${record.network.bridge} and ${record.network.netns.length} namespace(s)`);
      }
      if (record.cgroupLab) {
        ServiceCgroup.removeLab(record.cgroupLab);
        found.push('cgroups');
      }
      rmSync(this.statePath, { force: true });
    }
    return found;
  }

  private writeState(): void {
    mkdirSync(NATIVE_LAB_STATE_DIR, { recursive: true });
    const record: LeftoverRecord = { network: this.bridge?.resources(), cgroupLab: this.network === 'namespaces' ? this.name : undefined };
    writeFileSync(this.statePath, JSON.stringify(record));
  }

  /** Stops leftovers of an earlier lab of the same name, then starts every service and waits until all are healthy. */
  async start(): Promise<void> {
    if (!existsSync(ENTRY())) throw new Error(`${ENTRY()} is missing: run 'npm run build' first`);
    const leftovers = await this.removeLeftovers();
    if (leftovers.length) process.stderr.write(`native lab '${this.name}': removed leftovers of an earlier run: ${leftovers.join(', ')}\n`);
    mkdirSync(this.workDir, { recursive: true });
    const cyclone = path.join(this.workDir, 'cyclonedds.xml');
    let otlpHost = '127.0.0.1';
    if (this.network === 'namespaces') {
      for (const check of [BridgeNetwork.available(), ServiceCgroup.available()]) {
        if (!check.ok) throw new Error(`the namespaces network mode cannot run here: ${check.reason} (run as root on Linux with iproute2 and cgroup v1)`);
      }
      const { id, octet } = BridgeNetwork.allocate();
      this.bridge = new BridgeNetwork(id, octet);
      this.writeState();
      this.bridge.create();
      this.writeState();
      this.services.forEach((service, i) => {
        (this.bridge as BridgeNetwork).add(service, 10 + i);
        const group = new ServiceCgroup(this.name, service);
        group.create();
        this.cgroups.set(service, group);
        this.endpoints.set(service, { host: (this.bridge as BridgeNetwork).member(service).address, port: serviceSpec(service).metricsPort });
      });
      this.writeState();
      writeFileSync(cyclone, renderCycloneConfig({ network: 'bridge' }));
      otlpHost = this.bridge.gateway;
    } else {
      for (const service of this.services) this.endpoints.set(service, { host: '127.0.0.1', port: await freePort() });
      writeFileSync(cyclone, renderCycloneConfig({ network: 'loopback' }));
    }
    let otlpEndpoint = this.options.otlpEndpoint;
    if (this.otlp) otlpEndpoint = await this.otlp.start(otlpHost);
    this.baseEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      [LAB_MARKER]: this.name,
      CYCLONEDDS_URI: `file://${cyclone}`,
      CMS_DDS_DOMAIN_ID: String(this.domainId),
      ...(otlpEndpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint, OTEL_METRIC_EXPORT_INTERVAL: '5000' } : {}),
    };
    for (const service of this.services) this.spawnService(service, {});
    await Promise.all(this.services.map((s) => this.waitHealthy(s)));
  }

  private spawnService(service: ServiceName, extraEnv: Readonly<Record<string, string>>): ServiceProcess {
    const endpoint = this.endpoints.get(service);
    if (!endpoint) throw new Error(`${service} is not part of this lab`);
    const env: Record<string, string> = {
      ...this.baseEnv,
      SERVICE_NAME: service,
      CMS_METRICS_PORT: String(endpoint.port),
      CMS_METRICS_HOST: this.network === 'namespaces' ? '0.0.0.0' : '127.0.0.1',
      ...(this.options.env?.[service] ?? {}),
      ...extraEnv,
    };
    const child =
      this.network === 'namespaces'
        ? spawn('ip', ['netns', 'exec', (this.bridge as BridgeNetwork).member(service).netns, process.execPath, ENTRY()], { env, stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn(process.execPath, [ENTRY()], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    // `ip netns exec` execs node in place, so the pid is the service's
    if (child.pid !== undefined) this.cgroups.get(service)?.add(child.pid);
    const proc = new ServiceProcess(service, child, extraEnv, this.options.onLine);
    this.processes.set(service, proc);
    this.history.set(service, [...(this.history.get(service) ?? []), proc]);
    void proc.exited.then(() => {
      if (this.options.restart === 'unless-stopped' && !proc.stopRequested && !this.stopped && this.processes.get(service) === proc) {
        setTimeout(() => {
          if (!this.stopped && this.processes.get(service) === proc) this.spawnService(service, proc.env);
        }, 1000);
      }
    });
    return proc;
  }

  /**
   * Waits until the service answers /healthz. Under the `unless-stopped`
   * restart policy a process that exits while starting is followed into its
   * replacement, as Docker's restart policy and health check would; every
   * exit is said on stderr and, when the wait fails, in its error.
   */
  async waitHealthy(service: ServiceName, timeoutMs = this.options.startTimeoutMs ?? HEALTHY_WITHIN_S * 1000): Promise<void> {
    const follows = this.options.restart === 'unless-stopped';
    const exits: string[] = [];
    let stopped = false;
    const withExits = (reason: string) => new Error([...exits, reason].join('; '));
    await waitFor(
      `${service} /healthz`,
      async () => {
        const proc = this.processes.get(service);
        if (proc && !proc.running) {
          const summary = proc.exitSummary();
          if (!exits.includes(summary)) {
            exits.push(summary);
            process.stderr.write(`native lab '${this.name}': ${summary}${follows && !proc.stopRequested ? '; its restart policy starts it again' : ''}\n`);
          }
          stopped = !follows || proc.stopRequested;
          return stopped;
        }
        const response = await fetch(`${this.baseUrl(service)}/healthz`, { signal: AbortSignal.timeout(HEALTH_CHECK.timeoutS * 1000) });
        return response.ok;
      },
      timeoutMs,
    ).catch((error: Error) => {
      throw exits.length ? withExits(error.message) : error;
    });
    if (stopped) throw new Error(exits.join('; '));
  }

  baseUrl(service: ServiceName): string {
    const e = this.endpoints.get(service);
    if (!e) throw new Error(`${service} is not part of this lab`);
    return `http://${e.host}:${e.port}`;
  }

  /** host:port Prometheus scrapes for a service. */
  scrapeAddress(service: ServiceName): string {
    const e = this.endpoints.get(service);
    if (!e) throw new Error(`${service} is not part of this lab`);
    return `${e.host}:${e.port}`;
  }

  process(service: ServiceName): ServiceProcess | undefined {
    return this.processes.get(service);
  }

  /** Every process a service has had, oldest first. */
  processHistory(service: ServiceName): readonly ServiceProcess[] {
    return this.history.get(service) ?? [];
  }

  pid(service: ServiceName): number | undefined {
    const proc = this.processes.get(service);
    return proc?.running ? proc.child.pid : undefined;
  }

  isRunning(service: ServiceName): boolean {
    return this.processes.get(service)?.running ?? false;
  }

  cgroup(service: ServiceName): ServiceCgroup {
    const group = this.cgroups.get(service);
    if (!group) throw new Error(`${service} has no cgroup: cgroups exist in the namespaces network mode`);
    return group;
  }

  bridgeNetwork(): BridgeNetwork {
    if (!this.bridge) throw new Error('this lab runs on loopback: there is no bridge network');
    return this.bridge;
  }

  /** Sends a signal to a running service's process (SIGSTOP / SIGCONT freeze and resume it). */
  signalService(service: ServiceName, signal: NodeJS.Signals): void {
    const proc = this.processes.get(service);
    if (!proc?.running) throw new Error(`${service} is not running: cannot send it ${signal}`);
    proc.child.kill(signal);
  }

  /** Sends `signal` and waits for the process to exit (SIGKILL after `graceMs`); it is not restarted. */
  async stopService(service: ServiceName, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<ExitInfo | undefined> {
    const proc = this.processes.get(service);
    if (!proc) return undefined;
    proc.stopRequested = true;
    if (!proc.running) return proc.exitInfo;
    proc.child.kill(signal);
    const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
    const info = await proc.exited;
    clearTimeout(timer);
    return info;
  }

  /**
   * Starts (or restarts) a service with optional extra environment and a
   * memory limit in MB (namespaces mode); waits until healthy unless told not to.
   */
  async startService(
    service: ServiceName,
    extraEnv: Readonly<Record<string, string>> = {},
    options: { waitHealthy?: boolean; memoryLimitMb?: number } = {},
  ): Promise<void> {
    if (this.isRunning(service)) await this.stopService(service);
    if (this.cgroups.has(service)) {
      this.cgroup(service).setMemoryLimit(options.memoryLimitMb);
      this.memoryLimits.set(service, options.memoryLimitMb);
    } else if (options.memoryLimitMb !== undefined) {
      throw new Error('memory limits need the namespaces network mode (cgroups)');
    }
    this.spawnService(service, extraEnv);
    if (options.waitHealthy ?? true) await this.waitHealthy(service);
  }

  async scrape(service: ServiceName): Promise<Map<string, PromFamily>> {
    const response = await fetch(`${this.baseUrl(service)}/metrics`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`${service} /metrics answered ${response.status}`);
    return parsePromText(await response.text());
  }

  async getJson(service: ServiceName, pathname: string): Promise<unknown> {
    const response = await fetch(`${this.baseUrl(service)}${pathname}`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`${service} ${pathname} answered ${response.status}`);
    return response.json();
  }

  /** Structured log lines of a service across all its processes (or of every service). */
  logs(service?: ServiceName): LogLine[] {
    const names = service ? [service] : this.services;
    return names.flatMap((s) => (this.history.get(s) ?? []).flatMap((p) => p.logs));
  }

  /** Non-JSON output of a service's processes. */
  stderr(service: ServiceName): string[] {
    return (this.history.get(service) ?? []).flatMap((p) => p.stderr);
  }

  events(event: string, service?: ServiceName): LogLine[] {
    return this.logs(service).filter((l) => l.event === event);
  }

  /**
   * Starts a process beside the services (a CPU neighbour): node running
   * `script`, carrying the lab's marker, so the lab's residue check and
   * leftover removal find it as they find the services.
   */
  async startCompanion(name: string, script: string): Promise<void> {
    await this.stopCompanion(name);
    const child = spawn(process.execPath, ['-e', script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', [LAB_MARKER]: this.name }, stdio: 'ignore' });
    this.companions.set(name, child);
  }

  /** Stops a companion process and waits until it is gone (a missing one is fine). */
  async stopCompanion(name: string): Promise<void> {
    const child = this.companions.get(name);
    this.companions.delete(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
  }

  /** Stops every service, then removes namespaces, bridge and cgroups. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.companions.keys()].map((name) => this.stopCompanion(name)));
    await Promise.all([...this.processes.keys()].map((s) => this.stopService(s)));
    for (const group of this.cgroups.values()) group.destroy();
    if (this.cgroups.size) ServiceCgroup.removeLab(this.name);
    this.bridge?.destroy();
    await this.otlp?.stop();
    rmSync(this.statePath, { force: true });
  }
}
