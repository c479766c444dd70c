/**
 * One scenario on the real Docker engine, as a user runs it: the lab up and
 * healthy, `scenario-<name>` applied (its create-time commands and variant
 * containers), the containerised Prometheus watched until every expected
 * alert fires within the budget, the stack destroyed (variants removed,
 * destroy-time commands run), then the lab checked back to exactly what the
 * `lab` stack declares and back in steady state within the recovery budget.
 */
import { type LabModel, buildLabModel } from '../model/lab';
import { SERVICE_NAMES } from '../model/services';
import { STEADY_STATE } from '../model/simulation';
import { type Budget, budgetOf } from '../scenarios/budget';
import type { ScenarioSpec } from '../scenarios/types';
import { scenarioStackName } from '../stacks/scenario-stack';
import { sleep, waitFor } from '../harness/native-lab';
import { PrometheusClient } from '../harness/prometheus-client';
import { type Picture, pictureInSteadyState } from '../harness/steady-state';
import { readState } from './applier';
import type { DockerApi } from './docker-api';
import { dockerApi } from './docker-api';
import { containerDrift } from './drift';
import { applyOnEngine, destroyOnEngine, engineStateDir } from './lab-engine';

export interface EngineScenarioResult {
  readonly scenario: string;
  readonly budget: Budget;
  readonly valid: boolean;
  /** Seconds from the start of `apply scenario-<name>` to the primary alert firing. */
  readonly firedAfterS?: number;
  readonly firedAlerts: readonly string[];
  readonly unexpected: readonly string[];
  /** Seconds the destroy took (it waits until the service is back in the data flow). */
  readonly destroyS?: number;
  /** Seconds from the start of the destroy until no expected alert fires and the steady state is back. */
  readonly recoveredAfterS?: number;
  /** Differences between the lab's containers and the lab stack's declaration after the destroy. */
  readonly drift: readonly string[];
  /** Containers, or scenario state, left behind. */
  readonly residue: readonly string[];
}

export interface EngineRunOptions {
  readonly lab?: LabModel;
  readonly log?: (line: string) => void;
  readonly stateDir?: string;
  readonly api?: DockerApi;
}

export function labPrometheus(lab: LabModel): PrometheusClient {
  return new PrometheusClient(`http://${lab.bindAddress}:${lab.observability.prometheus.hostPort}`);
}

/** Steady state as a user of the Docker lab sees it: the live picture on the display's host port, every CMS target up. */
export async function engineSteadyState(lab: LabModel, prometheus: PrometheusClient = labPrometheus(lab)): Promise<boolean> {
  const display = lab.cms.services.find((s) => s.name === 'tactical-display')?.hostPort;
  if (!display) throw new Error('the lab model publishes no tactical-display host port: the steady state cannot be read from the host');
  try {
    const response = await fetch(`http://${lab.bindAddress}:${display}/api/picture`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok || !pictureInSteadyState((await response.json()) as Picture)) return false;
    const up = await prometheus.query('up{job="cms-services"}');
    const tracks = await prometheus.query('cms_fusion_active_tracks');
    return up.length === SERVICE_NAMES.length && up.every((u) => u.value === 1) && tracks[0]?.value === STEADY_STATE.activeTracks;
  } catch {
    return false;
  }
}

/** Every container of the lab stack that ran here, against its declaration. */
export async function labDrift(api: DockerApi, stateDir: string): Promise<string[]> {
  const state = readState(stateDir, 'lab');
  if (!state) return ['the lab is not applied'];
  const drift: string[] = [];
  for (const entry of state.resources) if (entry.type === 'docker_container' && entry.plan) drift.push(...(await containerDrift(api, entry.plan)));
  return drift;
}

/** Containers no applied stack owns, and scenario state left behind. */
export async function engineResidue(api: DockerApi, stateDir: string, scenario: string): Promise<string[]> {
  const owned = new Set((readState(stateDir, 'lab')?.resources ?? []).filter((r) => r.type === 'docker_container' && !r.notRun).map((r) => r.name));
  const containers = await api.call<Array<{ Names: string[] }>>('GET', '/containers/json?all=true');
  const residue = containers.map((c) => c.Names[0].replace(/^\//, '')).filter((n) => !owned.has(n)).map((n) => `container ${n}`);
  if (readState(stateDir, scenario)) residue.push(`applier state of ${scenario}`);
  return residue;
}

export async function waitForEngineBaseline(lab: LabModel, prometheus: PrometheusClient, timeoutMs = 120_000): Promise<void> {
  await waitFor('the healthy Docker lab (steady state, every target up, no alert firing)', async () => (await engineSteadyState(lab, prometheus)) && (await prometheus.firing()).length === 0, timeoutMs, 2000);
}

export async function runScenarioOnEngine(spec: ScenarioSpec, options: EngineRunOptions = {}): Promise<EngineScenarioResult> {
  const lab = options.lab ?? buildLabModel();
  const api = options.api ?? dockerApi();
  const stateDir = options.stateDir ?? engineStateDir();
  const log = options.log ?? (() => undefined);
  const budget = budgetOf(spec, lab);
  const stack = scenarioStackName(spec);
  const prometheus = labPrometheus(lab);
  const seen = new Set<string>();
  const watch = async () => {
    const firing = new Set((await prometheus.firing()).map((a) => a.labels.alertname));
    firing.forEach((a) => seen.add(a));
    return firing;
  };
  await waitForEngineBaseline(lab, prometheus);
  log(`${spec.name}: baseline healthy; applying ${stack} (floor ${budget.floorS} s, budget ${budget.budgetS} s)`);
  const injectedAt = Date.now();
  let valid = false;
  let firedAfterS: number | undefined;
  let destroyS: number | undefined;
  let recoveredAfterS: number | undefined;
  try {
    await applyOnEngine(stack, { lab, log, stateDir, api });
    for (;;) {
      const firing = await watch();
      const elapsed = (Date.now() - injectedAt) / 1000;
      if (firedAfterS === undefined && firing.has(spec.expectedAlerts[0])) {
        firedAfterS = elapsed;
        log(`${spec.name}: ${spec.expectedAlerts[0]} firing after ${elapsed.toFixed(1)} s`);
      }
      if (spec.expectedAlerts.every((a) => firing.has(a))) {
        valid = true;
        break;
      }
      if (elapsed > budget.budgetS) {
        log(`${spec.name}: INVALID — ${spec.expectedAlerts.filter((a) => !firing.has(a)).join(', ')} not firing within ${budget.budgetS} s`);
        break;
      }
      await sleep(1000);
    }
  } finally {
    const destroyedFrom = Date.now();
    await destroyOnEngine(stack, { lab, log, stateDir, api });
    destroyS = (Date.now() - destroyedFrom) / 1000;
    log(`${spec.name}: destroyed in ${destroyS.toFixed(1)} s`);
    for (;;) {
      const firing = await watch();
      const elapsed = (Date.now() - destroyedFrom) / 1000;
      if (!spec.expectedAlerts.some((a) => firing.has(a)) && (await engineSteadyState(lab, prometheus))) {
        recoveredAfterS = elapsed;
        break;
      }
      if (elapsed > budget.recoveryS + destroyS) {
        log(`${spec.name}: not recovered within ${budget.recoveryS} s after the destroy`);
        break;
      }
      await sleep(1000);
    }
  }
  const allowed = new Set([...spec.expectedAlerts, ...spec.allowedAlerts]);
  return {
    scenario: spec.name,
    budget,
    valid,
    firedAfterS,
    firedAlerts: [...seen].sort(),
    unexpected: [...seen].filter((a) => !allowed.has(a)).sort(),
    destroyS,
    recoveredAfterS,
    drift: await labDrift(api, stateDir),
    residue: await engineResidue(api, stateDir, stack),
  };
}
