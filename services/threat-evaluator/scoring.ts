/**
 * Rule-based threat scoring: classification, speed and altitude points, and
 * a level with hysteresis so noise around a threshold does not flap it.
 */
import { THREAT } from '../../model/simulation';
import type { Classification, ThreatLevel } from '../generated/messages';

const ORDER: readonly ThreatLevel[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/** Minimum score of each level above LOW. */
export type ThreatThresholds = Readonly<Record<Exclude<ThreatLevel, 'LOW'>, number>>;

/** The specified thresholds, each moved by `shift` points (0 as specified). */
export function thresholdsShiftedBy(shift: number): ThreatThresholds {
  const t = THREAT.thresholds;
  return { CRITICAL: t.CRITICAL + shift, HIGH: t.HIGH + shift, MEDIUM: t.MEDIUM + shift };
}

function minimumScore(level: ThreatLevel, thresholds: ThreatThresholds): number {
  return level === 'LOW' ? -Infinity : thresholds[level];
}

export function threatScore(classification: Classification, speedMps: number, altitudeM: number): number {
  const speedPoints = Math.min(THREAT.speedPointsCap, speedMps * THREAT.speedPointsPerMps);
  const band = THREAT.altitudeBands.find((b) => altitudeM < b.belowM);
  return THREAT.classificationScore[classification] + speedPoints + (band ? band.points : 0);
}

/** The level a score maps to with no history. */
export function levelOf(score: number, thresholds: ThreatThresholds = THREAT.thresholds): ThreatLevel {
  for (let i = ORDER.length - 1; i > 0; i--) if (score >= minimumScore(ORDER[i], thresholds)) return ORDER[i];
  return 'LOW';
}

/** The new level given the previous one: a change needs the score to clear the boundary by the hysteresis margin. */
export function levelWithHysteresis(score: number, previous: ThreatLevel | undefined, thresholds: ThreatThresholds = THREAT.thresholds): ThreatLevel {
  const raw = levelOf(score, thresholds);
  if (!previous || raw === previous) return raw;
  const rising = ORDER.indexOf(raw) > ORDER.indexOf(previous);
  const boundary = rising ? minimumScore(ORDER[ORDER.indexOf(previous) + 1], thresholds) : minimumScore(previous, thresholds);
  const cleared = rising ? score >= boundary + THREAT.hysteresis : score < boundary - THREAT.hysteresis;
  return cleared ? raw : previous;
}

export function rationale(classification: Classification, speedMps: number, altitudeM: number, score: number): string {
  return `class=${classification} speed=${speedMps.toFixed(0)}m/s altitude=${altitudeM.toFixed(0)}m score=${score.toFixed(1)}`;
}
