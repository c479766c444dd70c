/** Ranking and confidence over the anomalies detected in recorded runs. */
import { type Anomaly, incompatibleQos, ingestLoss, latencyHigh, queueDeep, scrapeFailures, stopOrSilence, tracksLow } from '../../investigator/detectors';
import { LOG_QUERIES, QUERIES } from '../../investigator/investigate';
import { confidenceOf, rankHypotheses } from '../../investigator/ranking';
import { answer, fixture, logsAnswer } from './support';

function scrapeAndLogs(name: string, service: 'radar-sensor' | 'esm-sensor', withLogs: boolean): Anomaly[] {
  const now = fixture(name).now;
  const failures = scrapeFailures(answer(name, QUERIES.up), now, QUERIES.up);
  const q = LOG_QUERIES.service(service);
  return withLogs ? [...failures, ...stopOrSilence(service, logsAnswer(name, q), failures[0].onset, q)] : failures;
}

describe('rankHypotheses', () => {
  it('ranks a stopped process first when its orderly stop is logged', () => {
    const [top, second] = rankHypotheses(scrapeAndLogs('sensor-down', 'radar-sensor', true));
    expect(top).toMatchObject({ service: 'radar-sensor', category: 'process-stopped' });
    expect(second).toMatchObject({ service: 'radar-sensor', category: 'network-partition' });
    expect(top.score).toBeGreaterThan(second.score);
  });

  it('ranks a partition first when the logs just end', () => {
    const [top, second] = rankHypotheses(scrapeAndLogs('network-partition', 'esm-sensor', true));
    expect(top).toMatchObject({ service: 'esm-sensor', category: 'network-partition' });
    expect(top.score).toBeGreaterThan(second.score);
  });

  it('cannot separate the look-alikes from the scrape alone, and its confidence says so', () => {
    const ranked = rankHypotheses(scrapeAndLogs('network-partition', 'esm-sensor', false));
    expect(ranked[0].score).toBe(ranked[1].score);
    expect(confidenceOf(ranked, false)).toBeLessThan(confidenceOf(rankHypotheses(scrapeAndLogs('network-partition', 'esm-sensor', true)), true));
  });

  it('blames the writer of an incompatible QoS, not the readers that report it', () => {
    const name = 'dds-qos-mismatch';
    const anomalies = [...incompatibleQos(answer(name, QUERIES.incompatible), QUERIES.incompatible), ...ingestLoss(answer(name, QUERIES.ingest), answer(name, QUERIES.publish), fixture(name).now, QUERIES.ingest)];
    const [top] = rankHypotheses(anomalies);
    expect(top).toMatchObject({ service: 'esm-sensor', category: 'transport-qos-mismatch' });
    expect(top.explains.some((a) => a.kind === 'incompatible-qos' && a.details?.side === 'reader')).toBe(true);
  });

  it('explains queue and track symptoms by the starved consumer', () => {
    const name = 'fusion-cpu-starvation';
    const now = fixture(name).now;
    const anomalies = [...latencyHigh(answer(name, QUERIES.latency), now, QUERIES.latency), ...queueDeep(answer(name, QUERIES.queue), now, QUERIES.queue), ...tracksLow(answer(name, QUERIES.tracks), now, QUERIES.tracks)];
    const [top] = rankHypotheses(anomalies);
    expect(top).toMatchObject({ service: 'track-fusion', category: 'cpu-starvation' });
  });

  it('gives no hypothesis, and high confidence in that, when nothing is anomalous', () => {
    expect(rankHypotheses([])).toEqual([]);
    expect(confidenceOf([], true)).toBe(0.9);
  });
});
