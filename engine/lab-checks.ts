/**
 * What the Docker lab driver reads of a lab applied by the engine applier:
 * its steady state as a user sees it from the host, its containers against
 * the `lab` stack's declaration, and anything no applied stack owns.
 */
import type { LabModel } from '../model/lab';
import { SERVICE_NAMES } from '../model/services';
import { STEADY_STATE } from '../model/simulation';
import { stackNames } from '../stacks/app';
import { waitFor } from '../lib/wait';
import { PrometheusClient } from '../harness/prometheus-client';
import { type Picture, pictureInSteadyState } from '../harness/steady-state';
import { readState } from './applier';
import type { DockerApi } from './docker-api';
import { containerDrift } from './drift';

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

/** Scenario stacks the applier still holds state for (a fault left in place). */
export function appliedScenarioStacks(stateDir: string): string[] {
  return stackNames().filter((stack) => stack.startsWith('scenario-') && readState(stateDir, stack) !== undefined);
}

/** Containers no applied stack owns, and scenario state left behind. */
export async function engineResidue(api: DockerApi, stateDir: string): Promise<string[]> {
  const owned = new Set((readState(stateDir, 'lab')?.resources ?? []).filter((r) => r.type === 'docker_container' && !r.notRun).map((r) => r.name));
  const containers = await api.call<Array<{ Names: string[] }>>('GET', '/containers/json?all=true');
  const residue = containers.map((c) => c.Names[0].replace(/^\//, '')).filter((n) => !owned.has(n)).map((n) => `container ${n}`);
  for (const stack of appliedScenarioStacks(stateDir)) residue.push(`applier state of ${stack}`);
  return residue;
}

export async function waitForEngineBaseline(lab: LabModel, prometheus: PrometheusClient, timeoutMs = 120_000): Promise<void> {
  await waitFor('the healthy Docker lab (steady state, every target up, no alert firing)', async () => (await engineSteadyState(lab, prometheus)) && (await prometheus.firing()).length === 0, timeoutMs, 2000);
}
