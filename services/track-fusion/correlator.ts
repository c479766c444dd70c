/**
 * Nearest-neighbour correlation of source tracks into tactical tracks, with
 * an alpha-beta filter per track. Pure (no DDS, no telemetry), so its
 * behaviour is unit-tested directly.
 */
import type { Classification, SourceTrack } from '../generated/messages';
import { FUSION } from '../../model/simulation';

/** How much one measurement moves the track, by sensor: tight sensors pull hard, ESM barely. */
const POSITION_GAIN: Record<SourceTrack['sensor_type'], number> = { RADAR: FUSION.alpha, ESM: 0.08, EO: 0.7 };
const VELOCITY_GAIN: Record<SourceTrack['sensor_type'], number> = { RADAR: FUSION.beta, ESM: 0.02, EO: 0.3 };

export interface FusedTrack {
  readonly trackId: string;
  x: number;
  y: number;
  z: number;
  vx: number;
  vy: number;
  vz: number;
  /** Seconds (epoch) of the last update. */
  updatedAtS: number;
  updateCount: number;
  /** sensor_id → seconds (epoch) of its last contribution. */
  readonly lastSeenBySensor: Map<string, number>;
  /** Classification → seconds (epoch) it was last reported, with confidence. */
  readonly classReports: Map<Exclude<Classification, 'UNKNOWN'>, { atS: number; confidence: number }>;
  /** Contributor set at the previous publish; undefined before the first. */
  publishedContributors?: readonly string[];
}

export interface CorrelationResult {
  readonly track: FusedTrack;
  readonly initiated: boolean;
  /** Contributors now, and the change against the previous publish (empty at initiation). */
  readonly contributors: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly classification: Classification;
}

export class Correlator {
  private readonly tracks = new Map<string, FusedTrack>();
  private nextId = 1;

  constructor(
    private readonly gateM: number = FUSION.gateM,
    private readonly contributorWindowS: number = FUSION.contributorWindowS,
  ) {}

  get activeTracks(): number {
    return this.tracks.size;
  }

  allTracks(): readonly FusedTrack[] {
    return [...this.tracks.values()];
  }

  /** Correlates one measurement taken at `atS` (epoch seconds) and updates or starts a track. */
  ingest(sample: SourceTrack, atS: number): CorrelationResult {
    let best: FusedTrack | undefined;
    let bestDistance = Infinity;
    for (const track of this.tracks.values()) {
      const dt = Math.max(0, atS - track.updatedAtS);
      const dx = track.x + track.vx * dt - sample.x_m;
      const dy = track.y + track.vy * dt - sample.y_m;
      const dz = track.z + track.vz * dt - sample.z_m;
      const distance = Math.sqrt(dx * dx + dy * dy + dz * dz);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = track;
      }
    }
    let initiated = false;
    let track: FusedTrack;
    if (!best || bestDistance > this.gateM) {
      initiated = true;
      track = {
        trackId: `TT-${String(this.nextId++).padStart(4, '0')}`,
        x: sample.x_m,
        y: sample.y_m,
        z: sample.z_m,
        vx: sample.vx_mps,
        vy: sample.vy_mps,
        vz: sample.vz_mps,
        updatedAtS: atS,
        updateCount: 0,
        lastSeenBySensor: new Map(),
        classReports: new Map(),
      };
      this.tracks.set(track.trackId, track);
    } else {
      track = best;
      const dt = Math.max(0, atS - track.updatedAtS);
      const alpha = POSITION_GAIN[sample.sensor_type];
      const beta = VELOCITY_GAIN[sample.sensor_type];
      const px = track.x + track.vx * dt;
      const py = track.y + track.vy * dt;
      const pz = track.z + track.vz * dt;
      track.x = px + alpha * (sample.x_m - px);
      track.y = py + alpha * (sample.y_m - py);
      track.z = pz + alpha * (sample.z_m - pz);
      track.vx += beta * (sample.vx_mps - track.vx);
      track.vy += beta * (sample.vy_mps - track.vy);
      track.vz += beta * (sample.vz_mps - track.vz);
      track.updatedAtS = Math.max(track.updatedAtS, atS);
    }
    track.updateCount++;
    track.lastSeenBySensor.set(sample.sensor_id, atS);
    if (sample.classification !== 'UNKNOWN') {
      track.classReports.set(sample.classification, { atS, confidence: sample.classification_confidence });
    }

    const contributors = [...track.lastSeenBySensor.entries()]
      .filter(([, seen]) => atS - seen <= this.contributorWindowS)
      .map(([sensor]) => sensor)
      .sort();
    const previous = track.publishedContributors;
    const added = previous ? contributors.filter((s) => !previous.includes(s)) : [];
    const removed = previous ? previous.filter((s) => !contributors.includes(s)) : [];
    track.publishedContributors = contributors;
    return { track, initiated, contributors, added, removed, classification: this.classify(track, atS) };
  }

  /** The most confident class reported within the contributor window; UNKNOWN if none. */
  private classify(track: FusedTrack, atS: number): Classification {
    let best: Classification = 'UNKNOWN';
    let bestConfidence = -1;
    for (const [cls, report] of track.classReports) {
      if (atS - report.atS <= this.contributorWindowS && report.confidence > bestConfidence) {
        best = cls;
        bestConfidence = report.confidence;
      }
    }
    return best;
  }

  /** Drops tracks idle for longer than `timeoutS`; returns them with their idle time. */
  expire(nowS: number, timeoutS: number): Array<{ trackId: string; idleS: number }> {
    const dropped: Array<{ trackId: string; idleS: number }> = [];
    for (const track of this.tracks.values()) {
      const idle = nowS - track.updatedAtS;
      if (idle > timeoutS) {
        this.tracks.delete(track.trackId);
        dropped.push({ trackId: track.trackId, idleS: idle });
      }
    }
    return dropped;
  }
}
