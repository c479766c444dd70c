/** The healthy picture, as read from a running native lab: derived from the model, shared by tests, harness and runner. */
import { sensorSpecs } from '../model/services';
import { STEADY_STATE } from '../model/simulation';
import type { NativeLab } from './native-lab';
import { sumOf } from './prom-text';

export interface Picture {
  tracks: Array<{ track_id: string; contributing_sensors: string[]; threat_level: string | null; classification: string }>;
  engagements: Array<{ status: string }>;
}

export const ALL_SENSOR_IDS = sensorSpecs()
  .map((s) => s.sensor.sensorId)
  .sort();

/** The model's number of tracks, each fed by every sensor, each with a threat level, and engagements under way. */
export async function steadyStateReached(lab: NativeLab): Promise<boolean> {
  const fusion = await lab.scrape('track-fusion');
  if (sumOf(fusion, 'cms_fusion_active_tracks') !== STEADY_STATE.activeTracks) return false;
  return pictureInSteadyState((await lab.getJson('tactical-display', '/api/picture')) as Picture);
}

/**
 * The tactical picture of a healthy lab: the model's number of tracks, each
 * fed by every sensor, each with a threat level, and an engagement within
 * the display's memory — the whole chain, sensor to effector, at work (a
 * lab that has not engaged yet is still warming up).
 */
export function pictureInSteadyState(picture: Picture): boolean {
  return (
    picture.tracks.length === STEADY_STATE.activeTracks &&
    picture.engagements.length > 0 &&
    picture.tracks.every((t) => JSON.stringify([...t.contributing_sensors].sort()) === JSON.stringify(ALL_SENSOR_IDS) && t.threat_level !== null)
  );
}
