/**
 * Grafana datasources of the lab, with fixed uids and names an agent can
 * discover by convention (prom/metrics, logs, traces), wired to each other:
 * logs link to traces by trace_id, traces to logs by service_name.
 */
import type { LabModel } from '../model/lab';

export interface DatasourceSpec {
  readonly key: 'prometheus' | 'loki' | 'tempo';
  readonly name: string;
  readonly uid: string;
  readonly type: string;
  readonly url: string;
  readonly isDefault: boolean;
  readonly jsonData: Record<string, unknown>;
}

export function datasources(lab: LabModel): DatasourceSpec[] {
  const ds = lab.grafana.datasources;
  const o = lab.observability;
  return [
    {
      key: 'prometheus',
      ...ds.prometheus,
      type: 'prometheus',
      url: `http://prometheus:${o.prometheus.port}`,
      isDefault: true,
      jsonData: {
        httpMethod: 'POST',
        timeInterval: `${o.scrapeIntervalS}s`,
        prometheusType: 'Prometheus',
        prometheusVersion: lab.images.prometheus.split(':v').at(-1),
        manageAlerts: false,
      },
    },
    {
      key: 'loki',
      ...ds.loki,
      type: 'loki',
      url: `http://loki:${o.loki.port}`,
      isDefault: false,
      jsonData: {
        maxLines: 1000,
        // OTLP logs keep trace_id as structured metadata, not in the line: match it as a label
        derivedFields: [{ name: 'trace_id', matcherType: 'label', matcherRegex: 'trace_id', datasourceUid: ds.tempo.uid, url: '${__value.raw}', urlDisplayLabel: 'Trace' }],
      },
    },
    {
      key: 'tempo',
      ...ds.tempo,
      type: 'tempo',
      url: `http://tempo:${o.tempo.port}`,
      isDefault: false,
      jsonData: {
        tracesToLogsV2: {
          datasourceUid: ds.loki.uid,
          spanStartTimeShift: '-1m',
          spanEndTimeShift: '1m',
          filterByTraceID: true,
          filterBySpanID: false,
          customQuery: false,
          tags: [{ key: 'service.name', value: 'service_name' }],
        },
        lokiSearch: { datasourceUid: ds.loki.uid },
        nodeGraph: { enabled: true },
        search: { hide: false },
      },
    },
  ];
}
