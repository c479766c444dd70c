import { CATEGORY_PATTERNS } from '../category-patterns';
import type { ScenarioSpec } from '../types';

export const fusionPartitionCascade: ScenarioSpec = {
  name: 'fusion-partition-cascade',
  title: 'Cascade: fusion publishing into another partition',
  oneLiner: 'The page is on command-center, two hops downstream; fusion, the cause, looks healthy by its own metrics',
  layer: 'transport',
  difficulty: {
    level: 'hard',
    why: "the first alert fires on command-center (no ENGAGE orders) while track-fusion keeps its three tracks and publishes at its usual rate: the chain has to be walked back through threat-evaluator, which hears nothing, to fusion's writer and its PARTITION incompatibility",
  },
  fault: { kind: 'restart-with', service: 'track-fusion', env: { CMS_FORCE_QOS: 'FOREIGN_PARTITION' } },
  expectedAlerts: ['engagement-orders-absent'],
  allowedAlerts: [],
  // the rule looks a minute back: that minute must hold healthy engagements, not a young Prometheus's empty window
  historyS: 75,
  signalDelayS: () => ({ seconds: 62, why: 'track-fusion restarts (~2 s) into the partition no reader listens to; threat-evaluator assesses nothing more, and the 1 m window of ENGAGE orders empties' }),
  exampleAlertValue: 0,
  groundTruth: {
    rootCause: {
      service: 'track-fusion',
      aliases: ['track-fusion', 'track fusion', 'fusion', 'correlator'],
      component: "track-fusion's TacticalTrackTopic writer, in partition 'maintenance' while every reader uses the default partition",
    },
    category: 'transport-partition-mismatch',
    categoryPatterns: CATEGORY_PATTERNS['transport-partition-mismatch'],
    summary:
      "track-fusion was restarted with its TacticalTrackTopic writer in the DDS partition 'maintenance' (CMS_FORCE_QOS=FOREIGN_PARTITION): it keeps fusing and publishing, but threat-evaluator and the display hear nothing, so nothing is assessed, command-center orders nothing and the missile is never engaged.",
    evidence: [
      { kind: 'log', signal: 'dds_incompatible_qos', shows: 'a PARTITION incompatibility on TacticalTrackTopic, reported by the track-fusion writer and the threat-evaluator and display readers', query: '{service_name=~".+"} |= "dds_incompatible_qos" |= "TacticalTrackTopic"', phrases: ['partition[^.]{0,30}(incompatib|mismatch)', 'policy[= ]"?partition'] },
      { kind: 'metric', signal: 'cms_dds_incompatible_qos_total', shows: 'incompatible-QoS events with policy PARTITION on TacticalTrackTopic, by side', query: 'sum by (service_name, topic, policy, side) (cms_dds_incompatible_qos_total)' },
      { kind: 'log', signal: 'dds_writer_ready', shows: "fusion's new TacticalTrackTopic writer runs with env_qos_override=true, qos_profile FOREIGN_PARTITION", query: '{service_name="track-fusion"} |= "dds_writer_ready"', phrases: ['foreign[_ ]partition', "partition[^.]{0,20}'?maintenance"] },
      { kind: 'metric', signal: 'cms_threat_evaluated_total', shows: 'threat-evaluator assesses nothing since fusion restarted', query: 'sum(rate(cms_threat_evaluated_total[1m]))', phrases: ['threat[- ]evaluat\\w*[^.]{0,40}(nothing|no (track|input|assessment)s?|stopped|zero|0)', 'no (threat )?(assessments|evaluations)'] },
      { kind: 'metric', signal: 'cms_fusion_published_total', shows: 'track-fusion keeps publishing tactical tracks at its usual rate, and keeps its three tracks', query: 'rate(cms_fusion_published_total[1m])' },
      { kind: 'metric', signal: 'process_start_time_seconds', shows: 'track-fusion restarted just before the assessments stopped', query: 'process_start_time_seconds{service_name="track-fusion"}' },
    ],
    remediation: {
      summary: "Put track-fusion's writer back in the default partition (unset CMS_FORCE_QOS) and restart it.",
      actions: ['revert-configuration', 'rollback-release'],
      patterns: ['(unset|remove|drop|revert|undo)[^.]{0,30}\\bCMS_FORCE_QOS\\b', '(restore|revert|reset|move|put)[^.]{0,40}(default )?partition', 'partition[^.]{0,40}(restored|reverted|back to|default)', 'roll ?back[^.]{0,30}(track-)?fusion'],
    },
    propagation: [
      "track-fusion restarted with its TacticalTrackTopic writer in partition 'maintenance'",
      'threat-evaluator and tactical-display receive no tactical track (PARTITION incompatibility on both sides)',
      'threat-evaluator assesses nothing: command-center receives no assessment',
      'command-center issues no ENGAGE order for over a minute (engagement-orders-absent); the missile is never engaged',
    ],
    misattributions: [
      { claim: 'command-center or threat-evaluator is the cause', patterns: ['root cause\\W{0,10}(is |was |lies )?(on |in |with )?(the )?(command-center|threat-evaluator|effector-manager)', '(command-center|threat-evaluator)[^.;,]{0,40}(is|was) the (root )?cause', '(bug|defect|crash|stall\\w*|frozen|hung) in (the )?(command-center|threat-evaluator)'], penalty: 1 },
      { claim: 'the targets left or the sensors were lost', patterns: ['(targets?)[^.]{0,20}(left|gone|lost|disappeared)', 'sensors?[^.]{0,30}(is|are|was|were) (down|the (root )?cause)'], penalty: 1 },
      { claim: 'a QoS mismatch on ThreatAssessmentTopic', patterns: ['ThreatAssessmentTopic[^.]{0,40}(incompatib\\w*|mismatch|partition|not delivered)'], penalty: 1 },
    ],
  },
};
