import type { ScenarioSpec } from '../types';

export const sensorCalibrationBias: ScenarioSpec = {
  name: 'sensor-calibration-bias',
  title: 'Sensor calibration bias',
  oneLiner: 'Every process healthy, every rate normal — and the picture is wrong',
  layer: 'content',
  difficulty: {
    level: 'hard',
    why: 'no infrastructure signal moves (every target up, every rate and latency normal): the page is about track-fusion, and only the new tracks that RADAR-1 alone feeds, while it leaves the real ones, point at the radar',
  },
  // 6 km east: twice the 3 km correlation gate, so every radar measurement lands outside its target's gate
  fault: { kind: 'restart-with', service: 'radar-sensor', env: { CMS_SENSOR_BIAS_M: '6000' } },
  expectedAlerts: ['tactical-tracks-excess'],
  allowedAlerts: ['fusion-contributors-dropped'],
  signalDelayS: () => ({ seconds: 3, why: 'the radar restarts (~2 s); its first biased scan starts a ghost track per target' }),
  exampleAlertValue: 3,
  groundTruth: {
    rootCause: { service: 'radar-sensor', aliases: ['radar-sensor', 'radar sensor', 'RADAR-1', 'radar'], component: "radar-sensor's position calibration (every measurement offset by 6 km east)" },
    category: 'data-quality',
    categoryPatterns: ['(calibrat|bias|offset|misalign|registration)\\w*', '(wrong|bad|shifted|displaced|inconsistent) (positions?|coordinates|measurements?)', 'ghost tracks?', 'data[- ]quality'],
    summary: 'radar-sensor was restarted with a position calibration bias (CMS_SENSOR_BIAS_M=6000): every RADAR-1 measurement lies 6 km east of its target, outside the correlation gate, so fusion starts a ghost track per target that RADAR-1 alone feeds, and RADAR-1 leaves the real tracks.',
    evidence: [
      { kind: 'metric', signal: 'cms_fusion_active_tracks', shows: 'six tactical tracks for three targets', query: 'cms_fusion_active_tracks', phrases: ['(six|6|twice|double)[^.]{0,30}tracks', 'tracks?[^.]{0,30}(doubled|duplicated|twice)', '(duplicate|ghost|extra|phantom|split) tracks?'] },
      { kind: 'log', signal: 'tactical_track_initiated', shows: 'new tactical tracks initiated by RADAR-1 samples right after the radar restarted', query: '{service_name="track-fusion"} |= "tactical_track_initiated" |= "RADAR-1"', phrases: ['(new|extra) tracks?[^.]{0,40}(initiated|started|created)[^.]{0,40}radar', 'radar[^.]{0,40}(initiated|started|created)[^.]{0,20}tracks?'] },
      { kind: 'log', signal: 'tactical_track_contributors_changed', shows: 'RADAR-1 removed from the real tracks; the new tracks have RADAR-1 as their only contributor', query: '{service_name="track-fusion"} |= "tactical_track_contributors_changed" |= "RADAR-1"', phrases: ['radar[^.]{0,30}(only|sole|single) contributor', '(only|solely|alone)[^.]{0,30}radar'] },
      { kind: 'metric', signal: 'cms_sensor_published_total', shows: 'every sensor publishes at its usual rate: no flood, nothing missing', query: 'sum by (sensor_id) (rate(cms_sensor_published_total[1m]))' },
      { kind: 'trace', signal: 'fusion.ingest', shows: 'fusion.ingest spans of RADAR-1 samples carry the ghost tracks\' ids', query: '{ name = "fusion.ingest" && span.sensor.id = "RADAR-1" }' },
    ],
    remediation: {
      summary: "Restore radar-sensor's calibration (unset CMS_SENSOR_BIAS_M) and restart it; meanwhile take RADAR-1 out of fusion.",
      actions: ['recalibrate', 'revert-configuration'],
      patterns: ['(unset|remove|drop|revert|undo)[^.]{0,30}\\bCMS_SENSOR_BIAS_M\\b', '\\b(re)?calibrat\\w*[^.]{0,40}radar', 'radar[^.]{0,40}\\b(re)?calibrat', '(remove|correct|fix|undo)[^.]{0,30}(bias|offset)', '(exclude|remove|take)[^.]{0,20}radar[^.]{0,30}(out of|from) (the )?fusion'],
    },
    propagation: [
      'radar-sensor restarted with every measurement offset 6 km east',
      'each RADAR-1 measurement lands outside its target\'s 3 km correlation gate: fusion starts a ghost track per target (tactical-tracks-excess)',
      'RADAR-1 leaves the real tracks (fusion-contributors-dropped); threat evaluation and engagement see six tracks for three targets',
    ],
    misattributions: [
      { claim: 'a track-fusion defect or misconfiguration is the cause', patterns: ['root cause\\W{0,10}(is |was |lies )?(on |in |with )?(the )?track-fusion', 'track-fusion[^.]{0,40}(is|was) the (root )?cause', '(bug|defect|regression) in track-fusion', '(gate|correlation)[^.]{0,30}(misconfigur|changed|too (strict|tight))'], penalty: 1 },
      { claim: 'real new targets (a genuine picture change)', patterns: ['(real|genuine|actual) (new )?targets?[^.]{0,30}(appeared|entered|arrived)', 'new targets? (appeared|entered)'], penalty: 1 },
      { claim: 'a sensor flood', patterns: ['\\bflood', 'publish(es|ing)? (far )?(above|too (much|fast))'], penalty: 1 },
    ],
  },
};
