import { ALERT_RULES, alertRule, forGrafana, pipelineNameFor, pipelineNameTemplate } from '../../model/alerts';
import { promqlSyntaxError } from '../../model/promql';

/** The reference table of the original experiment (§4.5), verbatim: the lab must keep these expressions exactly. */
const REFERENCE = [
  ['sensor-down', '(1 - up{job="cms-services", instance=~"(radar|esm|eo)-sensor:.+"}) > 0', '30s', 'critical'],
  ['fusion-latency-high', 'histogram_quantile(0.95, sum(rate(cms_fusion_processing_seconds_bucket[1m])) by (le)) > 0.5', '1m', 'critical'],
  ['tactical-tracks-collapsed', '(3 - cms_fusion_active_tracks) > 0', '1m', 'warning'],
  ['sensor-flood', 'sum by (sensor_id) (rate(cms_sensor_published_total[1m])) > 100', '30s', 'critical'],
  ['fusion-queue-deep', 'cms_fusion_queue_depth > 1000', '1m', 'warning'],
  ['fusion-contributors-dropped', 'sum(increase(cms_fusion_contributors_changed_total{change="removed"}[2m])) > 0', '30s', 'warning'],
  ['fusion-memory-elevated', 'cms_fusion_memory_bytes > 200000000', '1m', 'warning'],
] as const;
/** Rules the lab added beyond the reference, for symptoms the reference did not cover. */
const ADDED = [
  ['tactical-tracks-excess', '(cms_fusion_active_tracks - 3) > 0', '30s', 'warning'],
  ['engagement-orders-absent', 'sum(increase(cms_orders_issued_total{action="ENGAGE"}[1m])) < 1', '30s', 'critical'],
  ['service-restarting', 'changes(process_start_time_seconds{job="cms-services"}[2m]) >= 5', '30s', 'warning'],
] as const;

describe('the alert rules', () => {
  it('are the reference rules, then the added ones: exact expression, for and severity', () => {
    expect(ALERT_RULES.map((r) => [r.uid, r.expr, r.for, r.severity])).toEqual([...REFERENCE, ...ADDED].map((r) => [...r]));
  });

  it('all parse with the Prometheus PromQL grammar', () => {
    for (const rule of ALERT_RULES) expect({ uid: rule.uid, error: promqlSyntaxError(rule.expr) }).toEqual({ uid: rule.uid, error: undefined });
  });

  it('name the concerned service in pipeline_name, as agents key their log queries on it', () => {
    expect(pipelineNameFor(alertRule('sensor-down'), { service_name: 'esm-sensor' })).toBe('esm-sensor');
    expect(pipelineNameFor(alertRule('sensor-flood'), { sensor_id: 'RADAR-1' })).toBe('radar-sensor');
    expect(pipelineNameFor(alertRule('fusion-latency-high'), {})).toBe('track-fusion');
    expect(pipelineNameTemplate(alertRule('sensor-down'))).toBe('{{ $labels.service_name }}');
    expect(pipelineNameTemplate(alertRule('sensor-flood'))).toContain('{{ if eq $labels.sensor_id "RADAR-1" }}radar-sensor');
  });

  it('map $value to the reduce stage for Grafana, leaving other variables alone', () => {
    expect(forGrafana('{{ printf "%.2f" $value }} of {{ $values.A.Value }}')).toBe('{{ printf "%.2f" $values.B.Value }} of {{ $values.A.Value }}');
  });

  it('refuse an unknown rule by name, listing the known ones', () => {
    expect(() => alertRule('cpu-high')).toThrow(/unknown alert rule 'cpu-high'; one of sensor-down, fusion-latency-high/);
  });
});
