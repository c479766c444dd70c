/**
 * The alert rules: the seven of the reference table, then the symptom rules later scenarios needed, with their exact PromQL,
 * `for`, severity and a runbook each. Grafana's rule group, the Prometheus
 * rules file for the native harness, the runbooks and the scenarios' alert
 * payloads are all rendered from this list.
 *
 * Runbooks are generic on purpose: they list every plausible cause of the
 * symptom, never which fault a scenario injected (agents can read them).
 */
import type { ServiceName } from './services';
import { SENSOR_SERVICES, SERVICE_NAMES, sensorSpecs } from './services';
import { STEADY_STATE } from './simulation';

export type Severity = 'critical' | 'warning';

/** How an alert instance names the service it concerns (the `pipeline_name` label agents key on). */
export type PipelineName =
  /** the series carries the scrape label `service_name` */
  | { readonly from: 'series' }
  /** always this service (the expression aggregates the label away) */
  | { readonly from: 'static'; readonly service: ServiceName }
  /** mapped from the series' `sensor_id` */
  | { readonly from: 'sensor_id' };

export interface Runbook {
  /** What the alert means, in one or two sentences. */
  readonly means: string;
  /**
   * The plausible causes an on-call SRE weighs first, several per alert (an
   * agent reads this: it names candidates, never how any fault was made).
   */
  readonly candidateCauses: readonly string[];
  readonly diagnose: {
    /** Dashboard panel titles of the CMS overview to open first. */
    readonly panels: readonly string[];
    readonly logql: readonly string[];
    readonly traceql: readonly string[];
    /** Questions that tell the plausible causes apart. */
    readonly distinguish: readonly string[];
  };
  readonly mitigate: readonly string[];
}

export interface AlertRule {
  /** Rule uid in Grafana and alert name in Prometheus. */
  readonly uid: string;
  readonly title: string;
  readonly expr: string;
  /** Prometheus duration. */
  readonly for: string;
  readonly severity: Severity;
  /** Services whose signals the rule reads (validated against the model). */
  readonly services: readonly ServiceName[];
  readonly pipelineName: PipelineName;
  readonly summary: string;
  readonly description: string;
  readonly runbook: Runbook;
}

export const ALERT_RULES: readonly AlertRule[] = [
  {
    uid: 'sensor-down',
    title: 'Sensor down',
    expr: '(1 - up{job="cms-services", instance=~"(radar|esm|eo)-sensor:.+"}) > 0',
    for: '30s',
    severity: 'critical',
    services: [...SENSOR_SERVICES],
    pipelineName: { from: 'series' },
    summary: 'Prometheus cannot scrape {{ $labels.instance }}',
    description: 'The scrape of sensor target {{ $labels.instance }} has failed for more than 30 seconds: the process is down or unreachable.',
    runbook: {
      means: 'Prometheus has not been able to scrape a sensor for 30 s. Either the sensor process is not running, or it runs but cannot be reached over the network.',
      candidateCauses: [
        'The sensor process stopped or crashed (exit, OOM kill, failed restart).',
        'The sensor is running but unreachable: its network attachment, a firewall or a routing change.',
        'The sensor is up but its metrics endpoint hangs (event loop blocked, CPU starved) so scrapes time out.',
        'Prometheus itself lost the target (scrape configuration or service discovery changed).',
      ],
      diagnose: {
        panels: ['Scrape targets up', 'Source tracks ingested by fusion, per sensor'],
        logql: ['{service_name="<sensor>"}', '{service_name="track-fusion"} |= "dds_liveliness_changed"', '{service_name="track-fusion"} |= "tactical_track_contributors_changed"'],
        traceql: ['{ resource.service.name = "<sensor>" }'],
        distinguish: [
          'Did the sensor log service_stopping or signal_received? An orderly stop or crash leaves a last record; a detached container simply goes silent.',
          'Is the container still in the running state (docker ps)? Running but unscrapable means a network problem, not a process one.',
          'Did fusion see the sensor leave DDS discovery (dds_liveliness_changed, contributors removed) at the same moment?',
        ],
      },
      mitigate: ['Start the sensor again if it stopped or crashed.', 'Reconnect it to the lab network if it is detached.', 'Check the container restart policy and exit code.'],
    },
  },
  {
    uid: 'fusion-latency-high',
    title: 'Fusion latency above SLO',
    expr: 'histogram_quantile(0.95, sum(rate(cms_fusion_processing_seconds_bucket[1m])) by (le)) > 0.5',
    for: '1m',
    severity: 'critical',
    services: ['track-fusion'],
    pipelineName: { from: 'static', service: 'track-fusion' },
    summary: 'track-fusion p95 processing latency is {{ printf "%.2f" $value }} s (SLO 0.5 s)',
    description: 'The 95th percentile of cms_fusion_processing_seconds, from a sensor writing a source track to fusion publishing its tactical track, has exceeded 500 ms for a minute.',
    runbook: {
      means: 'Source tracks wait too long in track-fusion before their tactical track is published: fusion cannot keep up with its inflow.',
      candidateCauses: [
        'track-fusion has too little CPU (a quota, a noisy neighbour, throttling).',
        'Inflow above capacity: a sensor publishing far above its declared rate, or more targets than usual.',
        'track-fusion is slowed by memory pressure (garbage collection on a growing heap).',
        'A recent track-fusion deployment or configuration change made correlation slower.',
      ],
      diagnose: {
        panels: ['Fusion processing latency p95', 'Fusion queue depth', 'Source tracks ingested by fusion, per sensor', 'Sensor publish rate'],
        logql: ['{service_name="track-fusion"} |= "fusion_queue_full_dropping"'],
        traceql: ['{ resource.service.name = "track-fusion" && name = "fusion.ingest" } | duration > 500ms'],
        distinguish: [
          'Is the inflow (sum of cms_fusion_ingested_total rates) at its usual ~47/s, or far above it? Normal inflow with high latency points at fusion itself.',
          'Is fusion CPU-throttled or saturated (process_cpu_seconds_total against its quota)?',
          'Is one sensor publishing far above its declared rate?',
        ],
      },
      mitigate: ['Remove the CPU constraint on track-fusion or give it more CPU.', 'If a sensor floods, restore its publish rate.'],
    },
  },
  {
    uid: 'tactical-tracks-collapsed',
    title: 'Tactical tracks collapsed',
    expr: `(${STEADY_STATE.activeTracks} - cms_fusion_active_tracks) > 0`,
    for: '1m',
    severity: 'warning',
    services: ['track-fusion'],
    pipelineName: { from: 'series' },
    summary: 'track-fusion maintains fewer tactical tracks than expected ({{ printf "%.0f" $value }} missing)',
    description: `track-fusion has maintained fewer than ${STEADY_STATE.activeTracks} tactical tracks for a minute: some targets are not being tracked.`,
    runbook: {
      means: `Fewer than the ${STEADY_STATE.activeTracks} expected tactical tracks exist: fusion is not receiving enough sensor data to keep every target, or it restarted and has not rebuilt its picture.`,
      candidateCauses: [
        'Sensor feeds are missing: one or more sensors stopped, are unreachable, or their samples are not delivered.',
        'track-fusion restarted (crash, OOM kill, redeploy) and has not rebuilt its picture yet.',
        'track-fusion is overloaded and drops or delays source tracks until tracks age out.',
        'DDS delivery between sensors and fusion broke (QoS incompatibility, partition, discovery).',
      ],
      diagnose: {
        panels: ['Active tactical tracks', 'Source tracks ingested by fusion, per sensor', 'Scrape targets up'],
        logql: ['{service_name="track-fusion"} |= "tactical_track_dropped"', '{service_name="track-fusion"} |= "service_starting"'],
        traceql: ['{ resource.service.name = "track-fusion" && name = "fusion.ingest" }'],
        distinguish: ['Which sensors still feed fusion?', 'Did track-fusion restart (process_start_time_seconds, service_starting)?'],
      },
      mitigate: ['Restore the missing sensor feeds.', 'If fusion restarted, find out why (exit code, memory) before it happens again.'],
    },
  },
  {
    uid: 'sensor-flood',
    title: 'Sensor publish-rate anomaly',
    expr: 'sum by (sensor_id) (rate(cms_sensor_published_total[1m])) > 100',
    for: '30s',
    severity: 'critical',
    services: [...SENSOR_SERVICES],
    pipelineName: { from: 'sensor_id' },
    summary: '{{ $labels.sensor_id }} publishes {{ printf "%.0f" $value }} source tracks per second',
    description: 'A sensor has published more than 100 source tracks per second for 30 seconds; at steady state each publishes at most a few tens.',
    runbook: {
      means: 'One sensor writes far more source tracks than its declared scan rate allows. Downstream services (fusion first) see the extra load as a symptom.',
      candidateCauses: [
        'The sensor was redeployed with a wrong rate configuration.',
        'A software change in the sensor re-publishes samples (a loop, retries).',
        'The sensor is seeing far more targets than usual (a real surge, or a simulation change).',
      ],
      diagnose: {
        panels: ['Sensor publish rate', 'Fusion queue depth', 'Fusion processing latency p95'],
        logql: ['{service_name="<sensor>"} |= "sensor_started"', '{service_name="<sensor>"} |= "sensor_heartbeat"'],
        traceql: ['{ name =~ "sensor.scan.*" }'],
        distinguish: [
          'Compare sensor_heartbeat publish_rate_hz_observed with target_rate_hz and with the other sensors.',
          'Does sensor_started show a target_rate_hz different from the usual one (a configuration change)?',
        ],
      },
      mitigate: ['Restore the sensor configuration (its PUBLISH_RATE_HZ) and restart it.'],
    },
  },
  {
    uid: 'fusion-queue-deep',
    title: 'Fusion queue deep',
    expr: 'cms_fusion_queue_depth > 1000',
    for: '1m',
    severity: 'warning',
    services: ['track-fusion'],
    pipelineName: { from: 'series' },
    summary: 'track-fusion has {{ printf "%.0f" $value }} source tracks waiting',
    description: 'More than 1000 source tracks have been waiting in track-fusion for a minute: back-pressure.',
    runbook: {
      means: 'track-fusion takes source tracks off DDS faster than it correlates them; its bounded inbox is filling up and will start dropping.',
      candidateCauses: [
        'track-fusion has too little CPU to correlate its inflow.',
        'Inflow above capacity: a sensor publishing far above its declared rate.',
        'track-fusion is slowed by memory pressure or garbage collection.',
      ],
      diagnose: {
        panels: ['Fusion queue depth', 'Fusion processing latency p95', 'Fusion resident memory'],
        logql: ['{service_name="track-fusion"} |= "fusion_queue_full_dropping"'],
        traceql: ['{ resource.service.name = "track-fusion" && name = "fusion.ingest" } | duration > 1s'],
        distinguish: ['Is the inflow normal? Is fusion short of CPU or close to a memory limit?'],
      },
      mitigate: ['Relieve the constraint on track-fusion or reduce its inflow.'],
    },
  },
  {
    uid: 'fusion-contributors-dropped',
    title: 'Sensor dropped out of fused tracks',
    expr: 'sum(increase(cms_fusion_contributors_changed_total{change="removed"}[2m])) > 0',
    for: '30s',
    severity: 'warning',
    services: ['track-fusion'],
    pipelineName: { from: 'static', service: 'track-fusion' },
    summary: 'A sensor stopped contributing to tactical tracks',
    description: 'In the last 2 minutes a sensor left the contributing-sensor set of tactical tracks.',
    runbook: {
      means: 'track-fusion stopped receiving a sensor that used to contribute to its tracks. The sensor may be down, unreachable, or its samples may no longer be delivered.',
      candidateCauses: [
        'The sensor stopped or crashed.',
        'The sensor is running but unreachable over the network.',
        'The sensor runs and is reachable, but DDS no longer delivers its samples to fusion (incompatible QoS, a different partition or domain).',
        'The sensor runs but publishes nothing (stuck, or no targets in view).',
      ],
      diagnose: {
        panels: ['Source tracks ingested by fusion, per sensor', 'Sensor publish rate', 'DDS incompatible QoS events', 'Scrape targets up'],
        logql: [
          '{service_name="track-fusion"} |= "tactical_track_contributors_changed"',
          '{service_name=~".+"} |= "dds_incompatible_qos"',
          '{service_name=~".+"} |= "dds_writer_ready"',
        ],
        traceql: ['{ resource.service.name = "track-fusion" && name = "fusion.ingest" }'],
        distinguish: [
          'Which sensor left (the removed field)? Is that sensor still up and still publishing (cms_sensor_published_total)?',
          'A sensor that publishes while fusion ingests nothing from it points at the transport: look for dds_incompatible_qos on either side and at the writer QoS in dds_writer_ready.',
        ],
      },
      mitigate: ['Bring the sensor back, or restore its writer to the canonical QoS profile.'],
    },
  },
  {
    uid: 'fusion-memory-elevated',
    title: 'Fusion memory elevated',
    expr: 'cms_fusion_memory_bytes > 200000000',
    for: '1m',
    severity: 'warning',
    services: ['track-fusion'],
    pipelineName: { from: 'series' },
    summary: 'track-fusion resident memory is {{ printf "%.0f" $value }} bytes',
    description: 'track-fusion resident memory has been above 200 MB for a minute; at steady state it stays below 100 MB.',
    runbook: {
      means: 'track-fusion holds far more memory than its working set needs. If it keeps growing it will be killed by its memory limit.',
      candidateCauses: [
        'A memory leak in track-fusion (something retained per message or per track).',
        'A larger working set than usual: more targets or tracks than usual, or a flood of source tracks.',
        'A configuration change (cache or queue sizes) that lets fusion hold more.',
      ],
      diagnose: {
        panels: ['Fusion resident memory', 'Fusion queue depth', 'Source tracks ingested by fusion, per sensor'],
        logql: ['{service_name="track-fusion"} |= "service_starting"'],
        traceql: ['{ resource.service.name = "track-fusion" }'],
        distinguish: [
          'Is memory growing steadily with ingest (a leak) or in a step (a burst that will be released)?',
          'Did the queue grow too (memory held by waiting messages), or is memory growing with an empty queue?',
        ],
      },
      mitigate: ['Restart track-fusion to reclaim memory, then find and fix what retains it.'],
    },
  },
  {
    uid: 'tactical-tracks-excess',
    title: 'More tactical tracks than targets',
    expr: `(cms_fusion_active_tracks - ${STEADY_STATE.activeTracks}) > 0`,
    for: '30s',
    severity: 'warning',
    services: ['track-fusion'],
    pipelineName: { from: 'series' },
    summary: 'track-fusion maintains {{ printf "%.0f" $value }} tactical track(s) more than there are targets',
    description: `track-fusion has maintained more than ${STEADY_STATE.activeTracks} tactical tracks for 30 seconds: some targets are tracked twice, or tracks exist with no target behind them.`,
    runbook: {
      means: `More than the ${STEADY_STATE.activeTracks} expected tactical tracks exist: the picture shows duplicate or ghost tracks, which the threat evaluation and the operators then act on.`,
      candidateCauses: [
        'A sensor reports positions that disagree with the others (miscalibration, a wrong reference frame or time base), so its measurements start tracks of their own.',
        'track-fusion correlates too strictly (a changed gate or a correlation regression) and splits one target into several tracks.',
        'Real targets entered the surveillance area (a genuine change of the picture).',
        'Delayed or reordered source tracks (an overloaded fusion, clock skew) land outside the gate of their own track.',
      ],
      diagnose: {
        panels: ['Active tactical tracks', 'Source tracks ingested by fusion, per sensor', 'Contributor changes'],
        logql: ['{service_name="track-fusion"} |= "tactical_track_initiated"', '{service_name="track-fusion"} |= "tactical_track_contributors_changed"'],
        traceql: ['{ resource.service.name = "track-fusion" && name = "fusion.ingest" }'],
        distinguish: ['Which sensors contribute to the extra tracks: all, or one alone?', 'Did a sensor restart or change just before the extra tracks appeared?', 'Is fusion keeping up (queue depth, processing latency)?'],
      },
      mitigate: ['Take the disagreeing sensor out of fusion or restore its calibration.', 'Roll back a recent change of the fusion configuration.'],
    },
  },
  {
    uid: 'engagement-orders-absent',
    title: 'No engagement orders',
    expr: 'sum(increase(cms_orders_issued_total{action="ENGAGE"}[1m])) < 1',
    for: '30s',
    severity: 'critical',
    services: ['command-center'],
    pipelineName: { from: 'static', service: 'command-center' },
    summary: 'command-center has issued no ENGAGE order for over a minute',
    description: 'command-center, which re-issues an ENGAGE order for every HIGH or CRITICAL threat every few seconds, has issued none for more than a minute: hostile tracks may be going unengaged.',
    runbook: {
      means: 'No ENGAGE mission order has been written for over a minute. Either no track is assessed HIGH or CRITICAL any more, or assessments do not reach command-center, or its orders cannot be written.',
      candidateCauses: [
        'The threat picture really holds no HIGH or CRITICAL threat (targets gone, or tracks lost upstream in the sensors or fusion).',
        "threat-evaluator assesses real threats too low: its scoring or level thresholds changed (a configuration or release), or the tracks' classification, speed or altitude arrive wrong.",
        'Assessments do not reach command-center: threat-evaluator stopped or stalled, or a QoS or partition mismatch on ThreatAssessmentTopic.',
        'command-center stalls or cannot write orders (CPU starved, blocked on MissionOrderTopic).',
      ],
      diagnose: {
        panels: ['Threat evaluations by level', 'Mission orders per action', 'Active tactical tracks'],
        logql: ['{service_name="threat-evaluator"}', '{service_name="command-center"} |= "mission_order_issued"'],
        traceql: ['{ resource.service.name = "threat-evaluator" && name = "threat.evaluate" }', '{ resource.service.name = "command-center" }'],
        distinguish: [
          'Are tactical tracks still there (active tracks, fusion publish rate)? Without tracks there is nothing to engage.',
          'Is threat-evaluator still assessing, and at which levels (threat evaluations by level)? MONITOR orders still flowing means assessments arrive but none is HIGH or CRITICAL.',
          "Did a service restart or change just before the orders stopped? Compare the scores and levels in threat.evaluate spans with the documented thresholds.",
        ],
      },
      mitigate: ['Restore the threat evaluation configuration of the last known-good release.', 'Restart whichever stage stopped passing data on.', 'Hand the engagement decision to the operators until orders flow again.'],
    },
  },
  {
    uid: 'service-restarting',
    title: 'Service restarting repeatedly',
    // five starts within 2 min, processes living under half a minute: a crash or restart loop, not a redeploy or two
    // (nor a test runner's reset, fault and revert, which restart one service three times at most)
    expr: 'changes(process_start_time_seconds{job="cms-services"}[2m]) >= 5',
    for: '30s',
    severity: 'warning',
    services: [...SERVICE_NAMES],
    pipelineName: { from: 'series' },
    summary: '{{ $labels.service_name }} has started {{ printf "%.0f" $value }} times in 2 minutes',
    description: 'The process behind {{ $labels.instance }} has been started again and again: five or more new process start times within two minutes.',
    runbook: {
      means: 'A CMS service keeps coming back with a new process: it exits (or is restarted) and its restart policy or an operator starts it again, five times or more within two minutes.',
      candidateCauses: [
        'The process crashes soon after starting (a fatal error, an OOM kill under its memory limit) and its restart policy brings it back.',
        'Something restarts it from outside: a deployment loop, a health check that kills it, an operator or a script.',
        'It refuses its configuration and exits (service_config_invalid), then is started with the same configuration again.',
      ],
      diagnose: {
        panels: ['Scrape targets up'],
        logql: ['{service_name="<service>"} |= "service_starting"', '{service_name="<service>"} |= "service_stopping"'],
        traceql: ['{ resource.service.name = "<service>" }'],
        distinguish: [
          'What did each process log last: service_stopping with a signal (restarted from outside), a fatal error, or nothing (killed)?',
          "Does anything depend on this service? A consumer that publishes nothing restarting explains no symptom downstream of it: look at the alerts on the data flow separately.",
          'Did its memory grow towards its limit before each exit?',
        ],
      },
      mitigate: ['Find what restarts it (its last log records, the restart policy, deployments) and stop the loop.', 'If it crashes, roll back to its last good release or configuration.'],
    },
  },
];

/**
 * Annotation and label templates are written the Prometheus way (`$value`).
 * Grafana exposes the evaluated number as `$values.<refId>.Value` instead;
 * its rules reduce into stage B.
 */
export function forGrafana(template: string): string {
  return template.replace(/\$value\b/g, '$values.B.Value');
}

/** Go template for the `pipeline_name` label of a rule (valid in both Grafana and Prometheus rule labels). */
export function pipelineNameTemplate(rule: AlertRule): string {
  switch (rule.pipelineName.from) {
    case 'series':
      return '{{ $labels.service_name }}';
    case 'static':
      return rule.pipelineName.service;
    case 'sensor_id': {
      const branches = sensorSpecs().map(({ service, sensor }, i) => `${i === 0 ? '{{ if' : '{{ else if'} eq $labels.sensor_id "${sensor.sensorId}" }}${service}`);
      return `${branches.join('')}{{ else }}{{ $labels.sensor_id }}{{ end }}`;
    }
  }
}

/** The value of `pipeline_name` for a concrete series (what the templates above evaluate to). */
export function pipelineNameFor(rule: AlertRule, labels: Readonly<Record<string, string>>): string {
  switch (rule.pipelineName.from) {
    case 'series':
      return labels.service_name ?? '';
    case 'static':
      return rule.pipelineName.service;
    case 'sensor_id':
      return sensorSpecs().find((s) => s.sensor.sensorId === labels.sensor_id)?.service ?? labels.sensor_id ?? '';
  }
}

export function alertRule(uid: string): AlertRule {
  const rule = ALERT_RULES.find((r) => r.uid === uid);
  if (!rule) throw new Error(`unknown alert rule '${uid}'; one of ${ALERT_RULES.map((r) => r.uid).join(', ')}`);
  return rule;
}
