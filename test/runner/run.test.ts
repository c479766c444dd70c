import { buildLabModel } from '../../model/lab';
import { runWeightS } from '../../runner/run';
import { scenario } from '../../scenarios';
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
