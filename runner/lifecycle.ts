/**
 * One run's lifecycle, the same on every lab driver: open a lab reset to its
 * starting point, gate on the healthy baseline, inject, watch until every
 * expected alert fires within the budget (or the run is invalid: the fault
 * did not manifest), page the agent, revert — always, an abort or a failing
 * agent included — gate on recovery, and close, saying what was left
 * behind. The control runs through it too: no fault, watched as long as the
 * longest budget, then the spurious page.
 */
import { type Budget, budgetOf } from '../scenarios/budget';
import { CONTROL_NAME, controlAlert, controlWatchS } from '../scenarios/control';
import type { ScenarioSpec } from '../scenarios/types';
import { faultedServicesOf, faultsInWords } from '../scenarios/faults';
import { sleep, waitFor } from '../lib/wait';
import { type NoiseProfile, noiseInWords } from '../model/noise';
import type { FiringMoment, LabDriver, LabRun, Page } from './lab-driver';
import { NoiseRunner } from './noise';

export type RunTarget = ScenarioSpec | typeof CONTROL_NAME;

export function targetName(target: RunTarget): string {
  return target === CONTROL_NAME ? CONTROL_NAME : target.name;
}

/** What one run observed of its lab: the one record both drivers produce. */
export interface RunObservation {
  readonly target: string;
  /** How the lab and the fault were brought up and down (the driver's mechanism). */
  readonly mechanism: string;
  /** The run's background noise, in words ("no noise" for a quiet lab), and the scenario's own from injection to revert (records from before noise existed have none). */
  readonly noise?: string;
  /** The scenario's budget (none for the control). */
  readonly budget?: Budget;
  /** Every expected alert fired within the budget and the agent was paged (the control: always). */
  readonly valid: boolean;
  /** Seconds from the start of the injection to the primary alert firing. */
  readonly firedAfterS?: number;
  /** Every alert seen firing from the injection (the control: the watch) to the end of recovery. */
  readonly firedAlerts: readonly string[];
  /** Fired alerts outside expected ∪ allowed (the control: every fired alert). */
  readonly unexpectedAlerts: readonly string[];
  /** Seconds the revert took (it waits until the service is back in the data flow where the driver can tell). */
  readonly revertS?: number;
  /** Seconds from the end of the revert until no expected alert fires. */
  readonly resolvedAfterS?: number;
  /** Seconds from the end of the revert until the steady state is back (the control: 0 when it held at the end of the watch). */
  readonly steadyAfterS?: number;
  /** What an interrupted earlier run had left and this one removed first. */
  readonly leftoversAtStart: readonly string[];
  /** Where the lab differs from its declaration after the run (drivers that can tell). */
  readonly drift: readonly string[];
  /** What the run left behind. */
  readonly residue: readonly string[];
  /** Log lines up to the end of the investigation (reset, gates, injection, firing). */
  readonly injectLog: readonly string[];
  /** Log lines from the revert on (revert, recovery gate, teardown). */
  readonly cleanupLog: readonly string[];
}

export interface LifecycleHooks {
  readonly log?: (message: string) => void;
  readonly signal?: AbortSignal;
  /** Called while the fault is on and its alert fires (the control: at the end of the watch). It may throw: the revert still happens. */
  readonly onFiring?: (moment: FiringMoment) => Promise<void>;
  /** How long the control watches. @default controlWatchS(lab): the longest scenario budget */
  readonly controlWatchS?: number;
  /**
   * The background noise of the whole run, from the lab's opening to its
   * close (a scenario's own `noise` replaces it from injection to revert).
   * @default none: a quiet lab
   */
  readonly noise?: NoiseProfile;
  /** How long after a noise restart the steady state may still be catching up. @default two scrape intervals and a second (the scrapes that see the service up again) */
  readonly noiseSettleMs?: number;
}

/** An error out of a run, carrying the run's logs so far. */
export type RunError = Error & { injectLog?: readonly string[]; cleanupLog?: readonly string[] };

export async function runLifecycle(target: RunTarget, driver: LabDriver, hooks: LifecycleHooks = {}): Promise<RunObservation> {
  const { lab } = driver;
  const { signal } = hooks;
  let noise: NoiseRunner | undefined;
  // a benign restart is not a lost baseline: the steady state is judged once the noise has settled
  const steadyNow = async (target: LabRun) => {
    await noise?.settled();
    return target.steady();
  };
  const stopNoise = async () => {
    try {
      await noise?.stop();
    } catch (error) {
      log(`stopping the noise failed: ${(error as Error).message}`);
    }
  };
  const name = targetName(target);
  const injectLog: string[] = [];
  const cleanupLog: string[] = [];
  let phase = injectLog;
  const log = (message: string) => {
    phase.push(`${new Date().toISOString()} ${message}`);
    hooks.log?.(message);
  };
  const seen = new Set<string>();
  let run: LabRun | undefined;
  const watch = async () => {
    const firing = new Set(await run!.firing());
    firing.forEach((a) => seen.add(a));
    return firing;
  };
  const spec = target === CONTROL_NAME ? undefined : target;
  // a scenario's own noise, over the run's, from injection to revert
  const injectionNoise = spec?.noise ? { ...hooks.noise, ...spec.noise } : undefined;
  const budget = spec && budgetOf(spec, lab);
  let valid = false;
  let firedAfterS: number | undefined;
  let revertS: number | undefined;
  let resolvedAfterS: number | undefined;
  let steadyAfterS: number | undefined;
  let closing: Awaited<ReturnType<LabRun['close']>> = { residue: [], drift: [] };
  try {
    {
      log(`${name}: opening a lab on ${driver.mechanism}`);
      const openedAt = Date.now();
      run = await driver.open(name, log, signal);
      const opened = run;
      noise = new NoiseRunner({ actions: run.noise, log, settleMs: hooks.noiseSettleMs ?? 2 * lab.observability.scrapeIntervalS * 1000 + 1000 });
      await noise.play(hooks.noise);
      await waitFor('the healthy baseline (steady state, every target up, no alert firing)', async () => (await steadyNow(opened)) && (await opened.firing()).length === 0, driver.baselineTimeoutMs, driver.pollMs, signal);
      const historyS = spec?.historyS ?? 0;
      const heldS = (Date.now() - openedAt) / 1000;
      if (historyS > heldS) {
        log(`${name}: baseline healthy; holding it ${(historyS - heldS).toFixed(0)} s more so ${historyS} s of healthy history precede the fault`);
        while ((Date.now() - openedAt) / 1000 < historyS) {
          const firing = await watch();
          if (firing.size) throw new Error(`${name}: ${[...firing].sort().join(', ')} fired while the healthy baseline was held, before any fault`);
          await sleep(driver.pollMs, signal);
        }
      }
      if (!spec || !budget) {
        const watchS = hooks.controlWatchS ?? controlWatchS(lab);
        log(`control: baseline healthy; watching ${watchS} s without a fault (${driver.mechanism})`);
        const began = Date.now();
        while ((Date.now() - began) / 1000 < watchS) {
          await watch();
          await sleep(driver.pollMs, signal);
        }
        steadyAfterS = (await steadyNow(run)) ? 0 : undefined;
        log(`control: watch over; fired ${seen.size ? [...seen].sort().join(', ') : 'nothing'}; steady state at the end: ${steadyAfterS === 0 ? 'held' : 'LOST'}`);
        valid = true;
        // a spurious page: the alert handed over is not firing; its start is a minute before now
        const page: Page = { notification: controlAlert(lab, new Date(Date.now() - 60_000).toISOString()), source: 'control-page' };
        await hooks.onFiring?.({ notification: page.notification, notificationSource: page.source, access: run.access() });
      } else {
        await injectAndWatch(spec, budget, run);
      }
    }
    if (spec && budget) await recover(spec, budget, run);
  } catch (error) {
    phase = cleanupLog;
    await stopNoise();
    if (run) closing = await closeQuietly(run, log);
    log(`run ended early: ${(error as Error).message}; residue: ${closing.residue.length ? closing.residue.join(', ') : 'none'}`);
    throw Object.assign(error as Error, { injectLog, cleanupLog });
  }
  phase = cleanupLog;
  await stopNoise();
  closing = await run.close(log);
  log(`closed; residue: ${closing.residue.length ? closing.residue.join(', ') : 'none'}${closing.drift.length ? `; drift: ${closing.drift.join(', ')}` : ''}`);
  const allowed = new Set(spec ? [...spec.expectedAlerts, ...spec.allowedAlerts] : []);
  return {
    target: name,
    mechanism: driver.mechanism,
    noise: `${noiseInWords(hooks.noise)}${injectionNoise ? `; from injection to revert: ${noiseInWords(injectionNoise)}` : ''}`,
    budget,
    valid,
    firedAfterS,
    firedAlerts: [...seen].sort(),
    unexpectedAlerts: [...seen].filter((a) => !allowed.has(a)).sort(),
    revertS,
    resolvedAfterS,
    steadyAfterS,
    leftoversAtStart: run.leftoversAtStart,
    drift: closing.drift,
    residue: closing.residue,
    injectLog,
    cleanupLog,
  };

  async function injectAndWatch(scenario: ScenarioSpec, limits: Budget, lab: LabRun): Promise<void> {
    const primary = scenario.expectedAlerts[0];
    log(`${scenario.name}: baseline healthy; injecting ${faultsInWords(scenario)} (floor ${limits.floorS} s, budget ${limits.budgetS} s)`);
    const injectedAt = Date.now();
    let injected = false;
    try {
      injected = true;
      await noise?.hold();
      await lab.inject(scenario, log);
      noise?.resume(faultedServicesOf(scenario));
      if (injectionNoise) await noise?.play(injectionNoise);
      let page: Page | undefined;
      let allFiringSince: number | undefined;
      for (;;) {
        signal?.throwIfAborted();
        const firing = await watch();
        const elapsed = (Date.now() - injectedAt) / 1000;
        if (firedAfterS === undefined && firing.has(primary)) {
          firedAfterS = elapsed;
          log(`${scenario.name}: ${primary} firing after ${elapsed.toFixed(1)} s`);
        }
        if (scenario.expectedAlerts.every((a) => firing.has(a))) {
          allFiringSince ??= Date.now();
          page = await lab.page(scenario, { injectedAt, allFiringSince });
          if (page) break;
        }
        if (elapsed > limits.budgetS) {
          const missing = scenario.expectedAlerts.filter((a) => !firing.has(a));
          log(`${scenario.name}: INVALID — ${missing.length ? `${missing.join(', ')} not firing` : 'no page delivered'} within ${limits.budgetS} s`);
          break;
        }
        await sleep(driver.pollMs, signal);
      }
      if (page) {
        valid = true;
        log(`${scenario.name}: paging the agent (${page.source})`);
        await hooks.onFiring?.({ notification: page.notification, notificationSource: page.source, access: lab.access() });
      }
    } finally {
      phase = cleanupLog;
      if (injected) {
        // the fault is removed whatever happened above, an abort included
        const began = Date.now();
        await noise?.hold();
        await lab.revert(scenario, log);
        revertS = (Date.now() - began) / 1000;
        noise?.resume([]);
        if (injectionNoise) await noise?.play(hooks.noise);
        log(`${scenario.name}: fault reverted in ${revertS.toFixed(1)} s`);
      }
    }
  }

  async function recover(scenario: ScenarioSpec, limits: Budget, lab: LabRun): Promise<void> {
    const revertedAt = Date.now();
    for (;;) {
      signal?.throwIfAborted();
      const firing = await watch().catch(() => new Set<string>());
      const elapsed = (Date.now() - revertedAt) / 1000;
      if (resolvedAfterS === undefined && !scenario.expectedAlerts.some((a) => firing.has(a))) resolvedAfterS = elapsed;
      if (steadyAfterS === undefined && (await steadyNow(lab).catch(() => false))) steadyAfterS = elapsed;
      if (resolvedAfterS !== undefined && steadyAfterS !== undefined) break;
      if (elapsed > limits.recoveryS) {
        log(`${scenario.name}: not recovered within ${limits.recoveryS} s (alerts resolved: ${resolvedAfterS !== undefined}, steady: ${steadyAfterS !== undefined})`);
        return;
      }
      await sleep(driver.pollMs, signal);
    }
    log(`${scenario.name}: recovered (alerts resolved after ${resolvedAfterS?.toFixed(1)} s, steady after ${steadyAfterS?.toFixed(1)} s)`);
    // a scenario's own noise leaves its traces in the rules' windows (restarts counted over minutes): the next run on a kept Prometheus must not inherit them
    const leftS = scenario.noise ? limits.windowS - (Date.now() - revertedAt) / 1000 : 0;
    if (leftS > 0) {
      log(`${scenario.name}: holding ${leftS.toFixed(0)} s more, until the noise has left the rules' ${limits.windowS} s windows`);
      await sleep(leftS * 1000, signal);
    }
  }
}

async function closeQuietly(run: LabRun, log: (message: string) => void): Promise<Awaited<ReturnType<LabRun['close']>>> {
  try {
    return await run.close(log);
  } catch (error) {
    log(`closing the run failed: ${(error as Error).message}`);
    return { residue: [`unknown: closing failed (${(error as Error).message})`], drift: [] };
  }
}
