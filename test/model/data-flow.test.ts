import { FLOW_WINDOW, dataFlowQuery } from '../../model/data-flow';
import { promqlSyntaxError, selectedMetrics } from '../../model/promql';
import { SERVICE_NAMES } from '../../model/services';
import { METRICS } from '../../model/telemetry';

describe('data-flow queries', () => {
  it.each(SERVICE_NAMES)('%s: parses, and selects only contract metrics (or up)', (service) => {
    const expr = dataFlowQuery(service).replaceAll(FLOW_WINDOW, '30s');
    expect(promqlSyntaxError(expr)).toBeUndefined();
    const known = new Set([...METRICS.map((m) => m.name), 'up']);
    for (const metric of selectedMetrics(expr)) expect(known.has(metric)).toBe(true);
  });

  it("counts a sensor's samples where fusion ingests them, not where the sensor says it wrote them", () => {
    expect(dataFlowQuery('esm-sensor')).toBe('sum(increase(cms_fusion_ingested_total{sensor_id="ESM-2"}[__WINDOW__]))');
    expect(dataFlowQuery('track-fusion')).toContain('cms_threat_evaluated_total');
  });
});
