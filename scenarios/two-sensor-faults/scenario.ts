import type { ScenarioSpec } from '../types';

export const twoSensorFaults: ScenarioSpec = {
  name: 'two-sensor-faults',
  title: 'Two faults at once',
  oneLiner: 'The obvious fault hides a second, silent one',
  layer: 'transport',
  difficulty: {
    level: 'hard',
    why: 'the page is the stopped radar\'s, and the radar explains the dropped contributors too: only an agent that checks every sensor finds that ESM-2 publishes into a writer QoS its readers cannot match',
  },
  fault: { kind: 'stop-service', service: 'radar-sensor' },
  additionalFaults: [{ kind: 'restart-with', service: 'esm-sensor', env: { CMS_FORCE_QOS: 'EXCLUSIVE_OWNERSHIP' } }],
  expectedAlerts: ['sensor-down', 'fusion-contributors-dropped'],
  allowedAlerts: [],
  signalDelayS: () => ({ seconds: 0, why: 'the next scrape of the stopped radar fails' }),
  laterSignalDelaysS: {
    'fusion-contributors-dropped': () => ({ seconds: 10, why: "the radar's last sample (and ESM's, whose restart takes ~2 s) must age out of the 8 s contributor window" }),
  },
  // Terraform applies the two faults side by side; the engine applier one after the other, the radar after ESM's variant is healthy
  slackS: 10,
  exampleAlertValue: 1,
  groundTruth: {
    rootCause: { service: 'radar-sensor', aliases: ['radar-sensor', 'radar sensor', 'RADAR-1', 'radar'], component: 'the radar-sensor process (stopped)' },
    additionalRootCauses: [{ service: 'esm-sensor', aliases: ['esm-sensor', 'esm sensor', 'ESM-2', 'esm'], component: "esm-sensor's DDS writer QoS (ownership EXCLUSIVE, incompatible with the SHARED readers)" }],
    category: 'process-stopped',
    categoryPatterns: ['\\b(stopped|exited|shut ?down|not running|process (is )?(down|gone|dead))\\b', 'qos[^.]{0,40}(mismatch|incompatib|conflict)', 'incompatible[^.]{0,20}qos', 'ownership[^.]{0,40}(exclusive|mismatch|incompatib)'],
    summary: 'Two independent faults at once: the radar-sensor process stopped, and esm-sensor was restarted with a writer QoS override (CMS_FORCE_QOS=EXCLUSIVE_OWNERSHIP) its readers cannot match, so fusion hears only EO-3.',
    evidence: [
      { kind: 'metric', signal: 'up', shows: 'the radar-sensor:9101 target is down', query: 'up{job="cms-services", instance="radar-sensor:9101"}' },
      { kind: 'log', signal: 'service_stopping', shows: 'radar-sensor logged an orderly stop', query: '{service_name="radar-sensor"} |= "service_stopping"' },
      { kind: 'log', signal: 'dds_incompatible_qos', shows: 'OWNERSHIP incompatibility on SourceTrackTopic, reported by the esm-sensor writer and by the fusion and display readers', query: '{service_name=~".+"} |= "dds_incompatible_qos"' },
      { kind: 'metric', signal: 'cms_dds_incompatible_qos_total', shows: 'incompatible-QoS events by topic, policy and side', query: 'sum by (service_name, topic, policy, side) (cms_dds_incompatible_qos_total)' },
      { kind: 'log', signal: 'dds_writer_ready', shows: 'the new esm-sensor writer runs with qos_profile EXCLUSIVE_OWNERSHIP', query: '{service_name="esm-sensor"} |= "dds_writer_ready"' },
      { kind: 'metric', signal: 'cms_fusion_ingested_total', shows: 'fusion ingests nothing from RADAR-1 nor ESM-2, while ESM-2 keeps publishing', query: 'sum by (sensor_id) (rate(cms_fusion_ingested_total[1m]))' },
    ],
    remediation: {
      summary: 'Start radar-sensor again, and restart esm-sensor without the QoS override (unset CMS_FORCE_QOS): both, or fusion stays on one sensor.',
      actions: ['start-service', 'revert-configuration'],
      patterns: ['\\b(re)?start(ed|ing)?\\b.{0,40}radar', 'radar.{0,40}\\b(re)?start', '(unset|remove|drop|revert|undo)[^.]{0,30}\\bCMS_FORCE_QOS\\b', '(restore|revert|reset|fix)[^.]{0,30}(esm|ESM-2)[^.]{0,30}qos', 'qos[^.]{0,30}(esm|ESM-2)[^.]{0,30}(restore|revert|reset|back)'],
    },
    propagation: [
      'radar-sensor stopped; independently, esm-sensor restarted with a writer QoS its readers cannot match',
      'the radar scrape fails (sensor-down); DDS matches no ESM-2 reader and reports the OWNERSHIP incompatibility',
      'fusion loses RADAR-1 and ESM-2 as contributors (fusion-contributors-dropped) and keeps every track on EO-3 alone',
    ],
    misattributions: [
      { claim: 'the ESM loss is a consequence of the radar stop', patterns: ['(esm|ESM-2)[^.]{0,60}(because of|due to|caused by|consequence of|follows? from)[^.]{0,30}radar', 'radar[^.]{0,40}(also )?(explains|caused|causes)[^.]{0,40}(esm|ESM-2)'], penalty: 1 },
      { claim: 'a network partition or detached container', patterns: ['network partition', '\\b(detached|disconnected|cut off) from (the )?network', 'network (isolation|outage)'], penalty: 1 },
      { claim: 'track-fusion is the cause', patterns: ['root cause\\W{0,10}(is |was |lies )?(on |in |with )?(the )?track-fusion', 'track-fusion[^.]{0,40}(is|was) the (root )?cause'], penalty: 1 },
    ],
  },
};
