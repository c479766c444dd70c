/**
 * A scenario's faults: its one `fault`, or that and the further faults of a
 * scenario that breaks several places at once. Stacks, the native harness,
 * the runner and the docs go through here, so one fault is the special case.
 */
import type { ServiceName } from '../model/services';
import type { FaultSpec, RootCauseTruth, ScenarioSpec } from './types';

/** Everything a scenario injects, the primary fault first and its decoys last: what its stack and the native harness apply. */
export function faultsOf(spec: ScenarioSpec): readonly [FaultSpec, ...FaultSpec[]] {
  return [spec.fault, ...(spec.additionalFaults ?? []), ...(spec.decoys ?? [])];
}

/** The services a scenario injects on, its decoys included (each once: faults and decoys are on services of their own). */
export function faultedServicesOf(spec: ScenarioSpec): ServiceName[] {
  return faultsOf(spec).map((f) => f.service);
}

/** The faults behind the ground truth's root causes (one per root cause), without the decoys. */
export function rootCauseFaultsOf(spec: ScenarioSpec): readonly [FaultSpec, ...FaultSpec[]] {
  return [spec.fault, ...(spec.additionalFaults ?? [])];
}

/** Whether a fault of the scenario is a decoy: a benign change injected beside the fault, not a root cause. */
export function isDecoy(spec: ScenarioSpec, fault: FaultSpec): boolean {
  return (spec.decoys ?? []).includes(fault);
}

/** The faults in words, for progress lines: "stop-service on radar-sensor and restart-with on esm-sensor". */
export function faultsInWords(spec: ScenarioSpec): string {
  return faultsOf(spec)
    .map((f) => `${f.kind} on ${f.service}${isDecoy(spec, f) ? ' (decoy)' : ''}`)
    .join(' and ');
}

/** Every root cause of a scenario's ground truth, the primary one first (one per fault). */
export function rootCausesOf(spec: ScenarioSpec): readonly [RootCauseTruth, ...RootCauseTruth[]] {
  return [spec.groundTruth.rootCause, ...(spec.groundTruth.additionalRootCauses ?? [])];
}

/** The CFS period's default, the kernel's and Docker's (100 ms). */
export const DEFAULT_CFS_PERIOD_MS = 100;

/** A CPU-quota fault as the CFS sees it: microseconds of CPU time granted per period. */
export function cfsQuotaOf(fault: { readonly cpus: number; readonly periodMs?: number }): { periodUs: number; quotaUs: number } {
  const periodUs = (fault.periodMs ?? DEFAULT_CFS_PERIOD_MS) * 1000;
  return { periodUs, quotaUs: Math.round(fault.cpus * periodUs) };
}
