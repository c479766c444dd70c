/**
 * The services' chaos hooks, each proven on the real pipeline: a genuine DDS
 * QoS incompatibility, a publish-rate flood, a memory leak at a known rate,
 * and a slow consumer whose back-pressure holds its writer.
 */
import { NativeLab } from '../../harness/native-lab';
import { sleep, waitFor } from '../../lib/wait';
import { sumOf } from '../../harness/prom-text';
import { SERVICE_NAMES, serviceSpec } from '../../model/services';
import { STEADY_STATE, TARGETS } from '../../model/simulation';
import { measureRate, steadyStateReached } from './support';
import { uniqueLabName } from '../../harness/lab-scan';

jest.setTimeout(180_000);

describe('chaos hooks on the live pipeline', () => {
  let lab: NativeLab;

  beforeAll(async () => {
    lab = new NativeLab({ name: uniqueLabName('cms-test-chaos-hooks') });
    await lab.start();
    await waitFor('steady state', () => steadyStateReached(lab), 60_000, 1000);
  });

  afterAll(async () => {
    await lab?.stop();
  });

  afterEach(() => {
    // nothing throws: no service died, wrote to stderr or logged an error
    for (const service of SERVICE_NAMES) {
      expect({ service, running: lab.isRunning(service) }).toEqual({ service, running: true });
      expect(lab.stderr(service)).toEqual([]);
      expect(lab.logs(service).filter((l) => l.level === 'error')).toEqual([]);
    }
  });

  it('CMS_FORCE_QOS on esm-sensor: fusion stops receiving ESM while radar and EO go on; both sides report the incompatibility', async () => {
    await lab.startService('esm-sensor', { CMS_FORCE_QOS: 'EXCLUSIVE_OWNERSHIP' });
    const ready = lab.events('dds_writer_ready', 'esm-sensor').at(-1);
    expect(ready).toMatchObject({ topic: 'SourceTrackTopic', env_qos_override: true, qos_profile: 'EXCLUSIVE_OWNERSHIP' });

    await waitFor(
      'incompatible QoS reported by the reader (fusion) and the writer (esm)',
      () =>
        lab.events('dds_incompatible_qos', 'track-fusion').some((l) => l.side === 'reader' && l.policy === 'OWNERSHIP' && l.topic === 'SourceTrackTopic') &&
        lab.events('dds_incompatible_qos', 'esm-sensor').some((l) => l.side === 'writer' && l.policy === 'OWNERSHIP'),
      10_000,
    );
    const fusionBefore = await lab.scrape('track-fusion');
    const esmBefore = sumOf(await lab.scrape('esm-sensor'), 'cms_sensor_published_total');
    await sleep(5000);
    const fusionAfter = await lab.scrape('track-fusion');
    const delta = (id: string) => sumOf(fusionAfter, 'cms_fusion_ingested_total', { sensor_id: id }) - sumOf(fusionBefore, 'cms_fusion_ingested_total', { sensor_id: id });
    expect(delta('ESM-2')).toBe(0);
    expect(delta('RADAR-1')).toBeGreaterThan(50);
    expect(delta('EO-3')).toBeGreaterThan(5);
    // the ESM writer cannot tell: it keeps "publishing" into the void
    expect(sumOf(await lab.scrape('esm-sensor'), 'cms_sensor_published_total') - esmBefore).toBeGreaterThan(20);

    expect(sumOf(fusionAfter, 'cms_dds_incompatible_qos_total', { topic: 'SourceTrackTopic', policy: 'OWNERSHIP', side: 'reader' })).toBeGreaterThanOrEqual(1);
    expect(sumOf(await lab.scrape('esm-sensor'), 'cms_dds_incompatible_qos_total', { topic: 'SourceTrackTopic', policy: 'OWNERSHIP', side: 'writer' })).toBeGreaterThanOrEqual(1);

    await waitFor(
      'ESM leaving every tactical track',
      () => new Set(lab.events('tactical_track_contributors_changed', 'track-fusion').filter((l) => (l.removed as string[]).includes('ESM-2')).map((l) => l.tactical_track_id)).size === TARGETS.length,
      15_000,
    );
    expect(sumOf(await lab.scrape('track-fusion'), 'cms_fusion_contributors_changed_total', { change: 'removed' })).toBeGreaterThanOrEqual(TARGETS.length);
    // radar and EO still cover every target: the picture keeps its tracks
    expect(sumOf(await lab.scrape('track-fusion'), 'cms_fusion_active_tracks')).toBe(STEADY_STATE.activeTracks);

    await lab.startService('esm-sensor');
    await waitFor('steady state after restoring ESM', () => steadyStateReached(lab), 30_000, 1000);
  });

  it('PUBLISH_RATE_HZ=200 on radar: RADAR-1 publishes about 600 per second while the other sensors stay at baseline', async () => {
    await lab.startService('radar-sensor', { PUBLISH_RATE_HZ: '200' });
    await sleep(2000);
    const expected = (id: string, hz: number) => hz * TARGETS.length * (serviceSpec(id === 'RADAR-1' ? 'radar-sensor' : id === 'ESM-2' ? 'esm-sensor' : 'eo-sensor').sensor?.detectionProbability as number);
    const [radar, esm, eo] = await Promise.all([
      measureRate(lab, 'radar-sensor', 'cms_sensor_published_total', { sensor_id: 'RADAR-1' }, 6),
      measureRate(lab, 'esm-sensor', 'cms_sensor_published_total', { sensor_id: 'ESM-2' }, 6),
      measureRate(lab, 'eo-sensor', 'cms_sensor_published_total', { sensor_id: 'EO-3' }, 6),
    ]);
    expect(radar).toBeGreaterThan(expected('RADAR-1', 200) * 0.85);
    expect(radar).toBeLessThan(expected('RADAR-1', 200) * 1.15);
    expect(esm).toBeGreaterThan(expected('ESM-2', 5) * 0.6);
    expect(esm).toBeLessThan(expected('ESM-2', 5) * 1.4);
    expect(eo).toBeGreaterThan(expected('EO-3', 2) * 0.3);
    expect(eo).toBeLessThan(expected('EO-3', 2) * 1.8);
    // fusion absorbs the flood: no saturation
    expect(lab.events('fusion_queue_full_dropping', 'track-fusion')).toEqual([]);

    await lab.startService('radar-sensor');
    await waitFor('steady state after restoring radar', () => steadyStateReached(lab), 30_000, 1000);
  });

  it('CMS_LEAK_RATE_BYTES makes cms_fusion_memory_bytes grow at the configured rate (and not without it)', async () => {
    // large enough, over a long enough window, that V8 heap swings (a few MB) stay well inside the tolerance
    const leakBytes = 65_536;
    const slopeOf = async (seconds: number): Promise<{ slope: number; ingestRate: number }> => {
      const points: Array<[number, number]> = [];
      const ingestedBefore = sumOf(await lab.scrape('track-fusion'), 'cms_fusion_ingested_total');
      const start = Date.now();
      for (let i = 0; i <= seconds; i++) {
        points.push([(Date.now() - start) / 1000, sumOf(await lab.scrape('track-fusion'), 'cms_fusion_memory_bytes')]);
        await sleep(1000);
      }
      const ingestRate = (sumOf(await lab.scrape('track-fusion'), 'cms_fusion_ingested_total') - ingestedBefore) / ((Date.now() - start) / 1000);
      const n = points.length;
      const mx = points.reduce((s, [x]) => s + x, 0) / n;
      const my = points.reduce((s, [, y]) => s + y, 0) / n;
      const slope = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
      return { slope, ingestRate };
    };

    const control = await slopeOf(12);
    await lab.startService('track-fusion', { CMS_LEAK_RATE_BYTES: String(leakBytes) });
    await sleep(3000);
    const leaking = await slopeOf(20);
    const expected = leakBytes * leaking.ingestRate;
    expect(leaking.slope).toBeGreaterThan(expected * 0.7);
    expect(leaking.slope).toBeLessThan(expected * 1.4);
    expect(control.slope).toBeLessThan(expected * 0.25);

    await lab.startService('track-fusion');
    await waitFor('steady state after restoring fusion', () => steadyStateReached(lab), 30_000, 1000);
  });
});

describe('the slow-consumer hook on the live pipeline (a lab of its own: the writer it holds back logs errors)', () => {
  let lab: NativeLab;

  beforeAll(async () => {
    lab = new NativeLab({ name: uniqueLabName('cms-test-slow-consumer') });
    await lab.start();
    await waitFor('steady state', () => steadyStateReached(lab), 60_000, 1000);
  });

  afterAll(async () => {
    await lab?.stop();
  });

  it('CMS_DISPLAY_REDRAW_MS=100: the reliable KEEP_ALL reader falls behind and back-pressure makes fusion\'s writes time out; fusion recovers when the display does', async () => {
    expect(lab.events('dds_write_failed', 'track-fusion')).toEqual([]);
    await lab.startService('tactical-display', { CMS_DISPLAY_REDRAW_MS: '100' });
    await waitFor('fusion writes to TacticalTrackTopic time out', () => lab.events('dds_write_failed', 'track-fusion').some((l) => l.topic === 'TacticalTrackTopic' && /timeout/i.test(String(l.error))), 90_000, 1000);

    // the display still answers scrapes (a few samples per wake-up), and shows where the time goes
    const display = await lab.scrape('tactical-display');
    const handled = sumOf(display, 'cms_display_handler_seconds_count', { topic: 'TacticalTrackTopic' });
    const seconds = sumOf(display, 'cms_display_handler_seconds_sum', { topic: 'TacticalTrackTopic' });
    expect(seconds / handled).toBeGreaterThan(0.05);
    const fusion = async () => {
      const families = await lab.scrape('track-fusion');
      return { ingested: sumOf(families, 'cms_fusion_ingested_total'), published: sumOf(families, 'cms_fusion_published_total') };
    };
    const before = await fusion();
    await sleep(5000);
    const after = await fusion();
    // fusion publishes well under what it ingests: its writes block, its inbox grows
    expect(after.published - before.published).toBeLessThan(0.7 * (after.ingested - before.ingested));

    await lab.startService('tactical-display');
    await waitFor('steady state after restoring the display', () => steadyStateReached(lab), 60_000, 1000);
    const failures = lab.events('dds_write_failed', 'track-fusion').length;
    await sleep(5000);
    expect(lab.events('dds_write_failed', 'track-fusion').length).toBe(failures);
    for (const service of SERVICE_NAMES) expect({ service, running: lab.isRunning(service) }).toEqual({ service, running: true });
  });
});
