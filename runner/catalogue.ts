/**
 * The lab's telemetry catalogue: every name an agent can truthfully cite,
 * rendered from the model (telemetry contract, alert rules, lab services,
 * datasources). The hallucination check holds each citation of a report
 * against it.
 */
import { ALERT_RULES } from '../model/alerts';
import { OVERVIEW_PANELS, overviewDashboard, runbooksDashboard } from '../grafana/dashboards';
import type { LabModel } from '../model/lab';
import { CMS_SERVICES, SERVICE_NAMES } from '../model/services';
import { LOG_ENVELOPE_FIELDS, LOG_EVENTS, LOG_TRACE_FIELDS, METRICS, RUNTIME_METRICS, SPANS } from '../model/telemetry';

export interface TelemetryCatalogue {
  /** Metric names as Prometheus stores them (histogram series, the OTLP-pushed copies, `up` and the scrape series). */
  readonly metrics: readonly string[];
  /** Label names on those metrics (series labels, target labels, alert labels). */
  readonly labels: readonly string[];
  readonly logEvents: readonly string[];
  /** Fields of log records (envelope, trace and event fields) and Loki stream labels. */
  readonly logFields: readonly string[];
  /** Span names (patterns filled in: sensor ids, topics) and span attributes. */
  readonly spans: readonly string[];
  readonly spanAttributes: readonly string[];
  /** Every service and container of the lab. */
  readonly services: readonly string[];
  /** Sensor ids, topics: other identifiers of the system. */
  readonly identifiers: readonly string[];
  /** Datasource names, uids and kinds an agent can query. */
  readonly datasources: readonly string[];
  readonly alertRules: readonly string[];
  /** Dashboard titles and uids, and the titles of their panels. */
  readonly dashboards: readonly string[];
}

const SCRAPE_SERIES = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added', 'target_info'];
const PROMETHEUS_LABELS = ['job', 'instance', 'le', 'quantile', '__name__', 'alertname', 'alertstate', 'severity', 'pipeline_name', 'grafana_folder'];
const LOKI_LABELS = ['service_name', 'service_namespace', 'detected_level', 'level'];

export function telemetryCatalogue(lab: LabModel): TelemetryCatalogue {
  const namespace = lab.observability.collector.metricsNamespace;
  const contractMetrics = METRICS.flatMap((m) => (m.type === 'histogram' ? [m.name, `${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`] : [m.name]));
  const sensors = CMS_SERVICES.flatMap((s) => (s.sensor ? [s.sensor.sensorId] : []));
  const topics = [...new Set(CMS_SERVICES.flatMap((s) => [...s.publishes, ...s.subscribes]))];
  const fill = (name: string) =>
    name.includes('<sensor_id>') ? sensors.map((id) => name.replace('<sensor_id>', id)) : name.includes('<topic>') ? topics.map((t) => name.replace('<topic>', t)) : [name];
  const ds = lab.grafana.datasources;
  return {
    metrics: [...new Set([...contractMetrics, ...contractMetrics.map((m) => `${namespace}_${m}`), ...RUNTIME_METRICS, ...SCRAPE_SERIES])].sort(),
    labels: [...new Set([...METRICS.flatMap((m) => m.labels), ...PROMETHEUS_LABELS, 'service_name'])].sort(),
    logEvents: LOG_EVENTS.map((e) => e.event).sort(),
    logFields: [...new Set([...LOG_ENVELOPE_FIELDS, ...LOG_TRACE_FIELDS, ...LOG_EVENTS.flatMap((e) => e.fields), ...LOKI_LABELS])].sort(),
    spans: SPANS.flatMap((s) => [s.name, ...fill(s.name)]).sort(),
    spanAttributes: [...new Set(SPANS.flatMap((s) => s.attributes))].sort(),
    services: [...SERVICE_NAMES, 'prometheus', 'loki', 'tempo', 'otel-collector', 'grafana', 'alert-sink'],
    identifiers: [...sensors, ...topics],
    datasources: [ds.prometheus, ds.loki, ds.tempo].flatMap((d) => [d.name, d.uid]).concat(['prometheus', 'loki', 'tempo', 'grafana']),
    alertRules: ALERT_RULES.flatMap((r) => [r.uid, r.title]),
    dashboards: [overviewDashboard(lab), runbooksDashboard(lab)].flatMap((d) => [String(d.title), String(d.uid)]).concat(OVERVIEW_PANELS.map((p) => p.title), ALERT_RULES.map((r) => r.title)),
  };
}
