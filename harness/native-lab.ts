/**
 * The lab without Docker: the eight CMS services as native processes over
 * real Cyclone DDS on loopback, each on its own free metrics port, in their
 * own DDS domain so concurrent labs never see each other. Used by the
 * service tests, the scenario conformance harness and the native runner
 * backend.
 *
 * Every child carries CMS_NATIVE_LAB=<name> in its environment, so a lab
 * left behind by a killed harness is found and stopped on the next start.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { renderCycloneConfig } from '../model/cyclonedds';
import { SERVICE_NAMES, type ServiceName } from '../model/services';
import { projectRoot } from '../services/runtime/paths';
import { type PromFamily, parsePromText } from './prom-text';

export interface LogLine {
  readonly service: ServiceName;
  readonly event: string;
  readonly level: string;
  readonly [field: string]: unknown;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface NativeLabOptions {
  /** Name of the lab; leftovers of a lab with the same name are stopped at start. @default 'cms-native-lab' */
  readonly name?: string;
  /** Services to run. @default all eight */
  readonly services?: readonly ServiceName[];
  /** DDS domain id. @default a random one in 10..199 */
  readonly domainId?: number;
  /** Base URL of an OTLP/HTTP receiver; telemetry is not exported when absent. @default none */
  readonly otlpEndpoint?: string;
  /** Extra environment per service (chaos hooks, seeds). @default none */
  readonly env?: Partial<Record<ServiceName, Readonly<Record<string, string>>>>;
  /** Folder for the Cyclone config. @default a fresh temporary folder */
  readonly workDir?: string;
  /** How long to wait for every /healthz. @default 30000 */
  readonly startTimeoutMs?: number;
  /** Receives every stdout/stderr line, for progress output. @default none */
  readonly onLine?: (service: ServiceName, line: string) => void;
}

const ENTRY = () => path.join(projectRoot(), 'dist', 'services', 'main.js');
const MARKER = 'CMS_NATIVE_LAB';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns a value other than undefined/false, or throws with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await probe();
      if (result !== undefined && result !== false) return result;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    }
    await sleep(intervalMs);
  }
}

/** Processes (other than this one) whose environment carries the lab marker. */
export function findLabProcesses(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (environ.split('\0').includes(`${MARKER}=${name}`)) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

class ServiceProcess {
  readonly logs: LogLine[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<ExitInfo>;
  exitInfo?: ExitInfo;

  constructor(
    readonly name: ServiceName,
    readonly child: ChildProcess,
    onLine?: (service: ServiceName, line: string) => void,
  ) {
    let buffered = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        onLine?.(name, line);
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          this.stderr.push(line);
        }
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (line) {
          this.stderr.push(line);
          onLine?.(name, line);
        }
      }
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      }),
    );
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }
}

export class NativeLab {
  readonly name: string;
  readonly domainId: number;
  readonly services: readonly ServiceName[];
  readonly workDir: string;
  readonly ports = new Map<ServiceName, number>();
  private readonly processes = new Map<ServiceName, ServiceProcess>();
  /** Every process a service has had, oldest first (restarts keep the history of logs). */
  private readonly history = new Map<ServiceName, ServiceProcess[]>();
  private readonly baseEnv: NodeJS.ProcessEnv;

  constructor(private readonly options: NativeLabOptions = {}) {
    this.name = options.name ?? 'cms-native-lab';
    this.domainId = options.domainId ?? 10 + Math.floor(Math.random() * 190);
    this.services = options.services ?? SERVICE_NAMES;
    this.workDir = options.workDir ?? path.join(os.tmpdir(), `${this.name}-${process.pid}-${Date.now()}`);
    mkdirSync(this.workDir, { recursive: true });
    const cyclone = path.join(this.workDir, 'cyclonedds.xml');
    writeFileSync(cyclone, renderCycloneConfig({ network: 'loopback' }));
    this.baseEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      [MARKER]: this.name,
      CYCLONEDDS_URI: `file://${cyclone}`,
      CMS_DDS_DOMAIN_ID: String(this.domainId),
      CMS_METRICS_HOST: '127.0.0.1',
      ...(options.otlpEndpoint
        ? { OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpEndpoint, OTEL_METRIC_EXPORT_INTERVAL: '5000' }
        : {}),
    };
  }

  /** Stops leftovers of an earlier lab of the same name, then starts every service and waits until all are healthy. */
  async start(): Promise<void> {
    if (!existsSync(ENTRY())) throw new Error(`${ENTRY()} is missing: run 'npm run build' first`);
    const leftovers = await this.killLeftovers();
    if (leftovers > 0) process.stderr.write(`native lab '${this.name}': stopped ${leftovers} leftover process(es) of an earlier run\n`);
    for (const service of this.services) this.ports.set(service, await freePort());
    for (const service of this.services) this.spawnService(service);
    await Promise.all(this.services.map((s) => this.waitHealthy(s)));
  }

  /** Kills processes of an earlier lab with this name; returns how many there were. */
  async killLeftovers(): Promise<number> {
    const pids = findLabProcesses(this.name);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (pids.length) await waitFor('leftover processes to exit', () => findLabProcesses(this.name).length === 0, 10_000);
    return pids.length;
  }

  private spawnService(service: ServiceName, extraEnv: Readonly<Record<string, string>> = {}): ServiceProcess {
    const env = {
      ...this.baseEnv,
      SERVICE_NAME: service,
      CMS_METRICS_PORT: String(this.ports.get(service)),
      ...(this.options.env?.[service] ?? {}),
      ...extraEnv,
    };
    const child = spawn(process.execPath, [ENTRY()], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const proc = new ServiceProcess(service, child, this.options.onLine);
    this.processes.set(service, proc);
    this.history.set(service, [...(this.history.get(service) ?? []), proc]);
    return proc;
  }

  async waitHealthy(service: ServiceName, timeoutMs = this.options.startTimeoutMs ?? 30_000): Promise<void> {
    const proc = this.processes.get(service);
    await waitFor(
      `${service} /healthz`,
      async () => {
        if (proc && !proc.running) {
          throw new Error(`${service} exited (${JSON.stringify(proc.exitInfo)}): ${proc.stderr.slice(-5).join(' | ')}`);
        }
        const response = await fetch(`http://127.0.0.1:${this.ports.get(service)}/healthz`);
        return response.ok;
      },
      timeoutMs,
    ).catch((error: Error) => {
      // a process that exited is a definite failure: surface it instead of the timeout
      if (proc && !proc.running) {
        throw new Error(`${service} exited (${JSON.stringify(proc.exitInfo)}): ${proc.stderr.slice(-5).join(' | ')}`);
      }
      throw error;
    });
  }

  process(service: ServiceName): ServiceProcess | undefined {
    return this.processes.get(service);
  }

  pid(service: ServiceName): number | undefined {
    const proc = this.processes.get(service);
    return proc?.running ? proc.child.pid : undefined;
  }

  isRunning(service: ServiceName): boolean {
    return this.processes.get(service)?.running ?? false;
  }

  /** Sends `signal` and waits for the process to exit (SIGKILL after `graceMs`). */
  async stopService(service: ServiceName, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<ExitInfo | undefined> {
    const proc = this.processes.get(service);
    if (!proc || !proc.running) return proc?.exitInfo;
    proc.child.kill(signal);
    const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
    const info = await proc.exited;
    clearTimeout(timer);
    return info;
  }

  /** Starts (or restarts) a service with optional extra environment; waits until healthy unless told not to. */
  async startService(service: ServiceName, extraEnv: Readonly<Record<string, string>> = {}, options: { waitHealthy?: boolean } = {}): Promise<void> {
    if (this.isRunning(service)) await this.stopService(service);
    this.spawnService(service, extraEnv);
    if (options.waitHealthy ?? true) await this.waitHealthy(service);
  }

  async scrape(service: ServiceName): Promise<Map<string, PromFamily>> {
    const response = await fetch(`http://127.0.0.1:${this.ports.get(service)}/metrics`);
    if (!response.ok) throw new Error(`${service} /metrics answered ${response.status}`);
    return parsePromText(await response.text());
  }

  async getJson(service: ServiceName, pathname: string): Promise<unknown> {
    const response = await fetch(`http://127.0.0.1:${this.ports.get(service)}${pathname}`);
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

  /** Stops every service (SIGTERM, then SIGKILL after the grace period). */
  async stop(): Promise<void> {
    await Promise.all([...this.processes.keys()].map((s) => this.stopService(s)));
  }
}
