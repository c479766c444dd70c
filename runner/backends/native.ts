/**
 * The native backend: each run on a fresh native lab (services in network
 * namespaces, Debian's Prometheus evaluating the lab's own rules, an OTLP
 * receiver keeping logs and traces), through the conformance harness. There
 * is no Grafana here, so the notification handed to the agent is rendered
 * from the instances Prometheus really has firing, with the same renderer
 * that produces the Grafana-shaped alert.json. Logs and traces come from the
 * OTLP receiver, never presented as Loki or Tempo.
 */
import { BridgeNetwork } from '../../harness/netns';
import { ServiceCgroup } from '../../harness/cgroups';
import { type ConformanceResult, type ControlResult, type FiringContext, runControlNatively, runScenarioNatively } from '../../harness/conformance';
import { NativeLab, leftoverLabNames } from '../../harness/native-lab';
import { notificationFromPrometheus } from '../../harness/notification';
import { nativeSources } from '../../investigator/sources';
import type { LabModel } from '../../model/lab';
import { controlAlert } from '../../scenarios/control';
import type { ScenarioSpec } from '../../scenarios/types';
import { type FiringMoment, type LabBackend, LabNotReadyError, type ManifestationRecord, type RunHooks, type TelemetryAccess } from './types';

export interface NativeBackendProps {
  readonly lab: LabModel;
  /** Runs side by side (each its own lab, bridge and DDS domain). @default 1 */
  readonly lanes?: number;
  /** Prefix of the native labs' names (kept short: it names bridges and cgroups). @default 'cms-run' */
  readonly namePrefix?: string;
}

function access(context: FiringContext): TelemetryAccess {
  return {
    sources: nativeSources(context.prometheus.url, context.native.otlp),
    env: { CMS_PROMETHEUS_URL: context.prometheus.url },
    description: `native lab: Prometheus at ${context.prometheus.url} (the lab's own scrape config and rules); logs and traces from the harness's OTLP receiver`,
  };
}

/** Splits a run's log into the part before cleanup and the part from cleanup on. */
function phasedLog(hooks: RunHooks) {
  const injectLog: string[] = [];
  const cleanupLog: string[] = [];
  let cleaning = false;
  return {
    injectLog,
    cleanupLog,
    startCleanup: () => {
      cleaning = true;
    },
    log: (message: string) => {
      const line = `${new Date().toISOString()} ${message}`;
      (cleaning || /fault reverted|recovered|not recovered/.test(message) ? cleanupLog : injectLog).push(line);
      if (/fault reverted/.test(message)) cleaning = true;
      hooks.log(message);
    },
  };
}

export class NativeBackend implements LabBackend {
  readonly kind = 'native' as const;
  readonly lab: LabModel;
  readonly lanes: number;
  private readonly prefix: string;
  private sequence = 0;

  constructor(props: NativeBackendProps) {
    this.lab = props.lab;
    this.lanes = props.lanes ?? 1;
    this.prefix = props.namePrefix ?? 'cms-run';
    if (!Number.isInteger(this.lanes) || this.lanes < 1 || this.lanes > 4) throw new Error(`lanes must be 1 to 4 on this backend, not ${props.lanes}`);
  }

  async check(): Promise<void> {
    const problems = [BridgeNetwork.available(), ServiceCgroup.available()].filter((c) => !c.ok).map((c) => c.reason);
    if (problems.length) throw new LabNotReadyError(`the native backend cannot run here: ${problems.join('; ')} (run as root on Linux with iproute2 and cgroup v1, or use --backend docker)`);
  }

  /** Removes what an interrupted earlier runner left (the runner lock guarantees none is active). */
  async removeLeftovers(): Promise<string[]> {
    const found: string[] = [];
    for (const name of leftoverLabNames(`${this.prefix}-`)) {
      const removed = await new NativeLab({ name }).removeLeftovers();
      if (removed.length) found.push(`${name}: ${removed.join(', ')}`);
    }
    return found;
  }

  private name(label: string): string {
    return `${this.prefix}-${label}-${++this.sequence}`;
  }

  async runScenario(spec: ScenarioSpec, hooks: RunHooks): Promise<ManifestationRecord> {
    const phases = phasedLog(hooks);
    let result: ConformanceResult;
    try {
      result = await runScenarioNatively(spec, {
        lab: this.lab,
        name: this.name(spec.name.split('-')[0]),
        log: phases.log,
        otlp: 'retain',
        signal: hooks.signal,
        onFiring: async (context) => {
          const moment: FiringMoment = {
            notification: notificationFromPrometheus(this.lab, spec.expectedAlerts[0], context.firing),
            notificationSource: 'rendered-from-prometheus',
            access: access(context),
          };
          try {
            await hooks.onFiring(moment);
          } finally {
            phases.startCleanup();
          }
        },
      });
    } catch (error) {
      phases.cleanupLog.push(`${new Date().toISOString()} run ended early: ${(error as Error).message}; the native lab was stopped, which removes the fault with it`);
      throw Object.assign(error as Error, { injectLog: phases.injectLog, cleanupLog: phases.cleanupLog });
    }
    return {
      valid: result.valid,
      firedAfterS: result.firedAfterS,
      firedAlerts: result.firedAlerts,
      unexpectedAlerts: result.unexpected,
      resolvedAfterS: result.resolvedAfterS,
      steadyAfterS: result.steadyAfterS,
      residue: result.residue,
      injectLog: phases.injectLog,
      cleanupLog: [...phases.cleanupLog, `${new Date().toISOString()} native lab stopped; residue: ${result.residue.length ? result.residue.join(', ') : 'none'}`],
    };
  }

  async runControl(watchS: number, hooks: RunHooks): Promise<ManifestationRecord> {
    const phases = phasedLog(hooks);
    let result: ControlResult;
    try {
      result = await runControlNatively(watchS, {
        lab: this.lab,
        name: this.name('ctl'),
        log: phases.log,
        otlp: 'retain',
        signal: hooks.signal,
        onFiring: async (context) => {
          // a spurious page: the alert handed over is not firing; its start is a minute before now
          const startsAt = new Date(Date.now() - 60_000).toISOString();
          await hooks.onFiring({ notification: controlAlert(this.lab, startsAt), notificationSource: 'control-page', access: access(context) });
          phases.startCleanup();
        },
      });
    } catch (error) {
      throw Object.assign(error as Error, { injectLog: phases.injectLog, cleanupLog: phases.cleanupLog });
    }
    return {
      valid: true,
      firedAlerts: result.firedAlerts,
      unexpectedAlerts: result.firedAlerts,
      residue: result.residue,
      injectLog: phases.injectLog,
      cleanupLog: [...phases.cleanupLog, `${new Date().toISOString()} native lab stopped; residue: ${result.residue.length ? result.residue.join(', ') : 'none'}; tracks at the end of the watch: ${result.tracksAtEnd}`],
    };
  }
}
