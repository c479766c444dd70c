import { Correlator } from '../../../services/track-fusion/correlator';
import type { SourceTrack } from '../../../services/generated/messages';
import { CMS_SERVICES } from '../../../model/services';
import { FUSION, TARGETS } from '../../../model/simulation';
import { SeededRandom, scan } from '../../../services/runtime/world';

function toSample(sensorId: string, type: SourceTrack['sensor_type'], m: { x: number; y: number; z: number; vx: number; vy: number; vz: number }, cls: SourceTrack['classification'] = 'UNKNOWN'): SourceTrack {
  return {
    sensor_id: sensorId,
    sensor_track_id: `${sensorId}-L1`,
    sensor_type: type,
    classification: cls,
    classification_confidence: cls === 'UNKNOWN' ? 0 : 0.8,
    x_m: m.x,
    y_m: m.y,
    z_m: m.z,
    vx_mps: m.vx,
    vy_mps: m.vy,
    vz_mps: m.vz,
    position_sigma_m: 10,
    measured_at_ns: 0n,
    trace: { traceparent: '', tracestate: '' },
  };
}

describe('Correlator', () => {
  it('fuses a minute of the three simulated sensors into exactly one track per target, each fed by all three', () => {
    const correlator = new Correlator();
    const sensors = CMS_SERVICES.filter((s) => s.sensor).map((s) => s.sensor!);
    const random = new SeededRandom(42);
    const t0 = 1_790_000_000;
    // interleave scans by time as the real sensors do
    const events: Array<{ t: number; sensor: (typeof sensors)[number] }> = [];
    for (const sensor of sensors) for (let t = 0; t < 60; t += 1 / sensor.rateHz) events.push({ t: t0 + t, sensor });
    events.sort((a, b) => a.t - b.t);
    const trackOfTarget = new Map<string, Set<string>>();
    let last: ReturnType<Correlator['ingest']> | undefined;
    for (const { t, sensor } of events) {
      for (const d of scan(sensor, t, random).detections) {
        last = correlator.ingest(toSample(sensor.sensorId, sensor.sensorType, d.measured, sensor.classifies ? d.target.classification : 'UNKNOWN'), t);
        const set = trackOfTarget.get(d.target.id) ?? new Set();
        set.add(last.track.trackId);
        trackOfTarget.set(d.target.id, set);
      }
    }
    expect(correlator.activeTracks).toBe(TARGETS.length);
    for (const target of TARGETS) expect(trackOfTarget.get(target.id)?.size).toBe(1);
    for (const track of correlator.allTracks()) expect([...track.lastSeenBySensor.keys()].sort()).toEqual(['EO-3', 'ESM-2', 'RADAR-1']);
  });

  it('reports a sensor leaving the contributor set once its window has passed', () => {
    const correlator = new Correlator(3000, FUSION.contributorWindowS);
    const at = { x: 0, y: 0, z: 1000, vx: 0, vy: 0, vz: 0 };
    correlator.ingest(toSample('RADAR-1', 'RADAR', at), 100);
    const joined = correlator.ingest(toSample('ESM-2', 'ESM', at, 'AIRCRAFT'), 100.1);
    expect(joined.added).toEqual(['ESM-2']);
    expect(joined.classification).toBe('AIRCRAFT');
    const stillThere = correlator.ingest(toSample('RADAR-1', 'RADAR', at), 100 + FUSION.contributorWindowS - 0.5);
    expect(stillThere.removed).toEqual([]);
    const gone = correlator.ingest(toSample('RADAR-1', 'RADAR', at), 100 + FUSION.contributorWindowS + 1);
    expect(gone.removed).toEqual(['ESM-2']);
    expect(gone.contributors).toEqual(['RADAR-1']);
    expect(gone.classification).toBe('UNKNOWN');
  });

  it('starts a new track outside the gate and expires idle tracks', () => {
    const correlator = new Correlator(3000, 8);
    const a = correlator.ingest(toSample('RADAR-1', 'RADAR', { x: 0, y: 0, z: 0, vx: 0, vy: 0, vz: 0 }), 10);
    const b = correlator.ingest(toSample('RADAR-1', 'RADAR', { x: 5000, y: 0, z: 0, vx: 0, vy: 0, vz: 0 }), 10);
    expect(a.initiated && b.initiated).toBe(true);
    expect(a.track.trackId).not.toBe(b.track.trackId);
    expect(correlator.expire(20, 6).map((d) => d.trackId).sort()).toEqual([a.track.trackId, b.track.trackId].sort());
    expect(correlator.activeTracks).toBe(0);
  });
});
