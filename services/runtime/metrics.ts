/**
 * Prometheus instruments created from the telemetry contract: a service gets
 * exactly its contract's metrics, with their names, help, labels and
 * buckets, plus prom-client's process and runtime collectors.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ServiceName } from '../../model/services';
import { type MetricOf, metricsOf } from '../../model/telemetry';

type LabelsOf<M> = M extends { labels: readonly (infer L extends string)[] } ? L : never;

type Instrument<M> = M extends { type: 'counter' }
  ? Counter<LabelsOf<M>>
  : M extends { type: 'gauge' }
    ? Gauge<LabelsOf<M>>
    : M extends { type: 'histogram' }
      ? Histogram<LabelsOf<M>>
      : never;

export type ServiceMetrics<S extends ServiceName> = {
  [M in MetricOf<S> as M extends { name: infer N extends string } ? N : never]: Instrument<M>;
};

export function createServiceMetrics<S extends ServiceName>(service: S, registry: Registry): ServiceMetrics<S> {
  collectDefaultMetrics({ register: registry });
  const instruments: Record<string, unknown> = {};
  for (const spec of metricsOf(service)) {
    const common = { name: spec.name, help: spec.help, labelNames: [...spec.labels], registers: [registry] };
    instruments[spec.name] =
      spec.type === 'counter'
        ? new Counter(common)
        : spec.type === 'gauge'
          ? new Gauge(common)
          : new Histogram({ ...common, buckets: [...(spec.buckets ?? [])] });
  }
  return instruments as ServiceMetrics<S>;
}
