/** The anomaly detectors on query answers recorded from real native harness runs (test/investigator/fixtures). */
import { ALERT_RULES, alertRule } from '../../model/alerts';
import { SCENARIOS } from '../../scenarios';
import {
  incompatibleQos,
  ingestLoss,
  inputsAtDeclaredRates,
  engagementsStopped,
  consumerSlow,
  eventLoopLag,
  pageConditionHolds,
  latencyHigh,
  memoryGrowth,
  publishRateAnomalies,
  qosOverrides,
  rateConfig,
  scrapeFailures,
  slope,
  stopOrSilence,
} from '../../investigator/detectors';
import { LOG_QUERIES, QUERIES } from '../../investigator/investigate';
import { FIXTURE_NAMES, answer, fixture, logsAnswer } from './support';

const at = (name: string) => fixture(name).now;

describe('recorded fixtures', () => {
  it('cover every scenario and the control', () => {
    expect(FIXTURE_NAMES).toEqual([...SCENARIOS.map((s) => s.name), 'control'].sort());
  });
});

describe('scrapeFailures', () => {
  it('finds the stopped radar and the detached ESM, and nothing in the control', () => {
    expect(scrapeFailures(answer('sensor-down', QUERIES.up), at('sensor-down'), QUERIES.up).map((a) => a.service)).toEqual(['radar-sensor']);
    expect(scrapeFailures(answer('network-partition', QUERIES.up), at('network-partition'), QUERIES.up).map((a) => a.service)).toEqual(['esm-sensor']);
    for (const name of ['control', 'message-flood', 'fusion-cpu-starvation', 'memory-leak', 'dds-qos-mismatch']) expect(scrapeFailures(answer(name, QUERIES.up), at(name), QUERIES.up)).toEqual([]);
  });
});

describe('publishRateAnomalies', () => {
  it('flags RADAR-1 far above its declared rate in the flood, and nothing at steady state', () => {
    const [flood, ...rest] = publishRateAnomalies(answer('message-flood', QUERIES.publish), at('message-flood'), QUERIES.publish);
    expect(rest).toEqual([]);
    expect(flood).toMatchObject({ kind: 'publish-rate-high', service: 'radar-sensor', details: { sensor_id: 'RADAR-1' } });
    expect(Number(flood.details?.rate)).toBeGreaterThan(3 * Number(flood.details?.expected));
    expect(publishRateAnomalies(answer('control', QUERIES.publish), at('control'), QUERIES.publish)).toEqual([]);
  });

  it('flags the silent radar once it stopped publishing', () => {
    expect(publishRateAnomalies(answer('sensor-down', QUERIES.publish), at('sensor-down'), QUERIES.publish)).toEqual([expect.objectContaining({ kind: 'publish-silent', service: 'radar-sensor' })]);
  });
});

describe('ingestLoss', () => {
  it('finds ESM-2 published but not ingested under the QoS mismatch, and no loss otherwise', () => {
    const publish = (n: string) => answer(n, QUERIES.publish);
    expect(ingestLoss(answer('dds-qos-mismatch', QUERIES.ingest), publish('dds-qos-mismatch'), at('dds-qos-mismatch'), QUERIES.ingest)).toEqual([expect.objectContaining({ kind: 'ingest-loss', service: 'esm-sensor' })]);
    for (const name of ['control', 'message-flood', 'memory-leak']) expect(ingestLoss(answer(name, QUERIES.ingest), publish(name), at(name), QUERIES.ingest)).toEqual([]);
  });
});

describe('incompatibleQos', () => {
  it('reports the ESM writer and the readers on SourceTrackTopic, OWNERSHIP', () => {
    const found = incompatibleQos(answer('dds-qos-mismatch', QUERIES.incompatible), QUERIES.incompatible);
    expect(found.find((a) => a.details?.side === 'writer')).toMatchObject({ service: 'esm-sensor', details: { policy: 'OWNERSHIP', topic: 'SourceTrackTopic' } });
    expect(found.filter((a) => a.details?.side === 'reader').map((a) => a.service)).toEqual(expect.arrayContaining(['track-fusion']));
    expect(incompatibleQos(answer('control', QUERIES.incompatible), QUERIES.incompatible)).toEqual([]);
    // kept history: the same counters, ended two minutes before now (the writer since replaced), are not today's incompatibility
    const past = answer('dds-qos-mismatch', QUERIES.incompatible);
    const latest = Math.max(...past.flatMap((s) => s.points.map(([t]) => t)));
    expect(incompatibleQos(past, QUERIES.incompatible, latest + 120)).toEqual([]);
    expect(incompatibleQos(past, QUERIES.incompatible, at('dds-qos-mismatch')).length).toBeGreaterThan(0);
  });
});

describe('latencyHigh', () => {
  it('sees the starved fusion far above the 0.5 s SLO, and the control below it', () => {
    const [high] = latencyHigh(answer('fusion-cpu-starvation', QUERIES.latency), at('fusion-cpu-starvation'), QUERIES.latency);
    expect(Number(high.details?.p95)).toBeGreaterThan(0.5);
    expect(latencyHigh(answer('control', QUERIES.latency), at('control'), QUERIES.latency)).toEqual([]);
    expect(latencyHigh(answer('message-flood', QUERIES.latency), at('message-flood'), QUERIES.latency)).toEqual([]);
  });
});

describe('eventLoopLag', () => {
  it('sees the starved fusion lag sample after sample, and takes a busy host\'s spike on a healthy service for no starvation', () => {
    const starved = eventLoopLag(answer('fusion-cpu-starvation', QUERIES.lag), at('fusion-cpu-starvation'), QUERIES.lag);
    expect(starved.map((a) => a.service)).toEqual(['track-fusion']);
    // the control as a loaded CI machine shows it: two samples of effector-manager lag 120 ms
    const control = answer('control', QUERIES.lag);
    const spiked = control.map((s) => (s.labels.service_name === 'effector-manager' ? { ...s, points: s.points.map(([t, v], i, all) => [t, i >= all.length - 3 && i < all.length - 1 ? 0.12 : v] as [number, number]) } : s));
    expect(eventLoopLag(spiked, at('control'), QUERIES.lag)).toEqual([]);
    // the same service lagging through most of the window is a finding
    const sustained = control.map((s) => (s.labels.service_name === 'effector-manager' ? { ...s, points: s.points.map(([t]) => [t, 0.12] as [number, number]) } : s));
    expect(eventLoopLag(sustained, at('control'), QUERIES.lag).map((a) => a.service)).toEqual(['effector-manager']);
  });
});

describe('consumerSlow', () => {
  const display = 'histogram_quantile(0.95, sum(rate(cms_display_handler_seconds_bucket[1m])) by (le))';
  it("sees the slow display's handler at 100 ms per message, and not the display of a CPU-starved fusion", () => {
    expect(consumerSlow(answer('display-slow-consumer', display), 'tactical-display', at('display-slow-consumer'), display)).toMatchObject([{ kind: 'consumer-slow', service: 'tactical-display', details: { p95: 0.1 } }]);
    expect(consumerSlow(answer('fusion-cpu-starvation', display), 'tactical-display', at('fusion-cpu-starvation'), display)).toEqual([]);
  });
});

describe('engagementsStopped', () => {
  it('sees ENGAGE orders stop after the thresholds drifted, and none stop in the control or a sensor fault', () => {
    const [stopped] = engagementsStopped(answer('threat-threshold-drift', QUERIES.engageOrders), at('threat-threshold-drift'), QUERIES.engageOrders);
    expect(stopped).toMatchObject({ kind: 'engagements-stopped', service: 'command-center' });
    for (const name of ['control', 'sensor-down', 'dds-qos-mismatch']) expect(engagementsStopped(answer(name, QUERIES.engageOrders), at(name), QUERIES.engageOrders)).toEqual([]);
  });
});

describe('pageConditionHolds', () => {
  it("holds for a real page's own rule and not for the control's spurious one", () => {
    const drift = alertRule('engagement-orders-absent');
    expect(pageConditionHolds(answer('threat-threshold-drift', drift.expr), at('threat-threshold-drift'), drift.expr, drift, 'command-center')).toHaveLength(1);
    const control = fixture('control').calls.find((c) => ALERT_RULES.some((r) => r.expr === c.query));
    const rule = ALERT_RULES.find((r) => r.expr === control?.query);
    expect(rule).toBeDefined();
    expect(pageConditionHolds(answer('control', rule!.expr), at('control'), rule!.expr, rule!, rule!.services[0])).toEqual([]);
  });
});

describe('memoryGrowth', () => {
  it('measures the leak as a steady climb past 150 MB, and nothing at steady state', () => {
    const [leak] = memoryGrowth(answer('memory-leak', QUERIES.memory), at('memory-leak'), QUERIES.memory);
    expect(leak.service).toBe('track-fusion');
    // the leak retains 32 KiB per ingested source track at ~45/s: about 1.5 MB/s
    expect(Number(leak.details?.bytesPerSecond)).toBeGreaterThan(0.8e6);
    expect(Number(leak.details?.bytesPerSecond)).toBeLessThan(2.5e6);
    expect(memoryGrowth(answer('control', QUERIES.memory), at('control'), QUERIES.memory)).toEqual([]);
    expect(Math.abs(slope(answer('control', QUERIES.memory)[0], at('control')))).toBeLessThan(300_000);
  });
});

describe('inputsAtDeclaredRates', () => {
  it('holds for the starved and the leaking fusion, not for the flood or the stopped sensor', () => {
    expect(inputsAtDeclaredRates(answer('fusion-cpu-starvation', QUERIES.publish), at('fusion-cpu-starvation'))).toMatch(/every sensor publishes at its declared rate/);
    expect(inputsAtDeclaredRates(answer('memory-leak', QUERIES.publish), at('memory-leak'))).toBeDefined();
    expect(inputsAtDeclaredRates(answer('message-flood', QUERIES.publish), at('message-flood'))).toBeUndefined();
    expect(inputsAtDeclaredRates(answer('sensor-down', QUERIES.publish), at('sensor-down'))).toBeUndefined();
  });
});

describe('log detectors', () => {
  it('tell a stopped process (orderly stop logged) from a detached one (logs just end)', () => {
    const stopped = scrapeFailures(answer('sensor-down', QUERIES.up), at('sensor-down'), QUERIES.up)[0];
    const q1 = LOG_QUERIES.service('radar-sensor');
    expect(stopOrSilence('radar-sensor', logsAnswer('sensor-down', q1), stopped.onset, q1)).toEqual([expect.objectContaining({ kind: 'orderly-stop-logged', finding: expect.stringMatching(/service_stopping.*SIGTERM|signal_received.*SIGTERM/) })]);
    const detached = scrapeFailures(answer('network-partition', QUERIES.up), at('network-partition'), QUERIES.up)[0];
    const q2 = LOG_QUERIES.service('esm-sensor');
    expect(stopOrSilence('esm-sensor', logsAnswer('network-partition', q2), detached.onset, q2)).toEqual([expect.objectContaining({ kind: 'logs-ended-without-stop', service: 'esm-sensor' })]);
  });

  it('read the QoS override and the rate configuration from start-up records', () => {
    expect(qosOverrides(logsAnswer('dds-qos-mismatch', LOG_QUERIES.writerReady), LOG_QUERIES.writerReady)).toEqual([expect.objectContaining({ service: 'esm-sensor', finding: expect.stringContaining('EXCLUSIVE_OWNERSHIP') })]);
    expect(qosOverrides(logsAnswer('control', LOG_QUERIES.writerReady), LOG_QUERIES.writerReady)).toEqual([]);
    expect(rateConfig(logsAnswer('message-flood', LOG_QUERIES.sensorStarted), LOG_QUERIES.sensorStarted)).toEqual([expect.objectContaining({ service: 'radar-sensor', finding: expect.stringContaining('target_rate_hz 200') })]);
    expect(rateConfig(logsAnswer('control', LOG_QUERIES.sensorStarted), LOG_QUERIES.sensorStarted)).toEqual([]);
  });
});
