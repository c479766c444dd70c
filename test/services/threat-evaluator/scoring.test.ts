import { TARGETS, THREAT } from '../../../model/simulation';
import { levelOf, levelWithHysteresis, threatScore } from '../../../services/threat-evaluator/scoring';

describe('threat scoring', () => {
  it('ranks the simulated targets CRITICAL (missile), HIGH and MEDIUM with a margin wider than the hysteresis', () => {
    const levels = TARGETS.map((t) => levelOf(threatScore(t.classification, t.speedMps, t.altitudeM)));
    expect(levels).toEqual(['CRITICAL', 'MEDIUM', 'HIGH']);
    for (const t of TARGETS) {
      const score = threatScore(t.classification, t.speedMps, t.altitudeM);
      const nearest = Math.min(...Object.values(THREAT.thresholds).map((th) => Math.abs(score - th)));
      expect(nearest).toBeGreaterThan(THREAT.hysteresis / 2);
    }
  });

  it('does not flap around a threshold', () => {
    const at = THREAT.thresholds.HIGH;
    expect(levelWithHysteresis(at + 0.5, 'MEDIUM')).toBe('MEDIUM');
    expect(levelWithHysteresis(at + THREAT.hysteresis, 'MEDIUM')).toBe('HIGH');
    expect(levelWithHysteresis(at - 0.5, 'HIGH')).toBe('HIGH');
    expect(levelWithHysteresis(at - THREAT.hysteresis - 0.1, 'HIGH')).toBe('MEDIUM');
    expect(levelWithHysteresis(at + 0.5, undefined)).toBe('HIGH');
  });
});
