/**
 * What a chaos scenario is: one fault, the alerts it must and may raise, and
 * the ground truth an agent's report is scored against. Every scenario is a
 * typed definition (scenarios/<name>/scenario.ts); its stack, alert payload,
 * expected RCA, time budget and native fault are rendered from it.
 */
import type { FaultCategory, RemediationAction } from '../model/fault-taxonomy';
import type { NoiseProfile } from '../model/noise';
import type { ServiceName } from '../model/services';

/** How the fault is injected; each kind has a Docker form (the scenario stack) and a native form (the harness). */
export type FaultSpec =
  /** The process stops (docker stop / SIGTERM), the container stays in place. */
  | { readonly kind: 'stop-service'; readonly service: ServiceName }
  /** The service replaced by a variant whose CPU is then limited (a CFS quota: docker update on the variant / a restart, then the cgroup's quota). */
  | {
      readonly kind: 'cpu-quota';
      readonly service: ServiceName;
      /** CPUs granted per period (0.02 = 2% of one core). */
      readonly cpus: number;
      /**
       * The CFS period the quota is granted in: `cpus × periodMs` of CPU time
       * per period, then the service waits for the next one.
       * @default 100 (the kernel's and Docker's default)
       */
      readonly periodMs?: number;
    }
  /** The service restarted with different environment and an optional memory cap (a variant container). */
  | {
      readonly kind: 'restart-with';
      readonly service: ServiceName;
      readonly env: Readonly<Record<string, string>>;
      readonly memoryLimitMb?: number;
    }
  /** The running container loses its network (docker network disconnect / the namespace link goes down). */
  | { readonly kind: 'network-detach'; readonly service: ServiceName }
  /** The process is frozen in place, its container up (docker pause, the cgroup freezer / SIGSTOP natively). */
  | { readonly kind: 'freeze'; readonly service: ServiceName };

export type { FaultCategory } from '../model/fault-taxonomy';

export interface EvidenceSignal {
  readonly kind: 'metric' | 'log' | 'trace';
  /** The metric name, log event or span name, as in the telemetry contract. */
  readonly signal: string;
  /** What it shows in this fault. */
  readonly shows: string;
  /** A query that shows it (PromQL, LogQL or TraceQL). */
  readonly query: string;
  /**
   * What a report may write for it in words, beyond the telemetry
   * contract's phrases for the signal (case-insensitive regular
   * expressions). @default the contract's phrases only
   */
  readonly phrases?: readonly string[];
  /** The evidence is the signal's absence ("its logs simply end"): a sentence saying it is missing cites it. @default false */
  readonly absence?: boolean;
}

export interface Misattribution {
  /** The wrong conclusion, in words. */
  readonly claim: string;
  /** Case-insensitive regular expressions that recognise it in a report. */
  readonly patterns: readonly string[];
  /** Points it costs. */
  readonly penalty: 1 | 2;
}

/** One root-cause entity of a ground truth. */
export interface RootCauseTruth {
  readonly service: ServiceName;
  /** Other names a report may use for the service. */
  readonly aliases: readonly string[];
  /** The faulty part of the service, in words. */
  readonly component: string;
}

export interface GroundTruth {
  readonly rootCause: RootCauseTruth;
  /**
   * Further root causes of a fault injected in several places at once; a
   * report is then scored on precision and recall over all of them.
   * @default none (one root cause)
   */
  readonly additionalRootCauses?: readonly RootCauseTruth[];
  readonly category: FaultCategory;
  /** Phrases that name the category in a report (case-insensitive regular expressions). */
  readonly categoryPatterns: readonly string[];
  /** The root cause in one sentence. */
  readonly summary: string;
  readonly evidence: readonly EvidenceSignal[];
  readonly remediation: {
    readonly summary: string;
    /** The lab's typed actions that carry it out (a structured answer's action must be one of them). */
    readonly actions: readonly [RemediationAction, ...RemediationAction[]];
    /** A report proposes the right remediation when it matches one of these (case-insensitive regular expressions). */
    readonly patterns: readonly string[];
  };
  /** Cause first, then each symptom it leads to. */
  readonly propagation: readonly string[];
  readonly misattributions: readonly Misattribution[];
}

/** Where in the system the fault lives. */
export type FaultLayer = 'process' | 'network' | 'transport' | 'content' | 'resource';

export interface Difficulty {
  readonly level: 'easy' | 'medium' | 'hard';
  /** What makes it so, in one line. */
  readonly why: string;
}

export interface ScenarioSpec {
  /** Folder name and stack suffix (`scenario-<name>`). */
  readonly name: string;
  readonly title: string;
  readonly oneLiner: string;
  readonly layer: FaultLayer;
  readonly difficulty: Difficulty;
  readonly fault: FaultSpec;
  /**
   * Further faults injected at the same time, each on another service (a
   * scenario with several root causes: each fault's service is one of the
   * ground truth's root causes, and each root cause has its fault).
   * @default none (one fault)
   */
  readonly additionalFaults?: readonly FaultSpec[];
  /**
   * Benign changes injected at the same moment, each on another service:
   * work a real team does (a sensor taken down for planned maintenance)
   * whose alerts fire but explain nothing — red herrings. Injected and
   * cleaned up like the faults, never part of the ground truth.
   * @default none
   */
  readonly decoys?: readonly FaultSpec[];
  /**
   * Background noise this scenario's fault goes in with, merged over the
   * run's (each part it names replaces the run's) from injection to revert:
   * a noisy lab whose own alert fires while the fault is elsewhere (a red
   * herring from the noise, not a fault).
   * @default the run's noise
   */
  readonly noise?: NoiseProfile;
  /** Alert rule uids that must fire; the first is the one handed to the agent. */
  readonly expectedAlerts: readonly string[];
  /** Rule uids that may also fire as symptoms; every other rule must stay silent. */
  readonly allowedAlerts: readonly string[];
  /**
   * Seconds from injection until the primary alert's condition can first be
   * true (before its `for`), from the mechanism (restart, windows, growth).
   */
  readonly signalDelayS: (context: BudgetContext) => SignalDelay;
  /**
   * The signal delay of an expected alert after the first whose condition
   * comes later than the primary's (another fault's slower mechanism): every
   * expected alert must fire within the budget, so the budget covers the
   * latest of them.
   * @default the primary's signal delay, for every expected alert
   */
  readonly laterSignalDelaysS?: Readonly<Record<string, (context: BudgetContext) => SignalDelay>>;
  /**
   * Seconds of healthy history the lab must hold before the fault goes in:
   * a rule that compares with the window before the fault (no ENGAGE order
   * in the last minute) needs that window full of healthy data, or it fires
   * on a young Prometheus instead of on the fault, and the agent sees no
   * "before". Counted from the moment the run's lab opened.
   * @default 0 (inject as soon as the baseline is healthy)
   */
  readonly historyS?: number;
  /** Extra time the fault may need beyond the theoretical floor (restart jitter, GC). @default 0 */
  readonly slackS?: number;
  /** Value the primary rule shows in a typical run, for the rendered (fallback) alert.json. */
  readonly exampleAlertValue: number;
  readonly groundTruth: GroundTruth;
}

/** Seconds from injection until an alert's condition can first be true, and why. */
export interface SignalDelay {
  readonly seconds: number;
  readonly why: string;
}

export interface BudgetContext {
  readonly scrapeIntervalS: number;
  readonly evaluationIntervalS: number;
  /** Source tracks per second into fusion at steady state. */
  readonly sourceTrackRatePerS: number;
}
