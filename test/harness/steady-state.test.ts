import { ALL_SENSOR_IDS, type Picture, pictureInSteadyState } from '../../harness/steady-state';

const track = (id: string) => ({ track_id: id, contributing_sensors: [...ALL_SENSOR_IDS], threat_level: 'HIGH', classification: 'AIRCRAFT' });
const healthy: Picture = { tracks: ['TT-1', 'TT-2', 'TT-3'].map(track), engagements: [{ status: 'IN_FLIGHT' }] };

describe('pictureInSteadyState', () => {
  it('holds for three fully fed, assessed tracks with an engagement under way', () => {
    expect(pictureInSteadyState(healthy)).toBe(true);
  });

  it('does not hold while nothing has been engaged yet, a track is missing, or a sensor does not feed one', () => {
    expect(pictureInSteadyState({ ...healthy, engagements: [] })).toBe(false);
    expect(pictureInSteadyState({ ...healthy, tracks: healthy.tracks.slice(1) })).toBe(false);
    expect(pictureInSteadyState({ ...healthy, tracks: [{ ...track('TT-1'), contributing_sensors: ALL_SENSOR_IDS.slice(1) }, ...healthy.tracks.slice(1)] })).toBe(false);
    expect(pictureInSteadyState({ ...healthy, tracks: [{ ...track('TT-1'), threat_level: null }, ...healthy.tracks.slice(1)] })).toBe(false);
  });
});
