import type { ScenarioSpec } from '../types';

export const ddsQosMismatch: ScenarioSpec = {
  name: 'dds-qos-mismatch',
  title: 'DDS QoS mismatch',
  oneLiner: 'Transport-layer silent message loss; hardest to diagnose',
  layer: 'transport',
  difficulty: { level: 'hard', why: "nothing fails and every process is up: the page fires on track-fusion while the cause is a writer's QoS on esm-sensor, visible only in DDS status counters and a start-up log" },
  // RELIABLE against a BEST_EFFORT reader (the original override) is compatible and loses nothing;
  // an EXCLUSIVE ownership offer against a SHARED request is a genuine incompatibility
  fault: { kind: 'restart-with', service: 'esm-sensor', env: { CMS_FORCE_QOS: 'EXCLUSIVE_OWNERSHIP' } },
  expectedAlerts: ['fusion-contributors-dropped'],
  allowedAlerts: [],
  signalDelayS: () => ({ seconds: 10, why: 'ESM restarts (~2 s), then its last sample must age out of the 8 s contributor window' }),
  exampleAlertValue: 3,
  groundTruth: {
    rootCause: {
      service: 'esm-sensor',
      aliases: ['esm-sensor', 'esm sensor', 'ESM-2', 'esm'],
      component: "esm-sensor's DDS writer QoS (ownership EXCLUSIVE, incompatible with the SHARED readers)",
    },
    category: 'transport-qos-mismatch',
    categoryPatterns: ['qos[^.]{0,40}(mismatch|incompatib|conflict)', 'incompatible[^.]{0,20}qos', '(requested|offered)[_ ]incompatible', 'ownership[^.]{0,40}(exclusive|mismatch|incompatib)'],
    summary: "esm-sensor was restarted with a writer QoS override (CMS_FORCE_QOS=EXCLUSIVE_OWNERSHIP) that its readers cannot match, so DDS discovers it but delivers none of its samples: it keeps publishing while fusion hears nothing from ESM-2.",
    evidence: [
      { kind: 'log', signal: 'dds_incompatible_qos', shows: 'OWNERSHIP incompatibility on SourceTrackTopic, reported by the esm-sensor writer and by the fusion and display readers', query: '{service_name=~".+"} |= "dds_incompatible_qos"' },
      { kind: 'metric', signal: 'cms_dds_incompatible_qos_total', shows: 'incompatible-QoS events by topic, policy and side', query: 'sum by (service_name, topic, policy, side) (cms_dds_incompatible_qos_total)' },
      { kind: 'log', signal: 'dds_writer_ready', shows: 'the new esm-sensor writer runs with env_qos_override=true, qos_profile EXCLUSIVE_OWNERSHIP', query: '{service_name="esm-sensor"} |= "dds_writer_ready"' },
      { kind: 'metric', signal: 'cms_sensor_published_total', shows: 'ESM-2 keeps publishing at its usual rate…', query: 'rate(cms_sensor_published_total{sensor_id="ESM-2"}[1m])' },
      { kind: 'metric', signal: 'cms_fusion_ingested_total', shows: '…while fusion ingests nothing from ESM-2', query: 'rate(cms_fusion_ingested_total{sensor_id="ESM-2"}[1m])' },
      { kind: 'log', signal: 'tactical_track_contributors_changed', shows: 'ESM-2 removed from every tactical track', query: '{service_name="track-fusion"} |= "tactical_track_contributors_changed" |= "ESM-2"' },
    ],
    remediation: {
      summary: "Restore esm-sensor's canonical writer QoS: remove the CMS_FORCE_QOS override and restart it.",
      actions: ['revert-configuration'],
      patterns: ['(remove|unset|drop|revert|delete|undo)[^.]{0,30}\\bcms_force_qos\\b', '\\bcms_force_qos\\b[^.]{0,20}(removed|unset|dropped)', '(remove|revert|restore|undo|drop)[^.]{0,50}(qos|override)', '(canonical|default|original|matching)[^.]{0,20}qos'],
    },
    propagation: [
      'esm-sensor restarted with an incompatible writer QoS',
      'DDS matches nothing between its writer and the readers (incompatible QoS on both sides)',
      'fusion stops ingesting ESM-2 while ESM-2 still publishes',
      'ESM-2 leaves every tactical track (fusion-contributors-dropped); radar and EO keep all three tracks',
    ],
    misattributions: [
      { claim: 'esm-sensor crashed or is down', patterns: ['esm[^.]{0,30}(crash|is down|went down|stopped(?! \\w+ing\\b)|not running|offline)', '(crash|down)[^.]{0,20}esm'], penalty: 2 },
      { claim: 'a network partition', patterns: ['network partition', '(detached|disconnected) from (the )?network', 'unreachable'], penalty: 1 },
      { claim: 'a track-fusion bug', patterns: ['(bug|defect|regression) in track-fusion', 'track-fusion[^.]{0,40}(bug|defect)'], penalty: 1 },
    ],
  },
};
