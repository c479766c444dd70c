/**
 * The Grafana-managed alert rules: each reference rule as a query stage A
 * (its exact PromQL, instant, over the model's look-back), a reduce stage B
 * and a threshold stage C (the expressions already filter, so C is "> 0").
 */
import type { GrafanaAlertRule } from '../constructs/grafana-provider/rule-group';
import type { LabModel } from '../model/lab';
import { forGrafana } from '../model/alerts';
import { alertAnnotations, alertLabels } from '../model/render/prometheus';

function mapValues(record: Record<string, string>, f: (value: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}

export const EXPRESSION_DATASOURCE = '__expr__';

export function grafanaAlertRules(lab: LabModel): GrafanaAlertRule[] {
  const prom = lab.grafana.datasources.prometheus.uid;
  return lab.alertRules.map((rule) => ({
    name: rule.title,
    uid: rule.uid,
    condition: 'C',
    for: rule.for,
    // an empty result means the filtering expression found nothing wrong
    noDataState: 'OK',
    execErrState: 'Error',
    labels: mapValues(alertLabels(rule), forGrafana),
    annotations: mapValues(alertAnnotations(lab, rule), forGrafana),
    data: [
      {
        refId: 'A',
        datasourceUid: prom,
        relativeTimeRange: { from: lab.observability.lookbackS, to: 0 },
        model: { refId: 'A', datasource: { type: 'prometheus', uid: prom }, expr: rule.expr, instant: true, range: false, editorMode: 'code', intervalMs: 1000, maxDataPoints: 43200 },
      },
      {
        refId: 'B',
        datasourceUid: EXPRESSION_DATASOURCE,
        relativeTimeRange: { from: 0, to: 0 },
        model: { refId: 'B', datasource: { type: EXPRESSION_DATASOURCE, uid: EXPRESSION_DATASOURCE }, type: 'reduce', expression: 'A', reducer: 'last' },
      },
      {
        refId: 'C',
        datasourceUid: EXPRESSION_DATASOURCE,
        relativeTimeRange: { from: 0, to: 0 },
        model: {
          refId: 'C',
          datasource: { type: EXPRESSION_DATASOURCE, uid: EXPRESSION_DATASOURCE },
          type: 'threshold',
          expression: 'B',
          conditions: [{ evaluator: { type: 'gt', params: [0] } }],
        },
      },
    ],
  }));
}
