import { grafanaAlertRules } from '../../grafana/alerting';
import { OVERVIEW_PANELS, overviewDashboard, runbooksDashboard } from '../../grafana/dashboards';
import { datasources } from '../../grafana/datasources';
import { runbookMarkdown } from '../../grafana/runbooks';
import { buildLabModel } from '../../model/lab';
import { promqlSyntaxError, selectedMetrics } from '../../model/promql';
import { runbookUrl } from '../../model/render/prometheus';
import { METRICS, RUNTIME_METRICS } from '../../model/telemetry';

const lab = buildLabModel();
const known = new Set<string>([
  ...METRICS.flatMap((m) => (m.type === 'histogram' ? [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`] : [m.name])),
  ...RUNTIME_METRICS,
  'up',
]);

describe('Grafana datasources', () => {
  const ds = datasources(lab);

  it('have fixed uids and names an agent discovers by convention (prom/metrics, logs, traces)', () => {
    expect(ds.map((d) => [d.type, d.uid])).toEqual([
      ['prometheus', 'cms-prometheus'],
      ['loki', 'cms-loki'],
      ['tempo', 'cms-tempo'],
    ]);
    expect(ds.find((d) => d.type === 'prometheus')?.name).toMatch(/prom|metrics/);
    expect(ds.find((d) => d.type === 'loki')?.name).toMatch(/logs/);
    expect(ds.find((d) => d.type === 'tempo')?.name).toMatch(/traces/);
    expect(ds.filter((d) => d.isDefault).map((d) => d.type)).toEqual(['prometheus']);
  });

  it('link logs to traces by trace_id (structured metadata) and traces to logs by service_name', () => {
    const loki = ds.find((d) => d.type === 'loki')?.jsonData as { derivedFields: Array<Record<string, string>> };
    expect(loki.derivedFields[0]).toMatchObject({ matcherType: 'label', matcherRegex: 'trace_id', datasourceUid: 'cms-tempo' });
    const tempo = ds.find((d) => d.type === 'tempo')?.jsonData as { tracesToLogsV2: { datasourceUid: string; tags: unknown[] } };
    expect(tempo.tracesToLogsV2).toMatchObject({ datasourceUid: 'cms-loki', tags: [{ key: 'service.name', value: 'service_name' }] });
  });
});

describe('the CMS overview dashboard', () => {
  const dashboard = overviewDashboard(lab) as { uid: string; panels: Array<{ title: string; targets: Array<Record<string, unknown>>; datasource: { uid: string } }> };

  it('has a panel per model entry, each querying a real datasource', () => {
    expect(dashboard.uid).toBe('cms-overview');
    expect(dashboard.panels.map((p) => p.title)).toEqual(OVERVIEW_PANELS.map((p) => p.title));
    for (const panel of dashboard.panels) expect(['cms-prometheus', 'cms-loki', 'cms-tempo']).toContain(panel.datasource.uid);
  });

  it('queries only PromQL that parses and metrics of the contract', () => {
    for (const panel of OVERVIEW_PANELS.filter((p) => p.query.language === 'promql')) {
      expect({ panel: panel.title, error: promqlSyntaxError(panel.query.expr) }).toEqual({ panel: panel.title, error: undefined });
      for (const metric of selectedMetrics(panel.query.expr)) expect({ panel: panel.title, metric, known: known.has(metric) }).toEqual({ panel: panel.title, metric, known: true });
    }
  });

  it('contains every panel a runbook tells the reader to open', () => {
    const titles = OVERVIEW_PANELS.map((p) => p.title);
    for (const rule of lab.alertRules) for (const panel of rule.runbook.diagnose.panels) expect({ rule: rule.uid, panel, exists: titles.includes(panel) }).toEqual({ rule: rule.uid, panel, exists: true });
  });
});

describe('runbooks', () => {
  it('render one markdown panel per rule, in rule order, where each rule runbook_url points', () => {
    const dashboard = runbooksDashboard(lab) as { panels: Array<{ id: number; title: string; options: { content: string } }> };
    lab.alertRules.forEach((rule, i) => {
      const panel = dashboard.panels[i];
      expect(panel.title).toBe(rule.title);
      expect(runbookUrl(lab, rule)).toContain(`viewPanel=${panel.id}`);
      expect(panel.options.content).toBe(runbookMarkdown(lab, rule));
    });
  });

  it('cover what it means, several candidate causes, diagnose (panels, LogQL, TraceQL) and mitigate, without naming a scenario or how any fault is made', () => {
    for (const rule of lab.alertRules) {
      const md = runbookMarkdown(lab, rule);
      for (const heading of ['## What it means', '## Candidate causes', '## How to diagnose', '## How to mitigate']) expect(md).toContain(heading);
      expect({ rule: rule.uid, causes: rule.runbook.candidateCauses.length >= 3 }).toEqual({ rule: rule.uid, causes: true });
      expect(md).toMatch(/LogQL/);
      expect(md).toMatch(/TraceQL/);
      expect(md).not.toMatch(/fusion-cpu-starvation|dds-qos-mismatch|message-flood|memory-leak|network-partition|scenario/i);
      // no reproduction recipe: the chaos hooks that make the faults are never named where an agent reads
      expect(md).not.toMatch(/reproduce|CMS_FORCE_QOS|CMS_LEAK_RATE_BYTES|docker (update|stop|network disconnect)/i);
    }
  });
});

describe('Grafana alert rules', () => {
  const rules = grafanaAlertRules(lab);

  it('query the exact expression over the 2-minute look-back, reduce it, and fire when the filtered result is above 0', () => {
    rules.forEach((rule, i) => {
      const model = lab.alertRules[i];
      expect(rule).toMatchObject({ uid: model.uid, for: model.for, condition: 'C', noDataState: 'OK' });
      expect(rule.data.map((d) => d.refId)).toEqual(['A', 'B', 'C']);
      expect(rule.data[0]).toMatchObject({ datasourceUid: 'cms-prometheus', relativeTimeRange: { from: 120, to: 0 }, model: { expr: model.expr, instant: true } });
      expect(rule.data[1].model).toMatchObject({ type: 'reduce', expression: 'A', reducer: 'last' });
      expect(rule.data[2].model).toMatchObject({ type: 'threshold', expression: 'B', conditions: [{ evaluator: { type: 'gt', params: [0] } }] });
      expect(rule.labels).toMatchObject({ severity: model.severity });
      expect(JSON.stringify(rule.annotations)).not.toMatch(/\$value\b/);
    });
  });
});
