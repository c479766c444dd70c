import { CMS_SERVICES } from './services';

/**
 * The simulated world and the behaviour parameters of the pipeline. The
 * services read them at start-up; alert thresholds, the steady-state gate
 * and the docs are derived from the same numbers.
 */

export interface TargetSpec {
  readonly id: string;
  readonly classification: 'AIRCRAFT' | 'MISSILE';
  /** Centre of the circular path, metres east / north of the ship. */
  readonly centerM: readonly [number, number];
  readonly radiusM: number;
  readonly altitudeM: number;
  readonly speedMps: number;
  /** Angle on the circle at t = 0 (Unix epoch), radians. */
  readonly phaseRad: number;
}

/**
 * Three hostiles on deterministic circular paths, tens of kilometres apart.
 * Their true threat scores (108, 43, 60) sit well clear of every level
 * threshold, by more than the hysteresis: otherwise a noisy first velocity
 * estimate could set a level the hysteresis then never lets go of.
 */
export const TARGETS: readonly TargetSpec[] = [
  { id: 'HOSTILE-1', classification: 'MISSILE', centerM: [18_000, 4_000], radiusM: 6_000, altitudeM: 150, speedMps: 280, phaseRad: 0 },
  { id: 'HOSTILE-2', classification: 'AIRCRAFT', centerM: [-20_000, 22_000], radiusM: 12_000, altitudeM: 9_500, speedMps: 180, phaseRad: 1.2 },
  { id: 'HOSTILE-3', classification: 'AIRCRAFT', centerM: [6_000, -26_000], radiusM: 10_000, altitudeM: 4_500, speedMps: 250, phaseRad: 2.6 },
];

export const FUSION = {
  /** Correlation gate: a source track farther than this from every tactical track starts a new one. */
  gateM: 3_000,
  /** Bounded inbox between the DDS reader and the correlator. Above the fusion-queue-deep threshold on purpose. */
  queueCapacity: 5_000,
  /**
   * Source tracks correlated per event-loop turn before yielding. Small, so a
   * CPU-starved fusion still answers scrapes: one turn of 16 costs ~16 ms of
   * CPU, under 1 s of wall time even at 2% of a core.
   */
  batchSize: 16,
  /**
   * A sensor contributes to a tactical track if it updated it within this
   * window. EO detects 70% of scans at 2 Hz, so a healthy EO misses a whole
   * 8 s window with probability 0.3^16 ≈ 4e-9: no false "removed" changes.
   */
  contributorWindowS: 8,
  /** A tactical track not updated for this long is dropped. */
  trackTimeoutS: 6,
  /** How often cms_fusion_memory_bytes samples process RSS. */
  memorySampleIntervalS: 1,
  /** Alpha-beta filter gains for position and velocity smoothing. */
  alpha: 0.5,
  beta: 0.2,
} as const;

export const THREAT = {
  classificationScore: { MISSILE: 60, AIRCRAFT: 25, UNKNOWN: 15 },
  /** Points per m/s of speed, capped. */
  speedPointsPerMps: 0.1,
  speedPointsCap: 30,
  /** Altitude bands (upper bound in metres → points). */
  altitudeBands: [
    { belowM: 1_000, points: 20 },
    { belowM: 5_000, points: 10 },
  ],
  /** Minimum score for each level; LOW below MEDIUM. */
  thresholds: { CRITICAL: 80, HIGH: 50, MEDIUM: 30 },
  /** A level changes only once the score crosses its threshold by this margin. */
  hysteresis: 3,
} as const;

export const COMMAND = {
  /** HIGH and CRITICAL threats are engaged; the rest monitored. */
  engageLevels: ['HIGH', 'CRITICAL'],
  /** An ENGAGE order for the same track is re-issued at most this often. */
  reengageIntervalS: 12,
  /** A MONITOR order is repeated this often unless the level changes first. */
  monitorIntervalS: 30,
  /** Orders are unregistered from the TRANSIENT_LOCAL history after this long. */
  orderRetentionS: 60,
} as const;

export const EFFECTOR = {
  /** ACCEPTED → IN_FLIGHT delay. */
  launchDelayS: 0.4,
  /** Flight time is drawn uniformly from this range per order. */
  flightTimeS: [2, 8],
  hitProbability: 0.75,
  /** Histogram buckets of cms_engagement_duration_seconds (custom, up to 30 s). */
  durationBucketsS: [0.5, 1, 2, 3, 5, 8, 10, 15, 20, 30],
} as const;

export const DISPLAY = {
  /** A tactical track is shown while it was updated within this window. */
  trackVisibleS: 5,
} as const;

/** What a healthy pipeline looks like; gates, alerts and tests derive from it. */
export const STEADY_STATE = {
  activeTracks: TARGETS.length,
  /** Expected aggregate SourceTrack rate into fusion, samples per second. */
  sourceTrackRatePerS: CMS_SERVICES.reduce(
    (sum, s) => sum + (s.sensor ? s.sensor.rateHz * s.sensor.detectionProbability * TARGETS.length : 0),
    0,
  ),
} as const;
