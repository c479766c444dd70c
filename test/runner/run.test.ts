import { buildLabModel } from '../../model/lab';
import { benchTargets, runWeightS } from '../../runner/run';
import { SCENARIOS, scenario } from '../../scenarios';
import { budgetOf } from '../../scenarios/budget';
import { CONTROL_NAME, controlWatchS } from '../../scenarios/control';

describe('runWeightS', () => {
  const lab = buildLabModel();

  it("weighs a scenario's run by its healthy history, budget and recovery, the control's by its watch", () => {
    const withHistory = scenario('threat-threshold-drift');
    expect(withHistory.historyS).toBeGreaterThan(0);
    const { budgetS, recoveryS } = budgetOf(withHistory, lab);
    expect(runWeightS(withHistory, lab)).toBe(withHistory.historyS! + budgetS + recoveryS);
    const plain = scenario('sensor-down');
    expect(plain.historyS).toBeUndefined();
    expect(runWeightS(plain, lab)).toBe(budgetOf(plain, lab).budgetS + budgetOf(plain, lab).recoveryS);
    expect(runWeightS(CONTROL_NAME, lab)).toBe(controlWatchS(lab));
    expect(runWeightS(CONTROL_NAME, lab, 60)).toBe(60);
  });
});

describe('benchTargets', () => {
  const lab = buildLabModel();
  const labels = (only?: string) => benchTargets(lab, only).map((t) => t.label);

  it('takes every scenario and the control, quiet and in noise, without --only', () => {
    expect(labels()).toEqual([...SCENARIOS.map((s) => s.name), CONTROL_NAME, `${CONTROL_NAME} (noise)`]);
    expect(benchTargets(lab, undefined).at(-1)?.noise).toBe(lab.noise.ambient);
  });

  it("takes only the named scenarios, and the control's pair only when named", () => {
    expect(labels('sensor-down,memory-leak')).toEqual(['sensor-down', 'memory-leak']);
    expect(labels(`sensor-down, ${CONTROL_NAME}`)).toEqual(['sensor-down', CONTROL_NAME, `${CONTROL_NAME} (noise)`]);
    expect(labels(CONTROL_NAME)).toEqual([CONTROL_NAME, `${CONTROL_NAME} (noise)`]);
  });

  it('runs the scenarios in the given noise, the control quiet and in the ambient noise', () => {
    const targets = benchTargets(lab, `sensor-down,${CONTROL_NAME}`, lab.noise.ambient);
    expect(targets.map((t) => t.noise)).toEqual([lab.noise.ambient, undefined, lab.noise.ambient]);
  });

  it('refuses an unknown scenario or an empty name', () => {
    expect(() => benchTargets(lab, 'sensor-down,no-such-fault')).toThrow(/no-such-fault/);
    expect(() => benchTargets(lab, 'sensor-down,,memory-leak')).toThrow(/separated by commas/);
  });
});
