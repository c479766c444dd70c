import type { ScenarioSpec } from '../types';

export const sensorDown: ScenarioSpec = {
  name: 'sensor-down',
  title: 'Sensor down',
  oneLiner: 'Process gone — find the missing service',
  layer: 'process',
  difficulty: { level: 'easy', why: "the paged service is the culprit and its scrape fails; only telling a stop from a partition needs its logs" },
  fault: { kind: 'stop-service', service: 'radar-sensor' },
  expectedAlerts: ['sensor-down'],
  allowedAlerts: ['fusion-contributors-dropped'],
  signalDelayS: () => ({ seconds: 0, why: 'the next scrape of the stopped process fails' }),
  exampleAlertValue: 1,
  groundTruth: {
    rootCause: { service: 'radar-sensor', aliases: ['radar-sensor', 'radar sensor', 'RADAR-1', 'radar'], component: 'the radar-sensor process' },
    category: 'process-stopped',
    categoryPatterns: ['\\b(stopped|exited|shut ?down|terminated|not running|process (is )?(down|gone|dead)|crash(ed)?|killed)\\b'],
    summary: 'The radar-sensor process stopped (orderly SIGTERM shutdown); its container is no longer running, so nothing scrapes or hears RADAR-1.',
    evidence: [
      { kind: 'metric', signal: 'up', shows: 'the radar-sensor:9101 target is down', query: 'up{job="cms-services", instance="radar-sensor:9101"}' },
      { kind: 'log', signal: 'service_stopping', shows: 'radar-sensor logged an orderly stop (signal_received SIGTERM, then service_stopping)', query: '{service_name="radar-sensor"} |= "service_stopping"' },
      { kind: 'metric', signal: 'cms_fusion_ingested_total', shows: 'fusion receives nothing from RADAR-1 any more', query: 'sum by (sensor_id) (rate(cms_fusion_ingested_total[1m]))' },
      { kind: 'log', signal: 'tactical_track_contributors_changed', shows: 'RADAR-1 left every tactical track', query: '{service_name="track-fusion"} |= "tactical_track_contributors_changed" |= "RADAR-1"' },
      { kind: 'trace', signal: 'sensor.scan.RADAR-1', shows: 'no new radar scan spans', query: '{ name = "sensor.scan.RADAR-1" }', absence: true },
    ],
    remediation: {
      summary: 'Start the radar-sensor container (process) again and check why it stopped.',
      actions: ['start-service', 'restart-service'],
      patterns: ['\\b(re)?start(ed|ing)?\\b.{0,40}radar', 'radar.{0,40}\\b(re)?start', 'bring (the )?radar.{0,20}back'],
    },
    propagation: ['radar-sensor stopped', 'its scrape fails (sensor-down)', 'fusion loses RADAR-1 as a contributor (fusion-contributors-dropped); ESM and EO keep every track'],
    misattributions: [
      { claim: 'a network partition or detached container', patterns: ['network partition', '\\b(detached|disconnected|cut off) from (the )?network', 'network (isolation|outage)'], penalty: 1 },
      { claim: 'track-fusion is the cause', patterns: ['root cause\\W{0,10}(is |was |lies )?(on |in |with )?(the )?track-fusion', 'track-fusion[^.]{0,40}(is|was) the (root )?cause'], penalty: 1 },
      { claim: 'a DDS QoS mismatch', patterns: ['qos (mismatch|incompatib)', 'incompatible qos'], penalty: 1 },
    ],
  },
};
