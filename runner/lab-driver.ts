/**
 * A lab driver is what the run lifecycle (./lifecycle.ts) asks of a lab: a
 * lab reset to its healthy starting point for one run, its steady state and
 * firing alerts, the fault injected and reverted, the notification an agent
 * is paged with, the agent's read access, and what the run left behind. Two
 * drivers: native (services as processes in network namespaces) and Docker
 * (the Docker lab, its stacks applied by cdktf or by the engine applier).
 */
import type { Sources } from '../investigator/sources';
import type { LabModel } from '../model/lab';
import type { GrafanaNotification } from '../scenarios/render';
import type { NoiseActions } from './noise';
import type { ScenarioSpec } from '../scenarios/types';

/** How an agent reads the lab's telemetry during a run. */
export interface TelemetryAccess {
  /** Sources for the in-process baseline investigator. */
  readonly sources: Sources;
  /** Environment handed to command agents (endpoint URLs and a token *file*, never a token). */
  readonly env: Readonly<Record<string, string>>;
  /** Where the agent's telemetry comes from, in words (kept in the audit entry). */
  readonly description: string;
}

export type NotificationSource = 'grafana-webhook' | 'rendered-from-prometheus' | 'rendered-fallback' | 'control-page';

/** The page an agent is handed. */
export interface Page {
  readonly notification: GrafanaNotification;
  readonly source: NotificationSource;
}

/** The moment the agent is paged: the fault is on and its alert fires (for the control: the end of the watch). */
export interface FiringMoment {
  /** The notification of the expected alert, as the lab's alerting really produced it. */
  readonly notification: GrafanaNotification;
  readonly notificationSource: NotificationSource;
  readonly access: TelemetryAccess;
}

/** One run's lab, from reset to teardown. */
export interface LabRun {
  /** What an interrupted earlier run had left and this one removed. */
  readonly leftoversAtStart: readonly string[];
  /** Every CMS target up, every track held by its sensors. */
  steady(): Promise<boolean>;
  /** The lab-model uids of the alerts firing now. */
  firing(): Promise<string[]>;
  inject(spec: ScenarioSpec, log: (message: string) => void): Promise<void>;
  /** Removes the fault; called whenever inject was called, an abort included. */
  revert(spec: ScenarioSpec, log: (message: string) => void): Promise<void>;
  /**
   * The page for `spec`'s primary alert once every expected alert fires, or
   * undefined while it is still awaited (a contact point not yet delivered).
   */
  page(spec: ScenarioSpec, moments: { readonly injectedAt: number; readonly allFiringSince: number }): Promise<Page | undefined>;
  access(): TelemetryAccess;
  /** What the ambient noise does to this lab (runner/noise.ts). */
  readonly noise: NoiseActions;
  /** Ends the run (a native lab stops; the Docker lab stays up) and says what is left behind. */
  close(log: (message: string) => void): Promise<{ readonly residue: readonly string[]; readonly drift: readonly string[] }>;
}

export interface LabDriver {
  readonly kind: 'native' | 'docker';
  readonly lab: LabModel;
  /** How this driver brings the lab and the faults up and down, in words (progress output and each run's record). */
  readonly mechanism: string;
  /** How many runs may proceed at once. */
  readonly lanes: number;
  /** Poll interval of the lifecycle's watches. */
  readonly pollMs: number;
  /** How long a freshly reset lab may take to reach its healthy baseline. */
  readonly baselineTimeoutMs: number;
  /** Throws a LabNotReadyError with the reason when the lab (or this machine) cannot run scenarios now. */
  check(): Promise<void>;
  /** Removes what an interrupted earlier runner left (a fault still injected, a native lab still running); says what it found. */
  removeLeftovers(): Promise<string[]>;
  /** A lab reset for one run (`label` names nothing of the scenario). */
  open(label: string, log: (message: string) => void, signal?: AbortSignal): Promise<LabRun>;
}

export class LabNotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabNotReadyError';
  }
}
