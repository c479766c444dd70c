/**
 * Exposes a prom-client registry to the OpenTelemetry SDK as a
 * MetricProducer, so every metric is instrumented once (prom-client, scraped
 * on /metrics) and also pushed over OTLP by the SDK's periodic reader.
 *
 * The two copies are told apart downstream: the Collector writes the OTLP
 * copy into Prometheus under the `otlp_` namespace (see the lab model), and
 * every alert rule reads the scraped copy (job `cms-services`).
 */
import { ValueType, type HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import { emptyResource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type CollectionResult,
  DataPointType,
  type MetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import type { MetricObjectWithValues, MetricValue, MetricValueWithName, Registry } from 'prom-client';

type Labels = Record<string, string | number>;

function attributesOf(labels: Labels, omit?: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) if (key !== omit) attributes[key] = String(value);
  return attributes;
}

function seriesKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

/** Converts prom-client's JSON view of one metric into OTel metric data; undefined for unsupported kinds. */
export function toMetricData(metric: MetricObjectWithValues<MetricValue<string>>, startTime: HrTime, endTime: HrTime): MetricData | undefined {
  const descriptor = { name: metric.name, description: metric.help, unit: '', valueType: ValueType.DOUBLE };
  const values = metric.values as Array<MetricValueWithName<string>>;
  switch (metric.type as unknown as string) {
    case 'counter':
      return {
        descriptor,
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.SUM,
        isMonotonic: true,
        dataPoints: values.map((v) => ({ startTime, endTime, attributes: attributesOf(v.labels as Labels), value: v.value })),
      };
    case 'gauge':
      return {
        descriptor,
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.GAUGE,
        dataPoints: values.map((v) => ({ startTime, endTime, attributes: attributesOf(v.labels as Labels), value: v.value })),
      };
    case 'histogram': {
      // prom-client lists cumulative `_bucket{le}` samples, then `_sum` and `_count`, per label set
      const series = new Map<string, { attributes: Record<string, string>; buckets: Array<[number, number]>; sum: number; count: number }>();
      const entry = (attributes: Record<string, string>) => {
        const key = seriesKey(attributes);
        let found = series.get(key);
        if (!found) series.set(key, (found = { attributes, buckets: [], sum: 0, count: 0 }));
        return found;
      };
      for (const v of values) {
        const labels = v.labels as Labels;
        if (v.metricName?.endsWith('_bucket')) {
          const le = labels.le === '+Inf' ? Infinity : Number(labels.le);
          entry(attributesOf(labels, 'le')).buckets.push([le, v.value]);
        } else if (v.metricName?.endsWith('_sum')) {
          entry(attributesOf(labels)).sum = v.value;
        } else if (v.metricName?.endsWith('_count')) {
          entry(attributesOf(labels)).count = v.value;
        }
      }
      return {
        descriptor,
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: [...series.values()].map((s) => {
          const sorted = s.buckets.sort(([a], [b]) => a - b);
          const boundaries = sorted.filter(([le]) => le !== Infinity).map(([le]) => le);
          // OTLP bucket counts are per bucket, with one more bucket than boundaries (the +Inf one)
          const counts = sorted.map(([, cumulative], i) => cumulative - (i === 0 ? 0 : sorted[i - 1][1]));
          if (counts.length === boundaries.length) counts.push(s.count - (sorted.at(-1)?.[1] ?? 0));
          return { startTime, endTime, attributes: s.attributes, value: { buckets: { boundaries, counts }, sum: s.sum, count: s.count } };
        }),
      };
    }
    default:
      return undefined;
  }
}

export class PromClientMetricProducer implements MetricProducer {
  private readonly startTime: HrTime = millisToHrTime(Date.now());

  constructor(private readonly registry: Registry) {}

  async collect(): Promise<CollectionResult> {
    const metrics = await this.registry.getMetricsAsJSON();
    const endTime = millisToHrTime(Date.now());
    const data = metrics
      .map((m) => toMetricData(m as MetricObjectWithValues<MetricValue<string>>, this.startTime, endTime))
      .filter((m): m is MetricData => m !== undefined);
    return {
      // the reader keeps the SDK's resource; this one is discarded when merged
      resourceMetrics: { resource: emptyResource(), scopeMetrics: [{ scope: { name: 'cms-chaos-lab/prom-client-bridge' }, metrics: data }] },
      errors: [],
    };
  }
}
