/** The scenarios, validated against the lab model and the telemetry contract at load time. */
import { ALERT_RULES } from '../model/alerts';
import { SERVICE_NAMES } from '../model/services';
import { LOG_EVENTS, METRICS, RUNTIME_METRICS, SPANS, spanNameMatches } from '../model/telemetry';
import { consoleRestartRedHerring } from './console-restart-red-herring/scenario';
import { ddsPartitionMove } from './dds-partition-move/scenario';
import { ddsQosMismatch } from './dds-qos-mismatch/scenario';
import { displaySlowConsumer } from './display-slow-consumer/scenario';
import { fusionCpuStarvation } from './fusion-cpu-starvation/scenario';
import { fusionPartitionCascade } from './fusion-partition-cascade/scenario';
import { maintenanceRedHerring } from './maintenance-red-herring/scenario';
import { memoryLeak } from './memory-leak/scenario';
import { messageFlood } from './message-flood/scenario';
import { networkPartition } from './network-partition/scenario';
import { sensorCalibrationBias } from './sensor-calibration-bias/scenario';
import { sensorDown } from './sensor-down/scenario';
import { sensorFreeze } from './sensor-freeze/scenario';
import { threatThresholdDrift } from './threat-threshold-drift/scenario';
import { twoSensorFaults } from './two-sensor-faults/scenario';
import { DEFAULT_CFS_PERIOD_MS, cfsQuotaOf, faultedServicesOf, faultsOf, rootCauseFaultsOf, rootCausesOf } from './faults';
import type { ScenarioSpec } from './types';
import { noiseProblems } from '../model/noise';

export const SCENARIOS: readonly ScenarioSpec[] = [sensorDown, fusionCpuStarvation, ddsQosMismatch, messageFlood, memoryLeak, networkPartition, ddsPartitionMove, sensorFreeze, sensorCalibrationBias, threatThresholdDrift, twoSensorFaults, displaySlowConsumer, fusionPartitionCascade, maintenanceRedHerring, consoleRestartRedHerring];
export const SCENARIO_NAMES = SCENARIOS.map((s) => s.name);

export class UnknownScenarioError extends Error {
  constructor(readonly requested: string) {
    super(`unknown scenario '${requested}'; valid scenarios: ${SCENARIO_NAMES.join(', ')}`);
    this.name = 'UnknownScenarioError';
  }
}

export function scenario(name: string): ScenarioSpec {
  const found = SCENARIOS.find((s) => s.name === name);
  if (!found) throw new UnknownScenarioError(name);
  return found;
}

function validRegex(source: string): boolean {
  try {
    new RegExp(source, 'i');
    return true;
  } catch {
    return false;
  }
}

/** Every problem of a scenario definition against the model, each naming its field. */
export function scenarioProblems(spec: ScenarioSpec): string[] {
  const at = `scenarios/${spec.name}`;
  const problems: string[] = [];
  const rules = new Set(ALERT_RULES.map((r) => r.uid));
  // the scrape series Prometheus records for every target count as metrics too
  const metrics = new Set<string>([...METRICS.map((m) => m.name), ...RUNTIME_METRICS, 'up', 'scrape_duration_seconds', 'scrape_samples_scraped']);
  const events = new Set<string>(LOG_EVENTS.map((e) => e.event));
  if (!/^[a-z][a-z0-9-]*$/.test(spec.name)) problems.push(`${at}.name: must be lowercase words joined by '-'`);
  const faults = faultsOf(spec);
  const extra = spec.additionalFaults?.length ?? 0;
  faults.forEach((fault, i) => {
    const field = i === 0 ? `${at}.fault` : i <= extra ? `${at}.additionalFaults[${i - 1}]` : `${at}.decoys[${i - 1 - extra}]`;
    if (!(SERVICE_NAMES as readonly string[]).includes(fault.service)) problems.push(`${field}.service: unknown service '${fault.service}'`);
    if (fault.kind === 'cpu-quota') {
      const periodMs = fault.periodMs ?? DEFAULT_CFS_PERIOD_MS;
      if (!(Number.isInteger(periodMs) && periodMs >= 1 && periodMs <= 1000)) problems.push(`${field}.periodMs: must be a whole number of milliseconds from 1 to 1000 (Docker's range)`);
      else if (!(fault.cpus < 1 && cfsQuotaOf(fault).quotaUs >= 1000)) problems.push(`${field}.cpus: must be below 1 and grant at least 1 ms per period (Docker's minimum quota): from ${1 / periodMs} for a ${periodMs} ms period`);
    }
  });
  const injected = faultedServicesOf(spec);
  if (new Set(injected).size !== injected.length) problems.push(`${at}.additionalFaults: each fault and decoy must be on another service (${injected.join(', ')})`);
  const faulted = rootCauseFaultsOf(spec).map((f) => f.service);
  const causes = rootCausesOf(spec).map((c) => c.service);
  if ([...faulted].sort().join() !== [...causes].sort().join()) problems.push(`${at}: the faulted services (${faulted.join(', ')}) must be the ground truth's root causes (${causes.join(', ')})`);
  if (spec.noise) {
    for (const problem of noiseProblems(spec.noise)) problems.push(`${at}.noise.${problem.path.join('.')}: ${problem.message}`);
    const touched = [spec.noise.restarts?.service, ...(spec.noise.logBursts?.services ?? [])].filter((s) => s !== undefined && injected.includes(s));
    if (touched.length) problems.push(`${at}.noise: must leave the faulted services alone (${touched.join(', ')})`);
  }
  if (spec.historyS !== undefined && !(spec.historyS >= 0 && spec.historyS <= 600)) problems.push(`${at}.historyS: must be from 0 to 600 seconds`);
  if (spec.expectedAlerts.length === 0) problems.push(`${at}.expectedAlerts: at least one alert must fire`);
  for (const [field, list] of [['expectedAlerts', spec.expectedAlerts], ['allowedAlerts', spec.allowedAlerts]] as const) {
    for (const uid of list) if (!rules.has(uid)) problems.push(`${at}.${field}: unknown alert rule '${uid}'`);
  }
  for (const uid of spec.allowedAlerts) if (spec.expectedAlerts.includes(uid)) problems.push(`${at}.allowedAlerts: '${uid}' is already expected`);
  for (const uid of Object.keys(spec.laterSignalDelaysS ?? {})) {
    if (!spec.expectedAlerts.slice(1).includes(uid)) problems.push(`${at}.laterSignalDelaysS: '${uid}' is not an expected alert after the first (the primary's delay is signalDelayS)`);
  }
  const gt = spec.groundTruth;
  if (!(SERVICE_NAMES as readonly string[]).includes(gt.rootCause.service)) problems.push(`${at}.groundTruth.rootCause.service: unknown service '${gt.rootCause.service}'`);
  if (!gt.rootCause.aliases.includes(gt.rootCause.service)) problems.push(`${at}.groundTruth.rootCause.aliases: must include the service name itself`);
  gt.evidence.forEach((e, i) => {
    const known = e.kind === 'metric' ? metrics.has(e.signal) : e.kind === 'log' ? events.has(e.signal) : SPANS.some((s) => spanNameMatches(s.name, e.signal));
    if (!known) problems.push(`${at}.groundTruth.evidence[${i}].signal: '${e.signal}' is not a ${e.kind} of the telemetry contract`);
  });
  const patterns = [...gt.categoryPatterns, ...gt.remediation.patterns, ...gt.misattributions.flatMap((m) => m.patterns)];
  for (const p of patterns) if (!validRegex(p)) problems.push(`${at}.groundTruth: pattern /${p}/ is not a valid regular expression`);
  if (gt.propagation.length < 2) problems.push(`${at}.groundTruth.propagation: needs the cause and at least one symptom`);
  if (gt.misattributions.length === 0) problems.push(`${at}.groundTruth.misattributions: list at least one wrong conclusion to penalise`);
  return problems;
}

const problems = SCENARIOS.flatMap(scenarioProblems);
if (new Set(SCENARIO_NAMES).size !== SCENARIO_NAMES.length) problems.push('scenarios: duplicate scenario name');
if (problems.length) throw new Error(`the scenario definitions are invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
