/**
 * Prometheus instruments created from the telemetry contract: a service gets
 * exactly its contract's metrics, with their names, help, labels and
 * buckets, plus prom-client's process and runtime collectors.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ServiceName } from '../../model/services';
import { type MetricOf, type MetricSpec, metricsOf } from '../../model/telemetry';

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

/** Every combination of the label values a spec fixes, or undefined when a label's values are open. */
export function closedLabelSets(spec: MetricSpec): Array<Record<string, string>> | undefined {
  let sets: Array<Record<string, string>> = [{}];
  for (const label of spec.labels) {
    const values = spec.labelValues?.[label];
    if (!values) return undefined;
    sets = sets.flatMap((set) => values.map((v) => ({ ...set, [label]: v })));
  }
  return sets;
}

export function createServiceMetrics<S extends ServiceName>(service: S, registry: Registry): ServiceMetrics<S> {
  collectDefaultMetrics({ register: registry });
  const instruments: Record<string, unknown> = {};
  for (const spec of metricsOf(service)) {
    const common = { name: spec.name, help: spec.help, labelNames: [...spec.labels], registers: [registry] };
    if (spec.type === 'counter') {
      const counter = new Counter(common);
      // a counter series born at its first increment has no increase() over its first samples:
      // where the contract fixes every label's values, each series starts at 0
      if (spec.labels.length > 0) for (const labels of closedLabelSets(spec) ?? []) counter.inc(labels, 0);
      instruments[spec.name] = counter;
    } else {
      instruments[spec.name] = spec.type === 'gauge' ? new Gauge(common) : new Histogram({ ...common, buckets: [...(spec.buckets ?? [])] });
    }
  }
  return instruments as ServiceMetrics<S>;
}
