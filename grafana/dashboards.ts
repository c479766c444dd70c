/**
 * The CMS overview dashboard and the runbooks dashboard, built with
 * Grafana's foundation SDK from the model. Every panel query is PromQL,
 * LogQL or TraceQL over the contract's names (checked by the tests).
 */
import { DashboardBuilder, type DataSourceRef } from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder as LokiQuery } from '@grafana/grafana-foundation-sdk/loki';
import { PanelBuilder as LogsPanel } from '@grafana/grafana-foundation-sdk/logs';
import { DataqueryBuilder as PromQuery } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { DataqueryBuilder as TempoQuery } from '@grafana/grafana-foundation-sdk/tempo';
import { PanelBuilder as TextPanel, TextMode } from '@grafana/grafana-foundation-sdk/text';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import type { LabModel } from '../model/lab';
import { STEADY_STATE } from '../model/simulation';
import { runbookMarkdown } from './runbooks';

export interface OverviewPanel {
  readonly title: string;
  readonly kind: 'timeseries' | 'stat' | 'logs' | 'traces';
  readonly unit?: string;
  readonly query: { readonly language: 'promql' | 'logql' | 'traceql'; readonly expr: string; readonly legend?: string };
}

export const OVERVIEW_PANELS: readonly OverviewPanel[] = [
  { title: 'Active tactical tracks', kind: 'stat', query: { language: 'promql', expr: 'cms_fusion_active_tracks' } },
  { title: 'Scrape targets up', kind: 'timeseries', query: { language: 'promql', expr: 'up{job="cms-services"}', legend: '{{service_name}}' } },
  { title: 'Sensor publish rate', kind: 'timeseries', unit: 'ops', query: { language: 'promql', expr: 'sum by (sensor_id) (rate(cms_sensor_published_total[1m]))', legend: '{{sensor_id}}' } },
  { title: 'Source tracks ingested by fusion, per sensor', kind: 'timeseries', unit: 'ops', query: { language: 'promql', expr: 'sum by (sensor_id) (rate(cms_fusion_ingested_total[1m]))', legend: '{{sensor_id}}' } },
  { title: 'Fusion processing latency p95', kind: 'timeseries', unit: 's', query: { language: 'promql', expr: 'histogram_quantile(0.95, sum(rate(cms_fusion_processing_seconds_bucket[1m])) by (le))', legend: 'p95' } },
  { title: 'Fusion queue depth', kind: 'timeseries', query: { language: 'promql', expr: 'cms_fusion_queue_depth', legend: 'queued' } },
  { title: 'Fusion resident memory', kind: 'timeseries', unit: 'bytes', query: { language: 'promql', expr: 'cms_fusion_memory_bytes', legend: 'rss' } },
  { title: 'Contributor changes', kind: 'timeseries', query: { language: 'promql', expr: 'sum by (change) (increase(cms_fusion_contributors_changed_total[2m]))', legend: '{{change}}' } },
  { title: 'DDS incompatible QoS events', kind: 'timeseries', query: { language: 'promql', expr: 'sum by (service_name, topic, policy, side) (increase(cms_dds_incompatible_qos_total[5m]))', legend: '{{service_name}} {{topic}} {{policy}} ({{side}})' } },
  { title: 'DDS matched endpoints', kind: 'timeseries', query: { language: 'promql', expr: 'cms_dds_matched_endpoints', legend: '{{service_name}} {{topic}} {{side}}' } },
  { title: 'Threat evaluations by level', kind: 'timeseries', unit: 'ops', query: { language: 'promql', expr: 'sum by (level) (rate(cms_threat_evaluated_total[1m]))', legend: '{{level}}' } },
  { title: 'Mission orders per action', kind: 'timeseries', query: { language: 'promql', expr: 'sum by (action) (increase(cms_orders_issued_total[1m]))', legend: '{{action}}' } },
  { title: 'Mission orders and engagement outcomes', kind: 'timeseries', query: { language: 'promql', expr: 'sum by (outcome) (increase(cms_engagement_outcomes_total[5m]))', legend: '{{outcome}}' } },
  { title: 'Process restarts (start time)', kind: 'timeseries', unit: 'dateTimeAsIso', query: { language: 'promql', expr: 'process_start_time_seconds{job="cms-services"} * 1000', legend: '{{service_name}}' } },
  { title: 'Warnings and errors', kind: 'logs', query: { language: 'logql', expr: '{service_name=~".+"} |~ `"level":"(warn|error)"`' } },
  { title: 'Recent engagements (traces)', kind: 'traces', query: { language: 'traceql', expr: '{ name = "effector.engage" }' } },
];

function ref(type: string, uid: string): DataSourceRef {
  return { type, uid };
}

export function overviewDashboard(lab: LabModel): Record<string, unknown> {
  const ds = lab.grafana.datasources;
  const prom = ref('prometheus', ds.prometheus.uid);
  const builder = new DashboardBuilder('CMS overview')
    .uid(lab.grafana.dashboards.overview)
    .tags(['cms', 'generated'])
    .refresh('10s')
    .time({ from: 'now-30m', to: 'now' })
    .timezone('utc')
    .description(`Steady state: ${STEADY_STATE.activeTracks} tactical tracks, ~${STEADY_STATE.sourceTrackRatePerS.toFixed(0)} source tracks/s into fusion.`);
  OVERVIEW_PANELS.forEach((p, i) => {
    const position = { x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 };
    if (p.query.language === 'promql') {
      const query = new PromQuery().expr(p.query.expr).legendFormat(p.query.legend ?? '__auto').refId('A');
      const panel = p.kind === 'stat' ? new StatPanel() : new TimeseriesPanel();
      panel.title(p.title).datasource(prom).gridPos(position).withTarget(query);
      if (p.unit) panel.unit(p.unit);
      builder.withPanel(panel);
    } else if (p.query.language === 'logql') {
      builder.withPanel(new LogsPanel().title(p.title).datasource(ref('loki', ds.loki.uid)).gridPos({ ...position, w: 24 }).withTarget(new LokiQuery().expr(p.query.expr).refId('A')));
    } else {
      builder.withPanel(
        new TablePanel().title(p.title).datasource(ref('tempo', ds.tempo.uid)).gridPos({ ...position, w: 24 }).withTarget(new TempoQuery().query(p.query.expr).queryType('traceql').limit(20).refId('A')),
      );
    }
  });
  return builder.build() as unknown as Record<string, unknown>;
}

/** One markdown panel per alert rule, in rule order (panel n+1 is rule n: the rules' runbook_url points there). */
export function runbooksDashboard(lab: LabModel): Record<string, unknown> {
  const builder = new DashboardBuilder('CMS runbooks').uid(lab.grafana.dashboards.runbooks).tags(['cms', 'runbooks', 'generated']).timezone('utc');
  lab.alertRules.forEach((rule, i) => {
    builder.withPanel(
      new TextPanel()
        .id(i + 1)
        .title(rule.title)
        .mode(TextMode.Markdown)
        .content(runbookMarkdown(lab, rule))
        .gridPos({ x: 0, y: i * 14, w: 24, h: 14 }),
    );
  });
  return builder.build() as unknown as Record<string, unknown>;
}
