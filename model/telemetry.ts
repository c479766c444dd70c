import { SENSOR_SERVICES, SERVICE_NAMES, type ServiceName } from './services';
import { EFFECTOR } from './simulation';
import { TOPIC_NAMES } from './topics';

/**
 * The telemetry contract: every metric, log event and span the CMS services
 * emit, with the exact names of the reference tables. Services instantiate
 * their instruments and loggers from these tables (so a name cannot drift),
 * the tests assert /metrics, logs and traces against them, and the docs and
 * the agents' hallucination check are rendered from them.
 */

const ALL = SERVICE_NAMES;
const SENSORS = SENSOR_SERVICES;

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricSpec {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly labels: readonly string[];
  readonly services: readonly ServiceName[];
  readonly buckets?: readonly number[];
  /** Label values the contract fixes (closed sets). */
  readonly labelValues?: Readonly<Record<string, readonly string[]>>;
}

const LATENCY_BUCKETS_FAST = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1] as const;

export const METRICS = [
  // --- DDS status signals, every service -------------------------------------------------
  {
    name: 'cms_dds_incompatible_qos_total',
    type: 'counter',
    help: 'Requested (reader) or offered (writer) incompatible-QoS events reported by Cyclone DDS, by topic, policy and side',
    labels: ['topic', 'policy', 'side'],
    services: ALL,
    labelValues: { side: ['reader', 'writer'] },
  },
  {
    name: 'cms_dds_matched_endpoints',
    type: 'gauge',
    help: 'Remote DDS endpoints currently matched with this service\'s readers or writers, by topic and side',
    labels: ['topic', 'side'],
    services: ALL,
    labelValues: { side: ['reader', 'writer'] },
  },
  {
    name: 'cms_dds_samples_rejected_total',
    type: 'counter',
    help: 'Samples refused before writing or after reading because a field was missing or invalid',
    labels: ['topic', 'side', 'reason'],
    services: ALL,
    labelValues: { side: ['reader', 'writer'] },
  },
  // --- sensors ---------------------------------------------------------------------------
  {
    name: 'cms_sensor_published_total',
    type: 'counter',
    help: 'Source tracks written',
    labels: ['sensor_id'],
    services: SENSORS,
  },
  {
    name: 'cms_sensor_publish_seconds',
    type: 'histogram',
    help: 'Wall-clock per write',
    labels: ['sensor_id'],
    services: SENSORS,
    buckets: LATENCY_BUCKETS_FAST,
  },
  {
    name: 'cms_sensor_undetected_total',
    type: 'counter',
    help: 'Targets missed by detection probability',
    labels: ['sensor_id'],
    services: SENSORS,
  },
  // --- track-fusion ----------------------------------------------------------------------
  {
    name: 'cms_fusion_ingested_total',
    type: 'counter',
    help: 'Source tracks ingested per sensor',
    labels: ['sensor_id'],
    services: ['track-fusion'],
  },
  {
    name: 'cms_fusion_published_total',
    type: 'counter',
    help: 'Tactical tracks published',
    labels: [],
    services: ['track-fusion'],
  },
  {
    name: 'cms_fusion_processing_seconds',
    type: 'histogram',
    help: 'Per source track: seconds from the sensor writing it (DDS source timestamp) to fusion publishing the updated tactical track; includes transport, waiting in the reader and the inbox, and correlation',
    labels: [],
    services: ['track-fusion'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  },
  {
    name: 'cms_fusion_queue_depth',
    type: 'gauge',
    help: 'Pending source tracks awaiting fusion',
    labels: [],
    services: ['track-fusion'],
  },
  {
    name: 'cms_fusion_active_tracks',
    type: 'gauge',
    help: 'Currently maintained tactical tracks',
    labels: [],
    services: ['track-fusion'],
  },
  {
    name: 'cms_fusion_memory_bytes',
    type: 'gauge',
    help: 'Process RSS, sampled about once per second',
    labels: [],
    services: ['track-fusion'],
  },
  {
    name: 'cms_fusion_contributors_changed_total',
    type: 'counter',
    help: "Changes of a tactical track's contributing-sensor set",
    labels: ['change'],
    services: ['track-fusion'],
    labelValues: { change: ['added', 'removed'] },
  },
  // --- threat-evaluator ------------------------------------------------------------------
  {
    name: 'cms_threat_evaluated_total',
    type: 'counter',
    help: 'Per-level evaluations',
    labels: ['level'],
    services: ['threat-evaluator'],
    labelValues: { level: ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] },
  },
  {
    name: 'cms_threat_processing_seconds',
    type: 'histogram',
    help: 'Per-track evaluation wall-clock',
    labels: [],
    services: ['threat-evaluator'],
    buckets: LATENCY_BUCKETS_FAST,
  },
  {
    name: 'cms_threat_level_transitions_total',
    type: 'counter',
    help: 'Per-track level transitions',
    labels: ['from_level', 'to_level'],
    services: ['threat-evaluator'],
  },
  // --- command-center --------------------------------------------------------------------
  {
    name: 'cms_orders_issued_total',
    type: 'counter',
    help: 'Mission orders issued',
    labels: ['action'],
    services: ['command-center'],
    labelValues: { action: ['ENGAGE', 'MONITOR'] },
  },
  {
    name: 'cms_command_processing_seconds',
    type: 'histogram',
    help: 'Per-order build + write wall-clock',
    labels: [],
    services: ['command-center'],
    buckets: LATENCY_BUCKETS_FAST,
  },
  // --- effector-manager ------------------------------------------------------------------
  {
    name: 'cms_orders_received_total',
    type: 'counter',
    help: 'Mission orders received',
    labels: ['action'],
    services: ['effector-manager'],
    labelValues: { action: ['ENGAGE', 'MONITOR'] },
  },
  {
    name: 'cms_engagement_outcomes_total',
    type: 'counter',
    help: 'Resolved engagements by outcome',
    labels: ['outcome'],
    services: ['effector-manager'],
    labelValues: { outcome: ['HIT', 'MISS'] },
  },
  {
    name: 'cms_engagement_transitions_total',
    type: 'counter',
    help: 'Engagement state transitions',
    labels: ['status'],
    services: ['effector-manager'],
    labelValues: { status: ['ACCEPTED', 'IN_FLIGHT', 'HIT', 'MISS'] },
  },
  {
    name: 'cms_engagement_duration_seconds',
    type: 'histogram',
    help: 'Total engagement lifecycle wall-clock, ACCEPTED to HIT/MISS',
    labels: [],
    services: ['effector-manager'],
    buckets: EFFECTOR.durationBucketsS,
  },
  // --- tactical-display ------------------------------------------------------------------
  {
    name: 'cms_display_received_total',
    type: 'counter',
    help: 'Per-topic ingest count',
    labels: ['topic'],
    services: ['tactical-display'],
    labelValues: { topic: TOPIC_NAMES },
  },
  {
    name: 'cms_display_handler_seconds',
    type: 'histogram',
    help: 'Per-message handler wall-clock',
    labels: ['topic'],
    services: ['tactical-display'],
    buckets: LATENCY_BUCKETS_FAST,
    labelValues: { topic: TOPIC_NAMES },
  },
  {
    name: 'cms_display_active_tracks',
    type: 'gauge',
    help: 'Tracks visible in the latest snapshot',
    labels: [],
    services: ['tactical-display'],
  },
] as const satisfies readonly MetricSpec[];

/**
 * Process and runtime metrics every service also exposes (prom-client's
 * default collectors), listed so the catalogue is complete: a report citing
 * one of these cites something real.
 */
export const RUNTIME_METRICS = [
  'process_cpu_user_seconds_total',
  'process_cpu_system_seconds_total',
  'process_cpu_seconds_total',
  'process_start_time_seconds',
  'process_resident_memory_bytes',
  'process_virtual_memory_bytes',
  'process_heap_bytes',
  'process_open_fds',
  'process_max_fds',
  'nodejs_eventloop_lag_seconds',
  'nodejs_eventloop_lag_min_seconds',
  'nodejs_eventloop_lag_max_seconds',
  'nodejs_eventloop_lag_mean_seconds',
  'nodejs_eventloop_lag_stddev_seconds',
  'nodejs_eventloop_lag_p50_seconds',
  'nodejs_eventloop_lag_p90_seconds',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_active_resources',
  'nodejs_active_resources_total',
  'nodejs_active_handles',
  'nodejs_active_handles_total',
  'nodejs_active_requests',
  'nodejs_active_requests_total',
  'nodejs_heap_size_total_bytes',
  'nodejs_heap_size_used_bytes',
  'nodejs_external_memory_bytes',
  'nodejs_heap_space_size_total_bytes',
  'nodejs_heap_space_size_used_bytes',
  'nodejs_heap_space_size_available_bytes',
  'nodejs_version_info',
  'nodejs_gc_duration_seconds',
] as const;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEventSpec {
  readonly event: string;
  readonly level: LogLevel;
  readonly services: readonly ServiceName[];
  /** Fields every record of this event carries, besides the common envelope. */
  readonly fields: readonly string[];
  readonly description: string;
}

export const LOG_EVENTS = [
  // --- the common floor ------------------------------------------------------------------
  {
    event: 'service_starting',
    level: 'info',
    services: ALL,
    fields: ['version', 'pid', 'node_version'],
    description: 'Process boot, before DDS and telemetry are up',
  },
  {
    event: 'signal_received',
    level: 'info',
    services: ALL,
    fields: ['signal'],
    description: 'SIGTERM or SIGINT received; graceful shutdown begins',
  },
  {
    event: 'service_stopping',
    level: 'info',
    services: ALL,
    fields: ['reason'],
    description: 'Last record before the process exits',
  },
  {
    event: 'service_config_invalid',
    level: 'error',
    services: ALL,
    fields: ['variable', 'value', 'reason'],
    description: 'An environment variable is malformed or unknown; the service refuses to start',
  },
  {
    event: 'diagnostics_requested',
    level: 'info',
    services: ALL,
    fields: ['signal', 'metric_families'],
    description: 'SIGUSR2 received: the service writes a diagnostics dump to its log (one diagnostics_dump record per metric family) and carries on',
  },
  {
    event: 'diagnostics_dump',
    level: 'info',
    services: ALL,
    fields: ['metric', 'series', 'value'],
    description: 'One metric family of a diagnostics dump: its number of series and the sum of their values (histograms: their count)',
  },
  {
    event: 'dds_writer_ready',
    level: 'info',
    services: ALL,
    fields: ['topic', 'reliability', 'history', 'durability', 'qos_profile', 'env_qos_override'],
    description: 'A DDS writer was created; env_qos_override is true when CMS_FORCE_QOS replaced the canonical profile',
  },
  {
    event: 'dds_subscriber_ready',
    level: 'info',
    services: ALL,
    fields: ['topic', 'reliability', 'history', 'durability'],
    description: 'A DDS reader was created with the canonical profile',
  },
  {
    event: 'dds_incompatible_qos',
    level: 'warn',
    services: ALL,
    fields: ['topic', 'side', 'policy', 'dds_status', 'total_count'],
    description: 'Cyclone DDS reported a requested (reader) or offered (writer) incompatible QoS: endpoints discovered each other but will not exchange samples',
  },
  {
    event: 'dds_endpoint_matched',
    level: 'info',
    services: ALL,
    fields: ['topic', 'side', 'current_count', 'current_count_change'],
    description: 'The number of matched remote endpoints of a reader or writer changed',
  },
  {
    event: 'dds_liveliness_changed',
    level: 'info',
    services: ALL,
    fields: ['topic', 'alive_count', 'not_alive_count', 'alive_count_change', 'not_alive_count_change'],
    description: 'A remote writer became alive or lost liveliness (lease expired, process gone or unreachable)',
  },
  {
    event: 'dds_sample_rejected',
    level: 'warn',
    services: ALL,
    fields: ['topic', 'side', 'reason', 'field'],
    description: 'A sample with a missing or invalid field was refused instead of being written or processed',
  },
  {
    event: 'dds_write_failed',
    level: 'error',
    services: ALL,
    fields: ['topic', 'error'],
    description: 'Cyclone DDS refused a write (for example a full RELIABLE history that stayed full past the blocking time)',
  },
  {
    event: 'dds_receive_failed',
    level: 'error',
    services: ALL,
    fields: ['topic', 'error'],
    description: 'Taking, decoding or handling a received sample failed; the receive loop continues',
  },
  // --- sensors ---------------------------------------------------------------------------
  {
    event: 'sensor_started',
    level: 'info',
    services: SENSORS,
    fields: ['sensor_id', 'sensor_type', 'target_rate_hz', 'detection_probability'],
    description: 'One-shot on boot with the target scan rate and detection probability',
  },
  {
    event: 'sensor_heartbeat',
    level: 'info',
    services: SENSORS,
    fields: ['sensor_id', 'target_rate_hz', 'publish_rate_hz_observed', 'drop_rate_hz_observed'],
    description: 'Every 30 s: observed publish rate and rate of targets not published (missed detections and failed writes), per second',
  },
  {
    event: 'sensor_loop_overrun',
    level: 'warn',
    services: SENSORS,
    fields: ['sensor_id', 'scan_ms', 'period_ms'],
    description: 'A scan took longer than the scan period, so the sensor cannot keep its cadence',
  },
  // --- track-fusion ----------------------------------------------------------------------
  {
    event: 'fusion_queue_full_dropping',
    level: 'warn',
    services: ['track-fusion'],
    fields: ['queue_depth', 'capacity', 'dropped'],
    description: 'The inbox is saturated and new source tracks are dropped (logged at most once per second)',
  },
  {
    event: 'tactical_track_contributors_changed',
    level: 'info',
    services: ['track-fusion'],
    fields: ['tactical_track_id', 'previous_contributors', 'contributors', 'added', 'removed'],
    description: "A tactical track's contributing-sensor set changed between publishes",
  },
  {
    event: 'tactical_track_initiated',
    level: 'info',
    services: ['track-fusion'],
    fields: ['tactical_track_id', 'sensor_id'],
    description: 'A source track fell outside every gate and started a new tactical track',
  },
  {
    event: 'tactical_track_dropped',
    level: 'info',
    services: ['track-fusion'],
    fields: ['tactical_track_id', 'idle_seconds'],
    description: 'A tactical track received no update within the track timeout and was dropped',
  },
  // --- threat-evaluator ------------------------------------------------------------------
  {
    event: 'threat_level_changed',
    level: 'info',
    services: ['threat-evaluator'],
    fields: ['track_id', 'previous_level', 'threat_level', 'rationale'],
    description: 'A track changed threat level',
  },
  {
    event: 'threat_thresholds_loaded',
    level: 'info',
    services: ['threat-evaluator'],
    fields: ['critical', 'high', 'medium'],
    description: 'One-shot on boot with the minimum score of each threat level in force',
  },
  // --- command-center --------------------------------------------------------------------
  {
    event: 'mission_order_issued',
    level: 'info',
    services: ['command-center'],
    fields: ['order_id', 'action', 'track_id', 'threat_level'],
    description: 'A mission order was written',
  },
  // --- effector-manager ------------------------------------------------------------------
  {
    event: 'engagement_status_changed',
    level: 'info',
    services: ['effector-manager'],
    fields: ['order_id', 'track_id', 'previous_status', 'status'],
    description: 'Every engagement transition',
  },
  {
    event: 'engagement_resolved',
    level: 'info',
    services: ['effector-manager'],
    fields: ['order_id', 'track_id', 'outcome', 'duration_seconds'],
    description: 'The final HIT or MISS of an engagement',
  },
  // --- tactical-display ------------------------------------------------------------------
  {
    event: 'http_starting',
    level: 'info',
    services: ['tactical-display'],
    fields: ['port'],
    description: 'The operator HTTP surface is listening',
  },
] as const satisfies readonly LogEventSpec[];

/** Fields every log record carries besides its event's own (and trace_id/span_id inside a span). */
export const LOG_ENVELOPE_FIELDS = ['timestamp', 'level', 'event', 'service'] as const;
export const LOG_TRACE_FIELDS = ['trace_id', 'span_id'] as const;

export interface SpanSpec {
  /** Span name; `<sensor_id>` and `<topic>` are filled in at run time. */
  readonly name: string;
  readonly services: readonly ServiceName[];
  readonly attributes: readonly string[];
  /** Span names (patterns) this span's parent may have; empty for a root span. */
  readonly parents: readonly string[];
  readonly description: string;
}

export const SPANS = [
  {
    name: 'sensor.scan.<sensor_id>',
    services: SENSORS,
    attributes: ['sensor.id', 'sensor.type', 'scan.target_count'],
    parents: [],
    description: 'One per scan; the root of every pipeline trace',
  },
  {
    name: 'fusion.ingest',
    services: ['track-fusion'],
    attributes: ['tactical_track_id', 'sensor.id'],
    parents: ['sensor.scan.<sensor_id>'],
    description: 'Continues the inbound sensor span; one per correlated source track',
  },
  {
    name: 'threat.evaluate',
    services: ['threat-evaluator'],
    attributes: ['threat.level', 'threat.priority', 'threat.score', 'tactical_track_id'],
    parents: ['fusion.ingest'],
    description: 'Continues the fusion span',
  },
  {
    name: 'command.issue_order',
    services: ['command-center'],
    attributes: ['order.id', 'order.action', 'tactical_track_id'],
    parents: ['threat.evaluate'],
    description: 'Continues the threat-evaluator span',
  },
  {
    name: 'effector.engage',
    services: ['effector-manager'],
    attributes: ['order.id', 'order.action'],
    parents: ['command.issue_order'],
    description: 'Continues the command-center span; lasts the whole engagement for ENGAGE orders',
  },
  {
    name: 'display.ingest.<topic>',
    services: ['tactical-display'],
    attributes: ['messaging.destination.name'],
    parents: ['sensor.scan.<sensor_id>', 'fusion.ingest', 'threat.evaluate', 'command.issue_order', 'effector.engage'],
    description: 'Continues the inbound trace; one per ingested message',
  },
] as const satisfies readonly SpanSpec[];

// ---- typed views for the services ---------------------------------------------------------

type AnyMetric = (typeof METRICS)[number];
type AnyLogEvent = (typeof LOG_EVENTS)[number];

export type MetricOf<S extends ServiceName, M = AnyMetric> = M extends { services: readonly (infer X)[] }
  ? S extends X
    ? M
    : never
  : never;
export type MetricName = AnyMetric['name'];

export type LogEventOf<S extends ServiceName, E = AnyLogEvent> = E extends { services: readonly (infer X)[] }
  ? S extends X
    ? E
    : never
  : never;
export type LogEventName = AnyLogEvent['event'];
export type LogEventByName<N extends LogEventName> = Extract<AnyLogEvent, { event: N }>;

export function metricsOf(service: ServiceName): readonly MetricSpec[] {
  return METRICS.filter((m) => (m.services as readonly ServiceName[]).includes(service));
}

export function logEventsOf(service: ServiceName): readonly LogEventSpec[] {
  return LOG_EVENTS.filter((e) => (e.services as readonly ServiceName[]).includes(service));
}

export function logEventSpec(event: string): LogEventSpec | undefined {
  return LOG_EVENTS.find((e) => e.event === event);
}

export function spansOf(service: ServiceName): readonly SpanSpec[] {
  return SPANS.filter((s) => (s.services as readonly ServiceName[]).includes(service));
}

/** Whether a concrete span name matches a catalogue pattern such as `sensor.scan.<sensor_id>`. */
export function spanNameMatches(pattern: string, name: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/<[a-z_]+>/g, '[A-Za-z0-9_-]+')}$`);
  return regex.test(name);
}
