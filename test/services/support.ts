/** Shared checks for the service system tests, derived from the model and the contract. */
import type { NativeLab } from '../../harness/native-lab';
import { sumOf } from '../../harness/prom-text';
import { sensorSpecs } from '../../model/services';
import { STEADY_STATE } from '../../model/simulation';

export interface Picture {
  tracks: Array<{ track_id: string; contributing_sensors: string[]; threat_level: string | null; classification: string }>;
  engagements: Array<{ status: string }>;
}

export const ALL_SENSOR_IDS = sensorSpecs()
  .map((s) => s.sensor.sensorId)
  .sort();

/** The healthy picture: the model's number of tracks, each fed by every sensor, each with a threat level. */
export async function steadyStateReached(lab: NativeLab): Promise<boolean> {
  const fusion = await lab.scrape('track-fusion');
  if (sumOf(fusion, 'cms_fusion_active_tracks') !== STEADY_STATE.activeTracks) return false;
  const picture = (await lab.getJson('tactical-display', '/api/picture')) as Picture;
  return (
    picture.tracks.length === STEADY_STATE.activeTracks &&
    picture.tracks.every((t) => JSON.stringify([...t.contributing_sensors].sort()) === JSON.stringify(ALL_SENSOR_IDS) && t.threat_level !== null)
  );
}

/** Per-second rate of a counter over `seconds`, read from a service's /metrics. */
export async function measureRate(lab: NativeLab, service: Parameters<NativeLab['scrape']>[0], metric: string, labels: Record<string, string>, seconds: number): Promise<number> {
  const before = sumOf(await lab.scrape(service), metric, labels);
  const start = Date.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = sumOf(await lab.scrape(service), metric, labels);
  return (after - before) / ((Date.now() - start) / 1000);
}
