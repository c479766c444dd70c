/**
 * The run lifecycle against a scripted lab driver: the order of its steps,
 * the revert whatever happens after the injection (a failing agent, an
 * abort), the lab closed every time, and the
 * one observation record with its logs split at the revert.
 */
import { buildLabModel } from '../../model/lab';
import { scenario } from '../../scenarios';
import { scenarioAlert } from '../../scenarios/render';
import type { LabDriver, LabRun } from '../../runner/lab-driver';
import { type RunError, runLifecycle } from '../../runner/lifecycle';

const lab = buildLabModel();
const spec = scenario('sensor-down');

function scriptedDriver(options: { fires?: boolean } = {}) {
  const steps: string[] = [];
  let faulty = false;
  let restarting = false;
  const run: LabRun = {
    noise: {
      restart: async (service) => {
        restarting = true;
        steps.push(`restart ${service}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        restarting = false;
      },
      requestDiagnostics: async (service) => void steps.push(`diagnostics ${service}`),
      startNeighbour: async (name) => void steps.push(`start ${name}`),
      stopNeighbour: async (name) => void steps.push(`stop ${name}`),
    },
    leftoversAtStart: [],
    steady: async () => {
      if (restarting) steps.push('steady judged mid-restart');
      return !faulty && !restarting;
    },
    firing: async () => (faulty && options.fires !== false ? ['sensor-down'] : []),
    inject: async () => {
      steps.push('inject');
      faulty = true;
    },
    revert: async () => {
      steps.push('revert');
      faulty = false;
    },
    page: async () => ({ notification: scenarioAlert(spec, lab), source: 'rendered-from-prometheus' }),
    access: () => ({ sources: { metrics: { kind: 'none', queryRange: async () => [] } }, env: {}, description: 'scripted' }),
    close: async () => {
      steps.push('close');
      return { residue: faulty ? ['the fault'] : [], drift: [] };
    },
  };
  const driver: LabDriver = {
    kind: 'native',
    lab,
    mechanism: 'a scripted lab',
    lanes: 1,
    pollMs: 5,
    baselineTimeoutMs: 1000,
    check: async () => undefined,
    removeLeftovers: async () => [],
    open: async () => {
      steps.push('open');
      return run;
    },
  };
  return { driver, steps };
}

describe('runLifecycle', () => {
  it('opens, injects, pages while the alert fires, reverts, recovers and closes, in that order', async () => {
    const { driver, steps } = scriptedDriver();
    const paged: string[] = [];
    const observation = await runLifecycle(spec, driver, { onFiring: async (m) => void paged.push(`${m.notificationSource} ${steps.join(',')}`) });
    expect(paged).toEqual(['rendered-from-prometheus open,inject']);
    expect(steps).toEqual(['open', 'inject', 'revert', 'close']);
    expect(observation).toMatchObject({ target: 'sensor-down', mechanism: 'a scripted lab', valid: true, firedAlerts: ['sensor-down'], unexpectedAlerts: [], residue: [], drift: [] });
    expect(observation.steadyAfterS).toBeDefined();
    expect(observation.injectLog.join('\n')).toContain('paging the agent');
    expect(observation.cleanupLog.join('\n')).toContain('fault reverted');
    expect(observation.injectLog.join('\n')).not.toContain('fault reverted');
  });

  it('reverts and closes when the agent fails, and rethrows with the logs so far', async () => {
    const { driver, steps } = scriptedDriver();
    const failure = runLifecycle(spec, driver, {
      onFiring: async () => {
        throw new Error('the agent crashed');
      },
    });
    await expect(failure).rejects.toThrow('the agent crashed');
    const error = (await failure.catch((e: RunError) => e)) as RunError;
    expect(steps).toEqual(['open', 'inject', 'revert', 'close']);
    expect(error.cleanupLog?.join('\n')).toMatch(/fault reverted[\s\S]*run ended early: the agent crashed; residue: none/);
  });

  it('reverts and closes when aborted while waiting for the alert', async () => {
    const { driver, steps } = scriptedDriver({ fires: false });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('interrupted by SIGINT')), 50);
    await expect(runLifecycle(spec, driver, { signal: controller.signal })).rejects.toThrow('interrupted by SIGINT');
    expect(steps).toEqual(['open', 'inject', 'revert', 'close']);
  });

  it('runs the control with no fault: watches, pages the spurious alert, and closes', async () => {
    const { driver, steps } = scriptedDriver();
    let source: string | undefined;
    const observation = await runLifecycle('control', driver, { controlWatchS: 0.05, onFiring: async (m) => void (source = m.notificationSource) });
    expect(source).toBe('control-page');
    expect(steps).toEqual(['open', 'close']);
    expect(observation).toMatchObject({ target: 'control', valid: true, firedAlerts: [], unexpectedAlerts: [], steadyAfterS: 0 });
  });

  describe('with ambient noise', () => {
    const faulted = spec.fault.service;
    // every part of a profile, fast: restarts aimed at the very service the fault is on, so leaving it alone shows
    const noise = { restarts: { service: faulted, everyS: 0.02 }, logBursts: { services: [faulted, 'track-fusion' as const], everyS: 0.02 }, cpuNeighbour: { name: 'report-indexer', cpus: 0.25 } };
    const hooks = { noise, noiseSettleMs: 5 };

    it('plays from open to close, holds while the fault goes in and out, and leaves the faulted service alone', async () => {
      const { driver, steps } = scriptedDriver();
      const observation = await runLifecycle(spec, driver, { ...hooks, onFiring: () => new Promise((resolve) => setTimeout(resolve, 150)) });
      expect(steps[0]).toBe('open');
      expect(steps[1]).toBe('start report-indexer');
      expect(steps.slice(-2)).toEqual(['stop report-indexer', 'close']);
      const during = steps.slice(steps.indexOf('inject'), steps.indexOf('revert'));
      expect(during.filter((s) => s.endsWith(faulted))).toEqual([]);
      expect(during).toContain('diagnostics track-fusion');
      expect(steps).not.toContain('steady judged mid-restart');
      expect(observation).toMatchObject({ valid: true, residue: [], noise: expect.stringContaining(`${faulted} restarted about every 0.02 s`) });
      expect(observation.steadyAfterS).toBeDefined();
    });

    it('runs the control under noise: the steady state at the end of the watch is judged once a restart has settled', async () => {
      const { driver, steps } = scriptedDriver();
      const observation = await runLifecycle('control', driver, { ...hooks, controlWatchS: 0.2 });
      expect(steps.filter((s) => s.startsWith('restart')).length).toBeGreaterThan(1);
      expect(steps).not.toContain('steady judged mid-restart');
      expect(steps.slice(-2)).toEqual(['stop report-indexer', 'close']);
      expect(observation).toMatchObject({ firedAlerts: [], steadyAfterS: 0 });
    });

    it('stops the noise and removes the neighbour when the run fails', async () => {
      const { driver, steps } = scriptedDriver();
      await expect(runLifecycle(spec, driver, { ...hooks, onFiring: async () => Promise.reject(new Error('the agent crashed')) })).rejects.toThrow('the agent crashed');
      expect(steps.slice(-3)).toEqual(['revert', 'stop report-indexer', 'close']);
    });
  });
});
