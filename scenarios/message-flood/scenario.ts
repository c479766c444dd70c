import type { ScenarioSpec } from '../types';

export const FLOOD_RATE_HZ = 200;

export const messageFlood: ScenarioSpec = {
  name: 'message-flood',
  title: 'Message flood',
  oneLiner: 'Anomalous publish rate; fusion is the symptom, not the cause',
  layer: 'content',
  difficulty: { level: 'medium', why: "the page names the sensor, but a surge of targets looks the same: the start-up log's changed target rate is what makes it a configuration fault" },
  fault: { kind: 'restart-with', service: 'radar-sensor', env: { PUBLISH_RATE_HZ: String(FLOOD_RATE_HZ) } },
  expectedAlerts: ['sensor-flood'],
  allowedAlerts: [],
  signalDelayS: () => ({
    seconds: 10,
    why: 'radar restarts (~2 s); at ~580 samples/s against a 29/s baseline, the 1 m rate passes 100/s after ~8 s',
  }),
  exampleAlertValue: 582,
  groundTruth: {
    rootCause: { service: 'radar-sensor', aliases: ['radar-sensor', 'radar sensor', 'RADAR-1', 'radar'], component: "radar-sensor's configured scan rate (PUBLISH_RATE_HZ=200 instead of 10)" },
    category: 'publish-rate-anomaly',
    categoryPatterns: ['(publish|scan|message|sample)[^.]{0,20}rate', 'flood', '\\bPUBLISH_RATE_HZ\\b', 'too many (messages|samples|source tracks)'],
    summary: 'radar-sensor was restarted with PUBLISH_RATE_HZ=200, twenty times its 10 Hz scan rate, and publishes about 580 source tracks per second; fusion copes, so it is a symptom, not the cause.',
    evidence: [
      { kind: 'metric', signal: 'cms_sensor_published_total', shows: 'RADAR-1 publishes ~580/s while ESM-2 and EO-3 stay at baseline', query: 'sum by (sensor_id) (rate(cms_sensor_published_total[1m]))' },
      { kind: 'log', signal: 'sensor_started', shows: 'radar-sensor started with target_rate_hz 200', query: '{service_name="radar-sensor"} |= "sensor_started"' },
      { kind: 'log', signal: 'sensor_heartbeat', shows: 'publish_rate_hz_observed ~580 against target 200', query: '{service_name="radar-sensor"} |= "sensor_heartbeat"' },
      { kind: 'metric', signal: 'cms_fusion_ingested_total', shows: 'fusion ingests the extra RADAR-1 samples and keeps up', query: 'sum by (sensor_id) (rate(cms_fusion_ingested_total[1m]))' },
    ],
    remediation: {
      summary: 'Restore radar-sensor\'s scan rate (PUBLISH_RATE_HZ back to 10, or unset) and restart it.',
      actions: ['revert-configuration', 'throttle-producer'],
      patterns: ['(unset|remove|restore|reset|revert|set|put)[^.]{0,30}\\bPUBLISH_RATE_HZ\\b', '\\bPUBLISH_RATE_HZ\\b[^.]{0,30}(back|to 10\\b|unset|removed|default)', '(restore|reset|revert|lower|reduce|fix|correct)[^.,;]{0,30}(scan|publish(ing)?|sensor|radar)[^.,;]{0,15}(rate|configuration|config)', 'rate[^.,;]{0,30}(back|to) ?10\\b', '(revert|roll ?back|undo)[^.,;]{0,30}(config|configuration|change)'],
    },
    propagation: ['radar-sensor misconfigured to 200 scans per second', 'RADAR-1 publishes ~20× its normal rate (sensor-flood)', 'fusion, threat and display ingest far more samples than usual'],
    misattributions: [
      { claim: 'track-fusion is the cause', patterns: ['root cause\\W{0,10}(is |was |lies )?(on |in |with )?(the )?track-fusion', 'track-fusion[^.]{0,40}(is|was) the (root )?cause'], penalty: 1 },
      { claim: 'CPU starvation', patterns: ['cpu[^.]{0,30}(starv|throttl|quota)'], penalty: 1 },
      { claim: 'a sensor is down', patterns: ['sensor[^.]{0,20}(is )?(down\\b|stopped(?! \\w+ing\\b)|crashed)'], penalty: 1 },
    ],
  },
};
