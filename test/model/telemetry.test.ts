import { SERVICE_NAMES } from '../../model/services';
import { LOG_ENVELOPE_FIELDS, LOG_EVENTS, LOG_TRACE_FIELDS, METRICS, RUNTIME_METRICS, SPANS, spanNameMatches } from '../../model/telemetry';

describe('the telemetry contract', () => {
  it('names every metric validly and uniquely, with counters ending in _total', () => {
    const names = [...METRICS.map((m) => m.name), ...RUNTIME_METRICS];
    expect(new Set(names).size).toBe(names.length);
    for (const m of METRICS) {
      expect(m.name).toMatch(/^[a-z_][a-z0-9_]*$/);
      if (m.type === 'counter') expect(m.name).toMatch(/_total$/);
      for (const label of m.labels) expect(label).toMatch(/^[a-z_][a-z0-9_]*$/);
      if (m.type === 'histogram') {
        const buckets = [...(m as { buckets: readonly number[] }).buckets];
        expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
      }
      for (const label of Object.keys((m as { labelValues?: object }).labelValues ?? {})) expect(m.labels as readonly string[]).toContain(label);
    }
  });

  it('gives every service the DDS status signals and the common log floor', () => {
    for (const service of SERVICE_NAMES) {
      for (const name of ['cms_dds_incompatible_qos_total', 'cms_dds_matched_endpoints', 'cms_dds_samples_rejected_total']) {
        expect(METRICS.find((m) => m.name === name)?.services).toContain(service);
      }
      for (const event of ['service_starting', 'signal_received', 'service_stopping', 'dds_writer_ready', 'dds_subscriber_ready']) {
        expect(LOG_EVENTS.find((e) => e.event === event)?.services).toContain(service);
      }
    }
  });

  it('never lets an event field shadow the record envelope', () => {
    const reserved: readonly string[] = [...LOG_ENVELOPE_FIELDS, ...LOG_TRACE_FIELDS];
    for (const e of LOG_EVENTS) for (const field of e.fields) expect({ event: e.event, field, reserved: reserved.includes(field) }).toEqual({ event: e.event, field, reserved: false });
  });

  it('keeps log events unique and spans rooted at the sensor scan', () => {
    const events = LOG_EVENTS.map((e) => e.event);
    expect(new Set(events).size).toBe(events.length);
    expect(SPANS.filter((s) => s.parents.length === 0).map((s) => s.name)).toEqual(['sensor.scan.<sensor_id>']);
    expect(spanNameMatches('sensor.scan.<sensor_id>', 'sensor.scan.RADAR-1')).toBe(true);
    expect(spanNameMatches('sensor.scan.<sensor_id>', 'sensor.scanXRADAR-1')).toBe(false);
    expect(spanNameMatches('display.ingest.<topic>', 'display.ingest.SourceTrackTopic')).toBe(true);
  });
});
