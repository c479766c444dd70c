import { Registry } from 'prom-client';
import { closedLabelSets, createServiceMetrics } from '../../../services/runtime/metrics';
import { METRICS } from '../../../model/telemetry';
import { parsePromText, sumOf } from '../../../harness/prom-text';

describe('service metrics from the contract', () => {
  it('start counters whose label values are all fixed at 0, so increase() sees their first increment', async () => {
    const registry = new Registry();
    createServiceMetrics('track-fusion', registry);
    const families = parsePromText(await registry.metrics());
    const changed = families.get('cms_fusion_contributors_changed_total');
    expect(changed?.samples.map((s) => [s.labels.change, s.value])).toEqual([
      ['added', 0],
      ['removed', 0],
    ]);
    // open label sets are not invented
    expect(families.get('cms_fusion_ingested_total')?.samples).toEqual([]);
    expect(sumOf(families, 'cms_dds_incompatible_qos_total')).toBe(0);
  });

  it('expand closed label sets as a cartesian product', () => {
    const spec = METRICS.find((m) => m.name === 'cms_engagement_outcomes_total');
    expect(closedLabelSets(spec!)).toEqual([{ outcome: 'HIT' }, { outcome: 'MISS' }]);
    expect(closedLabelSets(METRICS.find((m) => m.name === 'cms_dds_incompatible_qos_total')!)).toBeUndefined();
  });
});
