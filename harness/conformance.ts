/**
 * The native conformance harness: proves, without Docker, that each
 * scenario's fault really produces its signal. For one scenario it runs a
 * fresh lab (services in network namespaces, Debian's Prometheus with the
 * lab's own config and rules), waits for the healthy baseline, injects the
 * fault natively, watches Prometheus until every expected alert fires (or
 * the budget runs out: the run is then invalid), reverts, waits for the
 * alerts to resolve and the steady state to return, stops everything and
 * looks for residue.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { type LabModel, buildLabModel } from '../model/lab';
import { STEADY_STATE } from '../model/simulation';
import { SERVICE_NAMES } from '../model/services';
import { type Budget, budgetOf } from '../scenarios/budget';
import type { ScenarioSpec } from '../scenarios/types';
import { injectNative } from './native-faults';
import { NativeLab, findLabProcesses, sleep, waitFor } from './native-lab';
import { NativePrometheus, type PromAlert } from './native-prometheus';
import { steadyStateReached } from './steady-state';

export interface ConformanceResult {
  readonly scenario: string;
  readonly budget: Budget;
  /** Every expected alert fired within the budget (otherwise the run is invalid: the fault did not manifest). */
  readonly valid: boolean;
  /** Seconds from injection to the primary alert firing. */
  readonly firedAfterS?: number;
  /** Every alert seen firing between injection and the end of recovery. */
  readonly firedAlerts: readonly string[];
  /** Fired alerts outside expected ∪ allowed. */
  readonly unexpected: readonly string[];
  /** Seconds from cleanup until no expected alert fires any more. */
  readonly resolvedAfterS?: number;
  /** Seconds from cleanup until the steady state was back (3 tracks, every sensor contributing, every target up). */
  readonly steadyAfterS?: number;
  /** What an earlier run had left behind when this one started. */
  readonly leftoversAtStart: readonly string[];
  /** What this run left behind after stopping. */
  readonly residue: readonly string[];
  /** When the fault was injected (ms since the epoch). */
  readonly injectedAt?: number;
}

/** What a hook sees of a lab whose fault has manifested (or, for the control, of the healthy lab). */
export interface FiringContext {
  readonly lab: LabModel;
  readonly native: NativeLab;
  readonly prometheus: NativePrometheus;
  /** Alerts firing at that moment (none for the control). */
  readonly firing: readonly PromAlert[];
  /** When the fault was injected (ms since the epoch; the watch start for the control). */
  readonly injectedAt: number;
}

export interface ConformanceOptions {
  readonly lab?: LabModel;
  /** Lab name (leftovers of a run with the same name are removed first). @default `cms-conf-<scenario>` */
  readonly name?: string;
  readonly log?: (message: string) => void;
  /** @default 1000 */
  readonly pollMs?: number;
  /** Keep what the services push over OTLP (the logs and traces an investigator reads). @default 'count' */
  readonly otlp?: 'count' | 'retain';
  /** Aborts the run; the fault is still cleaned up and the lab stopped. @default never */
  readonly signal?: AbortSignal;
  /**
   * Called once every expected alert fires, before the fault is cleaned up
   * (the runner investigates here). It may throw: cleanup still happens.
   * For the control: called at the end of the watch. @default none
   */
  readonly onFiring?: (context: FiringContext) => Promise<void>;
}

function residueOf(name: string): string[] {
  const residue: string[] = [];
  const processes = findLabProcesses(name);
  if (processes.length) residue.push(`${processes.length} process(es)`);
  for (const controller of ['cpu', 'memory']) if (existsSync(path.join('/sys/fs/cgroup', controller, 'cms-native', name))) residue.push(`${controller} cgroup`);
  if (existsSync(path.join(os.tmpdir(), 'cms-native-labs', `${name}.json`))) residue.push('state file');
  return residue;
}

/** Namespaces this machine has, for the residue check of a whole run. */
export function labNamespaces(): string[] {
  try {
    return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.split(' ')[0])
      .filter((n) => n.startsWith('cms'));
  } catch {
    return [];
  }
}

async function baseline(native: NativeLab, prometheus: NativePrometheus, signal?: AbortSignal): Promise<void> {
  await waitFor(
    'the healthy baseline (steady state, every target up, no alert firing)',
    async () => {
      if (!(await steadyStateReached(native))) return false;
      const up = await prometheus.query('up{job="cms-services"}');
      return up.length === SERVICE_NAMES.length && up.every((u) => u.value === 1) && (await prometheus.firing()).length === 0;
    },
    90_000,
    1000,
    signal,
  );
}

export async function runScenarioNatively(spec: ScenarioSpec, options: ConformanceOptions = {}): Promise<ConformanceResult> {
  const lab = options.lab ?? buildLabModel();
  const budget = budgetOf(spec, lab);
  const name = options.name ?? `cms-conf-${spec.name}`;
  const log = options.log ?? (() => undefined);
  const pollMs = options.pollMs ?? 1000;
  const { signal } = options;
  const native = new NativeLab({ name, network: 'namespaces', otlp: options.otlp ?? 'count', restart: 'unless-stopped' });
  const leftoversAtStart = await native.removeLeftovers();
  const prometheus = new NativePrometheus(lab, native);
  const seen = new Set<string>();
  const watch = async () => {
    const firing = await prometheus.firing();
    for (const a of firing) seen.add(a.labels.alertname);
    return new Set(firing.map((a) => a.labels.alertname));
  };
  let firedAfterS: number | undefined;
  let resolvedAfterS: number | undefined;
  let steadyAfterS: number | undefined;
  let valid = false;
  let injectedAt: number | undefined;
  try {
    await native.start();
    signal?.throwIfAborted();
    await prometheus.start();
    await baseline(native, prometheus, signal);
    log(`${spec.name}: baseline healthy; injecting ${spec.fault.kind} on ${spec.fault.service} (floor ${budget.floorS} s, budget ${budget.budgetS} s)`);
    injectedAt = Date.now();
    // stopping the native lab removes every fault with it, so an abort from here on needs no separate revert
    const revert = await injectNative(native, spec.fault);
    for (;;) {
      signal?.throwIfAborted();
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
      await sleep(pollMs, signal);
    }
    try {
      if (valid && options.onFiring) await options.onFiring({ lab, native, prometheus, firing: await prometheus.firing(), injectedAt });
    } finally {
      // an aborted or failed hook still gets its fault reverted before the lab stops
      await revert();
      log(`${spec.name}: fault reverted`);
    }
    const revertedAt = Date.now();
    for (;;) {
      signal?.throwIfAborted();
      const firing = await watch();
      const elapsed = (Date.now() - revertedAt) / 1000;
      if (resolvedAfterS === undefined && !spec.expectedAlerts.some((a) => firing.has(a))) resolvedAfterS = elapsed;
      if (steadyAfterS === undefined && (await steadyStateReached(native).catch(() => false))) {
        const up = await prometheus.query(`up{job="cms-services"}`);
        if (up.length === SERVICE_NAMES.length && up.every((u) => u.value === 1)) steadyAfterS = elapsed;
      }
      if (resolvedAfterS !== undefined && steadyAfterS !== undefined) break;
      if (elapsed > budget.recoveryS) {
        log(`${spec.name}: not recovered within ${budget.recoveryS} s (alerts resolved: ${resolvedAfterS !== undefined}, steady: ${steadyAfterS !== undefined})`);
        break;
      }
      await sleep(pollMs, signal);
    }
    log(`${spec.name}: recovered (alerts resolved after ${resolvedAfterS?.toFixed(1)} s, steady after ${steadyAfterS?.toFixed(1)} s)`);
  } finally {
    await prometheus.stop();
    await native.stop();
  }
  const allowed = new Set([...spec.expectedAlerts, ...spec.allowedAlerts]);
  return {
    scenario: spec.name,
    budget,
    valid,
    firedAfterS,
    firedAlerts: [...seen].sort(),
    unexpected: [...seen].filter((a) => !allowed.has(a)).sort(),
    resolvedAfterS,
    steadyAfterS,
    leftoversAtStart,
    residue: residueOf(name),
    injectedAt,
  };
}

export interface ControlResult {
  readonly durationS: number;
  readonly firedAlerts: readonly string[];
  /** Alerts that were pending at some point (a condition briefly true). */
  readonly pendingAlerts: readonly string[];
  readonly tracksAtEnd: number;
  readonly residue: readonly string[];
}

/** The no-fault control: the same lab, no injection, watched for `durationS`. */
export async function runControlNatively(durationS: number, options: ConformanceOptions = {}): Promise<ControlResult> {
  const lab = options.lab ?? buildLabModel();
  const name = options.name ?? 'cms-conf-control';
  const { signal } = options;
  const native = new NativeLab({ name, network: 'namespaces', otlp: options.otlp ?? 'count', restart: 'unless-stopped' });
  await native.removeLeftovers();
  const prometheus = new NativePrometheus(lab, native);
  const fired = new Set<string>();
  const pending = new Set<string>();
  let tracksAtEnd = -1;
  try {
    await native.start();
    await prometheus.start();
    await baseline(native, prometheus, signal);
    options.log?.(`control: baseline healthy; watching for ${durationS} s without a fault`);
    const started = Date.now();
    while ((Date.now() - started) / 1000 < durationS) {
      for (const a of await prometheus.alerts()) (a.state === 'firing' ? fired : pending).add(a.labels.alertname);
      await sleep(options.pollMs ?? 1000, signal);
    }
    tracksAtEnd = (await prometheus.query('cms_fusion_active_tracks'))[0]?.value ?? -1;
    if (options.onFiring) await options.onFiring({ lab, native, prometheus, firing: await prometheus.firing(), injectedAt: started });
  } finally {
    await prometheus.stop();
    await native.stop();
  }
  return { durationS, firedAlerts: [...fired].sort(), pendingAlerts: [...pending].sort(), tracksAtEnd, residue: residueOf(name) };
}

export { STEADY_STATE };
