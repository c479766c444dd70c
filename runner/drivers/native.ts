/**
 * The native lab driver: each run on a fresh native lab (services in network
 * namespaces, Debian's Prometheus evaluating the lab's own config and rules,
 * an OTLP receiver keeping logs and traces), the fault injected natively.
 * There is no Grafana here, so the page is rendered from the instances
 * Prometheus really has firing, with the same renderer that produces the
 * Grafana-shaped alert.json. Logs and traces come from the OTLP receiver,
 * never presented as Loki or Tempo. Closing a run stops its lab, which also
 * removes any fault a failed revert left.
 */
import { ServiceCgroup } from '../../harness/cgroups';
import { uniqueLabName } from '../../harness/lab-scan';
import { injectNative } from '../../harness/native-faults';
import { faultsOf } from '../../scenarios/faults';
import { NativeLab, leftoverLabNames } from '../../harness/native-lab';
import { NativePrometheus } from '../../harness/native-prometheus';
import { BridgeNetwork } from '../../harness/netns';
import { notificationFromPrometheus } from '../../harness/notification';
import { steadyStateReached } from '../../harness/steady-state';
import { nativeSources } from '../../investigator/sources';
import type { LabModel } from '../../model/lab';
import { SERVICE_NAMES } from '../../model/services';
import type { ScenarioSpec } from '../../scenarios/types';
import { type LabDriver, LabNotReadyError, type LabRun, type TelemetryAccess } from '../lab-driver';
import { type NoiseActions, neighbourScript } from '../noise';

export interface NativeDriverProps {
  readonly lab: LabModel;
  /** Runs side by side (each its own lab, bridge and DDS domain). @default 1 */
  readonly lanes?: number;
  /** Prefix of the native labs' names (kept short: it names bridges and cgroups). @default 'cms-run' */
  readonly namePrefix?: string;
  /** Keep what the services push over OTLP (the logs and traces an investigator reads). @default 'retain' */
  readonly otlp?: 'count' | 'retain';
  /** @default 1000 */
  readonly pollMs?: number;
}

class NativeRun implements LabRun {
  private revertFault?: () => Promise<void>;

  constructor(
    private readonly lab: LabModel,
    private readonly native: NativeLab,
    private readonly prometheus: NativePrometheus,
    readonly leftoversAtStart: readonly string[],
  ) {}

  /** Noise natively: a restart is a new process, a diagnostics request is SIGUSR2, the neighbour a node process carrying the lab's marker. */
  readonly noise: NoiseActions = {
    restart: (service) => this.native.startService(service),
    requestDiagnostics: async (service) => {
      if (this.native.isRunning(service)) this.native.signalService(service, 'SIGUSR2');
    },
    startNeighbour: (name, cpus) => this.native.startCompanion(name, neighbourScript(cpus)),
    stopNeighbour: (name) => this.native.stopCompanion(name),
  };

  async steady(): Promise<boolean> {
    if (!(await steadyStateReached(this.native))) return false;
    const up = await this.prometheus.query('up{job="cms-services"}');
    return up.length === SERVICE_NAMES.length && up.every((u) => u.value === 1);
  }

  async firing(): Promise<string[]> {
    return [...new Set((await this.prometheus.firing()).map((a) => a.labels.alertname))];
  }

  async inject(spec: ScenarioSpec): Promise<void> {
    const reverts: Array<() => Promise<void>> = [];
    // every fault in, each revert kept as soon as its fault is in: a failure halfway still reverts what went in
    this.revertFault = async () => {
      for (const revert of reverts.reverse()) await revert();
    };
    for (const fault of faultsOf(spec)) reverts.push(await injectNative(this.native, fault));
  }

  async revert(): Promise<void> {
    await this.revertFault?.();
    this.revertFault = undefined;
  }

  async page(spec: ScenarioSpec) {
    return { notification: notificationFromPrometheus(this.lab, spec.expectedAlerts[0], await this.prometheus.firing()), source: 'rendered-from-prometheus' as const };
  }

  access(): TelemetryAccess {
    return {
      sources: nativeSources(this.prometheus.url, this.native.otlp),
      env: { CMS_PROMETHEUS_URL: this.prometheus.url },
      description: `native lab: Prometheus at ${this.prometheus.url} (the lab's own scrape config and rules); logs and traces from the harness's OTLP receiver`,
    };
  }

  async close(log: (message: string) => void) {
    try {
      await this.prometheus.stop();
    } finally {
      await this.native.stop();
    }
    log('native lab stopped');
    return { residue: this.native.residue(), drift: [] };
  }
}

export class NativeDriver implements LabDriver {
  readonly kind = 'native' as const;
  readonly mechanism = 'the native harness (services as processes in network namespaces, Debian Prometheus)';
  readonly lab: LabModel;
  readonly lanes: number;
  readonly pollMs: number;
  readonly baselineTimeoutMs = 90_000;
  /** What every lab this driver starts is named by: the prefix and a token of this driver's own, so no other run's labs share it. */
  readonly labPrefix: string;
  private readonly prefix: string;
  private readonly otlp: 'count' | 'retain';
  private sequence = 0;

  constructor(props: NativeDriverProps) {
    this.lab = props.lab;
    this.lanes = props.lanes ?? 1;
    this.prefix = props.namePrefix ?? 'cms-run';
    this.labPrefix = `${uniqueLabName(this.prefix)}-`;
    this.otlp = props.otlp ?? 'retain';
    this.pollMs = props.pollMs ?? 1000;
    if (!Number.isInteger(this.lanes) || this.lanes < 1 || this.lanes > 4) throw new Error(`lanes must be 1 to 4 on this driver, not ${props.lanes}`);
  }

  async check(): Promise<void> {
    const problems = [BridgeNetwork.available(), ServiceCgroup.available()].filter((c) => !c.ok).map((c) => c.reason);
    if (problems.length) throw new LabNotReadyError(`the native backend cannot run here: ${problems.join('; ')} (run as root on Linux with iproute2 and cgroup v1, or use --backend docker)`);
  }

  /** Removes what an interrupted earlier runner left, whatever its token (the runner lock guarantees no other runner with this prefix is active). */
  async removeLeftovers(): Promise<string[]> {
    const found: string[] = [];
    for (const name of leftoverLabNames(`${this.prefix}-`)) {
      const removed = await new NativeLab({ name }).removeLeftovers();
      if (removed.length) found.push(`${name}: ${removed.join(', ')}`);
    }
    return found;
  }

  async open(label: string, log: (message: string) => void): Promise<LabRun> {
    // the lab's name reaches process names and cgroup paths: a sequence number, never the scenario
    void label;
    const name = `${this.labPrefix}${++this.sequence}`;
    const native = new NativeLab({ name, network: 'namespaces', otlp: this.otlp, restart: 'unless-stopped' });
    const leftovers = await native.removeLeftovers();
    const prometheus = new NativePrometheus(this.lab, native);
    try {
      await native.start();
      await prometheus.start();
    } catch (error) {
      await prometheus.stop().catch(() => undefined);
      await native.stop();
      throw error;
    }
    log(`native lab ${name} up (Prometheus at ${prometheus.url})`);
    return new NativeRun(this.lab, native, prometheus, leftovers);
  }
}
