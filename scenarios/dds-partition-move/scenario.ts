import { CATEGORY_PATTERNS } from '../category-patterns';
import type { ScenarioSpec } from '../types';

export const ddsPartitionMove: ScenarioSpec = {
  name: 'dds-partition-move',
  title: 'DDS partition move',
  oneLiner: 'A writer published into a partition no reader listens to',
  layer: 'transport',
  difficulty: {
    level: 'hard',
    why: "every process is up and radar-sensor keeps publishing: only DDS status (a PARTITION incompatibility, which Cyclone 0.10 reports on both sides) and a start-up log of its writer say why fusion hears nothing from it",
  },
  fault: { kind: 'restart-with', service: 'radar-sensor', env: { CMS_FORCE_QOS: 'FOREIGN_PARTITION' } },
  expectedAlerts: ['fusion-contributors-dropped'],
  allowedAlerts: [],
  signalDelayS: () => ({ seconds: 10, why: 'the radar restarts (~2 s), then its last sample must age out of the 8 s contributor window' }),
  exampleAlertValue: 3,
  groundTruth: {
    rootCause: {
      service: 'radar-sensor',
      aliases: ['radar-sensor', 'radar sensor', 'RADAR-1', 'radar'],
      component: "radar-sensor's DDS writer, in partition 'maintenance' while every reader uses the default partition",
    },
    category: 'transport-partition-mismatch',
    categoryPatterns: CATEGORY_PATTERNS['transport-partition-mismatch'],
    summary: "radar-sensor was restarted with its writer moved to the DDS partition 'maintenance' (CMS_FORCE_QOS=FOREIGN_PARTITION); every reader listens to the default partition, so nothing is delivered: it keeps publishing while fusion hears nothing from RADAR-1.",
    evidence: [
      { kind: 'log', signal: 'dds_incompatible_qos', shows: 'a PARTITION incompatibility on SourceTrackTopic, reported by the radar-sensor writer and by the fusion and display readers', query: '{service_name=~".+"} |= "dds_incompatible_qos"', phrases: ['partition[^.]{0,30}(incompatib|mismatch)', 'policy[= ]"?partition'] },
      { kind: 'metric', signal: 'cms_dds_incompatible_qos_total', shows: 'incompatible-QoS events with policy PARTITION by topic and side', query: 'sum by (service_name, topic, policy, side) (cms_dds_incompatible_qos_total)' },
      { kind: 'log', signal: 'dds_writer_ready', shows: "the new radar-sensor writer runs with env_qos_override=true, qos_profile FOREIGN_PARTITION", query: '{service_name="radar-sensor"} |= "dds_writer_ready"', phrases: ['foreign[_ ]partition', "partition[^.]{0,20}'?maintenance"] },
      { kind: 'metric', signal: 'cms_sensor_published_total', shows: 'RADAR-1 keeps publishing at its usual rate…', query: 'rate(cms_sensor_published_total{sensor_id="RADAR-1"}[1m])' },
      { kind: 'metric', signal: 'cms_fusion_ingested_total', shows: '…while fusion ingests nothing from RADAR-1', query: 'rate(cms_fusion_ingested_total{sensor_id="RADAR-1"}[1m])' },
      { kind: 'log', signal: 'tactical_track_contributors_changed', shows: 'RADAR-1 removed from every tactical track', query: '{service_name="track-fusion"} |= "tactical_track_contributors_changed" |= "RADAR-1"' },
    ],
    remediation: {
      summary: "Put radar-sensor's writer back in the default partition: remove the CMS_FORCE_QOS override and restart it.",
      actions: ['revert-configuration'],
      patterns: ['(remove|unset|drop|revert|delete|undo)[^.]{0,30}\\bcms_force_qos\\b', '\\bcms_force_qos\\b[^.]{0,20}(removed|unset|dropped)', '(remove|revert|restore|undo|drop)[^.]{0,50}(qos|override|partition)', '(default|canonical|original|same)[^.]{0,20}partition', 'partition[^.]{0,30}back'],
    },
    propagation: [
      "radar-sensor restarted with its writer in partition 'maintenance'",
      'DDS matches none of the readers in the default partition (a PARTITION incompatibility on both sides)',
      'fusion stops ingesting RADAR-1 while RADAR-1 still publishes',
      'RADAR-1 leaves every tactical track (fusion-contributors-dropped); ESM and EO keep all three tracks',
    ],
    misattributions: [
      { claim: 'radar-sensor crashed or is down', patterns: ['radar[^.]{0,30}(crash|is down|went down|stopped(?! \\w+ing\\b)|not running|offline)', '(crash|down)[^.]{0,20}radar'], penalty: 2 },
      { claim: 'a network partition', patterns: ['network partition', '(detached|disconnected) from (the )?network', 'unreachable'], penalty: 1 },
      { claim: 'a track-fusion bug', patterns: ['(bug|defect|regression) in track-fusion', 'track-fusion[^.]{0,40}(bug|defect)'], penalty: 1 },
    ],
  },
};
