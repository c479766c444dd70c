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
  const run: LabRun = {
    leftoversAtStart: [],
    steady: async () => !faulty,
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
});
