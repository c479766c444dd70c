/**
 * A lab backend drives one run's lifecycle around the investigation: reset,
 * baseline gate, inject, wait until the expected alert really fires, hand
 * over to the runner (which runs the agent), clean up, recovery gate. The
 * fault is cleaned up whatever happens in between, an abort included.
 */
import type { LabModel } from '../../model/lab';
import type { GrafanaNotification } from '../../scenarios/render';
import type { ScenarioSpec } from '../../scenarios/types';
import type { Sources } from '../../investigator/sources';

/** How an agent reads the lab's telemetry during a run. */
export interface TelemetryAccess {
  /** Sources for the in-process baseline investigator. */
  readonly sources: Sources;
  /** Environment handed to command agents (endpoint URLs and a token *file*, never a token). */
  readonly env: Readonly<Record<string, string>>;
  /** Where the agent's telemetry comes from, in words (kept in the audit entry). */
  readonly description: string;
}

export interface FiringMoment {
  /** The notification of the expected alert, as the lab's alerting really produced it. */
  readonly notification: GrafanaNotification;
  /** Where the notification came from. */
  readonly notificationSource: 'grafana-webhook' | 'rendered-from-prometheus' | 'rendered-fallback' | 'control-page';
  readonly access: TelemetryAccess;
}

export interface RunHooks {
  readonly log: (message: string) => void;
  readonly signal?: AbortSignal;
  /** Called while the fault is on and its alert fires (for the control: at the end of the watch). */
  readonly onFiring: (moment: FiringMoment) => Promise<void>;
}

/** What the backend observed of one run's fault (the conformance record). */
export interface ManifestationRecord {
  /** Every expected alert fired within the budget; an invalid run is not scored as a failure. */
  readonly valid: boolean;
  readonly firedAfterS?: number;
  readonly firedAlerts: readonly string[];
  readonly unexpectedAlerts: readonly string[];
  readonly resolvedAfterS?: number;
  readonly steadyAfterS?: number;
  /** What the run left behind (should be nothing). */
  readonly residue: readonly string[];
  /** Log lines up to the end of the investigation (reset, gates, injection, firing). */
  readonly injectLog: readonly string[];
  /** Log lines from cleanup on (revert, recovery gate, teardown). */
  readonly cleanupLog: readonly string[];
}

export interface LabBackend {
  readonly kind: 'native' | 'docker';
  readonly lab: LabModel;
  /** Throws a LabNotReadyError with the reason when the lab (or this machine) cannot run scenarios now. */
  check(): Promise<void>;
  /** Removes what an interrupted earlier runner left (a fault still injected, a native lab still running); says what it found. */
  removeLeftovers(): Promise<string[]>;
  runScenario(spec: ScenarioSpec, hooks: RunHooks): Promise<ManifestationRecord>;
  runControl(watchS: number, hooks: RunHooks): Promise<ManifestationRecord>;
  /** How many runs may proceed at once. */
  readonly lanes: number;
}

export class LabNotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabNotReadyError';
  }
}
