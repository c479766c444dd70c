/**
 * A scenario's faults: its one `fault`, or that and the further faults of a
 * scenario that breaks several places at once. Stacks, the native harness,
 * the runner and the docs go through here, so one fault is the special case.
 */
import type { FaultSpec, RootCauseTruth, ScenarioSpec } from './types';

/** Every fault of a scenario, the primary one first. */
export function faultsOf(spec: ScenarioSpec): readonly [FaultSpec, ...FaultSpec[]] {
  return [spec.fault, ...(spec.additionalFaults ?? [])];
}

/** The faults in words, for progress lines: "stop-service on radar-sensor and restart-with on esm-sensor". */
export function faultsInWords(spec: ScenarioSpec): string {
  return faultsOf(spec)
    .map((f) => `${f.kind} on ${f.service}`)
    .join(' and ');
}

/** Every root cause of a scenario's ground truth, the primary one first (one per fault). */
export function rootCausesOf(spec: ScenarioSpec): readonly [RootCauseTruth, ...RootCauseTruth[]] {
  return [spec.groundTruth.rootCause, ...(spec.groundTruth.additionalRootCauses ?? [])];
}
