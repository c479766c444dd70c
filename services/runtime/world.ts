/**
 * The simulated world: hostile targets on deterministic circular paths (a
 * pure function of wall-clock time, so every sensor process sees the same
 * sky without talking to the others), and seeded noise for the sensors.
 */
import type { SensorSpec } from '../../model/services';
import { TARGETS, type TargetSpec } from '../../model/simulation';

export interface Kinematics {
  readonly x: number;
  readonly y: number;
  readonly z: number;
  readonly vx: number;
  readonly vy: number;
  readonly vz: number;
}

/** Position and velocity of a target at `tSeconds` since the Unix epoch. */
export function targetKinematics(target: TargetSpec, tSeconds: number): Kinematics {
  const omega = target.speedMps / target.radiusM;
  const angle = target.phaseRad + omega * tSeconds;
  return {
    x: target.centerM[0] + target.radiusM * Math.cos(angle),
    y: target.centerM[1] + target.radiusM * Math.sin(angle),
    z: target.altitudeM,
    vx: -target.speedMps * Math.sin(angle),
    vy: target.speedMps * Math.cos(angle),
    vz: 0,
  };
}

export function worldTargets(): readonly TargetSpec[] {
  return TARGETS;
}

/** Small, fast, seedable PRNG (mulberry32); Math.random cannot be seeded. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal deviate (Box-Muller). */
  gaussian(): number {
    const u = Math.max(this.next(), Number.EPSILON);
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

/** Stable 32-bit seed from a string (FNV-1a), e.g. the sensor id. */
export function seedFrom(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export interface Observation {
  readonly target: TargetSpec;
  readonly measured: Kinematics;
}

/**
 * One scan of one sensor: each target is detected with the sensor's
 * probability and measured with its noise; misses are returned separately.
 */
export function scan(
  sensor: SensorSpec,
  tSeconds: number,
  random: SeededRandom,
  targets: readonly TargetSpec[] = TARGETS,
): { detections: Observation[]; missed: number } {
  const detections: Observation[] = [];
  let missed = 0;
  for (const target of targets) {
    if (random.next() >= sensor.detectionProbability) {
      missed++;
      continue;
    }
    const truth = targetKinematics(target, tSeconds);
    const p = sensor.positionSigmaM;
    const v = sensor.velocitySigmaMps;
    detections.push({
      target,
      measured: {
        x: truth.x + p * random.gaussian(),
        y: truth.y + p * random.gaussian(),
        z: truth.z + p * 0.25 * random.gaussian(),
        vx: truth.vx + v * random.gaussian(),
        vy: truth.vy + v * random.gaussian(),
        vz: truth.vz + v * 0.25 * random.gaussian(),
      },
    });
  }
  return { detections, missed };
}

/** Wall-clock nanoseconds since the epoch, sub-millisecond where the platform allows (comparable across processes). */
export function nowNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1_000_000));
}
