import { CATEGORY_PATTERNS } from '../category-patterns';
import type { ScenarioSpec } from '../types';

export const networkPartition: ScenarioSpec = {
  name: 'network-partition',
  title: 'Network partition',
  oneLiner: 'Container alive but unreachable — distinct from sensor-down',
  layer: 'network',
  difficulty: { level: 'medium', why: "it fires the same page as a stopped sensor: only the absence of a stop log (the process keeps running) tells them apart" },
  fault: { kind: 'network-detach', service: 'esm-sensor' },
  expectedAlerts: ['sensor-down'],
  allowedAlerts: ['fusion-contributors-dropped'],
  signalDelayS: () => ({ seconds: 0, why: 'the next scrape of the detached container fails' }),
  exampleAlertValue: 1,
  groundTruth: {
    rootCause: { service: 'esm-sensor', aliases: ['esm-sensor', 'esm sensor', 'ESM-2', 'esm'], component: "esm-sensor's network attachment (the container runs, detached from the lab network)" },
    category: 'network-partition',
    categoryPatterns: CATEGORY_PATTERNS['network-partition'],
    summary: 'esm-sensor was detached from the lab network: its process keeps running but nothing can reach it, so its scrape fails, its telemetry stops arriving and DDS loses it after the lease.',
    evidence: [
      { kind: 'metric', signal: 'up', shows: 'the esm-sensor:9102 target is down', query: 'up{job="cms-services", instance="esm-sensor:9102"}' },
      { kind: 'log', signal: 'service_stopping', shows: 'absent: esm-sensor never logged a stop or a signal — its logs simply end', query: '{service_name="esm-sensor"} |= "service_stopping"', absence: true, phrases: ['(never|no|without)[^.]{0,30}(stop|shutdown|sigterm|signal)', 'logs (simply |just )?(end|stop|cease|go quiet)'] },
      { kind: 'log', signal: 'dds_liveliness_changed', shows: "fusion saw ESM's writer lose liveliness (lease expiry, not an orderly goodbye)", query: '{service_name="track-fusion"} |= "dds_liveliness_changed"' },
      { kind: 'log', signal: 'tactical_track_contributors_changed', shows: 'ESM-2 left every tactical track', query: '{service_name="track-fusion"} |= "tactical_track_contributors_changed" |= "ESM-2"' },
    ],
    remediation: {
      summary: 'Reconnect esm-sensor to the lab network (docker network connect); the process needs no restart.',
      actions: ['restore-network'],
      patterns: ['(re)?connect[^.]{0,40}network', 'network connect', 'restore[^.]{0,30}(network|connectivity)', 'reattach'],
    },
    propagation: ['esm-sensor detached from the network while running', 'its scrape fails (sensor-down) and its OTLP export stops', 'DDS lease expires: fusion loses ESM-2 as a contributor (fusion-contributors-dropped)'],
    misattributions: [
      { claim: 'the process crashed or stopped', patterns: ['(crash(ed|es|ing)?|exit(ed|s)?|terminat(ed|ing)|stopp(ed|ing))(?! \\w+ing\\b)[^.]{0,40}(esm|process|container)', '(esm|process|container)[^.]{0,40}(crash|exited|terminated|stopped(?! \\w+ing\\b)|not running)'], penalty: 2 },
      { claim: 'it failed to initialise', patterns: ['fail(ed|ure)? to (start|initiali[sz]e|boot)', 'initiali[sz]ation (error|failure)'], penalty: 2 },
      { claim: 'a DDS QoS mismatch', patterns: ['qos (mismatch|incompatib)', 'incompatible qos'], penalty: 1 },
    ],
  },
};
