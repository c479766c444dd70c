import { DataPointType, type HistogramMetricData, type SumMetricData } from '@opentelemetry/sdk-metrics';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PromClientMetricProducer } from '../../../services/runtime/prom-bridge';

describe('PromClientMetricProducer', () => {
  it('converts counters, gauges and histograms (cumulative prom buckets to per-bucket OTLP counts)', async () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'demo_total', help: 'c', labelNames: ['sensor_id'], registers: [registry] });
    const gauge = new Gauge({ name: 'demo_depth', help: 'g', registers: [registry] });
    const histogram = new Histogram({ name: 'demo_seconds', help: 'h', buckets: [0.1, 1], registers: [registry] });
    counter.inc({ sensor_id: 'RADAR-1' }, 3);
    gauge.set(7);
    for (const v of [0.05, 0.5, 0.6, 5]) histogram.observe(v);

    const result = await new PromClientMetricProducer(registry).collect();
    const metrics = result.resourceMetrics.scopeMetrics[0].metrics;
    const byName = new Map(metrics.map((m) => [m.descriptor.name, m]));

    const sum = byName.get('demo_total') as SumMetricData;
    expect(sum.dataPointType).toBe(DataPointType.SUM);
    expect(sum.isMonotonic).toBe(true);
    expect(sum.dataPoints).toEqual([expect.objectContaining({ attributes: { sensor_id: 'RADAR-1' }, value: 3 })]);

    expect(byName.get('demo_depth')?.dataPointType).toBe(DataPointType.GAUGE);

    const hist = byName.get('demo_seconds') as HistogramMetricData;
    expect(hist.dataPoints).toHaveLength(1);
    expect(hist.dataPoints[0].value).toEqual({ buckets: { boundaries: [0.1, 1], counts: [1, 2, 1] }, sum: 6.15, count: 4 });
  });
});
