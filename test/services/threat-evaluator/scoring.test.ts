import { TARGETS, THREAT } from '../../../model/simulation';
import { levelOf, levelWithHysteresis, threatScore } from '../../../services/threat-evaluator/scoring';

describe('threat scoring', () => {
  it('ranks the simulated targets CRITICAL (missile), HIGH and MEDIUM with a margin wider than the hysteresis', () => {
    const levels = TARGETS.map((t) => levelOf(threatScore(t.classification, t.speedMps, t.altitudeM)));
    expect(levels).toEqual(['CRITICAL', 'MEDIUM', 'HIGH']);
    // Whatever level a noisy first estimate sets, the true score must clear the hysteresis band
    // around every threshold, with room for the fused speed's noise (3 points = 30 m/s), or the
    // wrong level sticks: HOSTILE-2 at 230 m/s scored 48, inside HIGH's band, and stayed HIGH.
    const speedNoisePoints = 3;
    for (const t of TARGETS) {
      const score = threatScore(t.classification, t.speedMps, t.altitudeM);
      const nearest = Math.min(...Object.values(THREAT.thresholds).map((th) => Math.abs(score - th)));
      expect({ target: t.id, score, clear: nearest > THREAT.hysteresis + speedNoisePoints }).toEqual({ target: t.id, score, clear: true });
    }
  });

  it('converges on the true level from any first level once the score is clear of the band', () => {
    for (const t of TARGETS) {
      const score = threatScore(t.classification, t.speedMps, t.altitudeM);
      for (const first of ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const) {
        let level: ReturnType<typeof levelOf> = first;
        for (let step = 0; step < 4; step++) level = levelWithHysteresis(score, level);
        expect({ target: t.id, from: first, level }).toEqual({ target: t.id, from: first, level: levelOf(score) });
      }
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
