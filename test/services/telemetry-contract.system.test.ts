/**
 * Every log event of the telemetry contract, provoked on the live pipeline
 * and checked for its fields: the common floor on every service it applies
 * to, each other event at least once. The list of events comes from the
 * contract itself (model/telemetry.ts), never from a second list here.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Registry } from 'prom-client';
import { type LogLine, NativeLab } from '../../harness/native-lab';
import { sleep, waitFor } from '../../lib/wait';
import { sumOf } from '../../harness/prom-text';
import { CMS_SERVICES, SERVICE_NAMES, SENSOR_SERVICES } from '../../model/services';
import { LOG_ENVELOPE_FIELDS, LOG_EVENTS } from '../../model/telemetry';
import { TARGETS } from '../../model/simulation';
import { DdsParticipant } from '../../services/runtime/dds/participant';
import { ServiceLogger } from '../../services/runtime/logging';
import { createServiceMetrics } from '../../services/runtime/metrics';
import { EXIT_CONFIG, ddsObserver } from '../../services/runtime/service';
import { HEARTBEAT_INTERVAL_MS } from '../../services/runtime/sensor-runtime';
import { steadyStateReached } from './support';
import { uniqueLabName } from '../../harness/lab-scan';

jest.setTimeout(240_000);

const INJECT = path.join(__dirname, '../../dist/harness/dds-inject.js');

describe('the telemetry contract, provoked event by event', () => {
  let lab: NativeLab;
  const inProcess: LogLine[] = [];

  const inject = (mode: string, extra: string[] = []) => {
    const result = spawnSync(process.execPath, [INJECT, mode, '--domain', String(lab.domainId), ...extra], {
      env: { ...process.env, CYCLONEDDS_URI: `file://${path.join(lab.workDir, 'cyclonedds.xml')}` },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  };

  beforeAll(async () => {
    lab = new NativeLab({ name: uniqueLabName('cms-test-contract') });
    await lab.start();
    await waitFor('steady state', () => steadyStateReached(lab), 60_000, 1000);
  });

  afterAll(async () => {
    await lab?.stop();
  });

  it('warns of a scan overrun when a sensor is frozen past its period (SIGSTOP, then SIGCONT)', async () => {
    const pid = lab.pid('radar-sensor') as number;
    process.kill(pid, 'SIGSTOP');
    await sleep(500);
    process.kill(pid, 'SIGCONT');
    await waitFor('sensor_loop_overrun', () => lab.events('sensor_loop_overrun', 'radar-sensor').length > 0, 5000);
  });

  it('rejects and counts a malformed sample on the wire instead of processing it', async () => {
    inject('malformed');
    await waitFor('reader-side rejection in fusion', () => lab.events('dds_sample_rejected', 'track-fusion').length > 0, 10_000);
    expect(lab.events('dds_sample_rejected', 'track-fusion')[0]).toMatchObject({ topic: 'SourceTrackTopic', side: 'reader', field: 'sensor_id', reason: 'empty_key' });
    expect(sumOf(await lab.scrape('track-fusion'), 'cms_dds_samples_rejected_total', { topic: 'SourceTrackTopic', side: 'reader', reason: 'empty_key' })).toBe(1);
    expect(sumOf(await lab.scrape('track-fusion'), 'cms_fusion_ingested_total', { sensor_id: '' })).toBe(0);
  });

  it('drops and warns when the fusion inbox is saturated', async () => {
    inject('burst', ['--count', '60000']);
    await waitFor('fusion_queue_full_dropping', () => lab.events('fusion_queue_full_dropping', 'track-fusion').length > 0, 20_000);
    expect(lab.events('fusion_queue_full_dropping', 'track-fusion')[0]).toMatchObject({ capacity: 5000 });
  });

  it('reports an incompatible writer QoS on both sides', async () => {
    await lab.startService('esm-sensor', { CMS_FORCE_QOS: 'LATENCY_BUDGET_100MS' });
    await waitFor('incompatibility', () => lab.events('dds_incompatible_qos', 'esm-sensor').some((l) => l.policy === 'LATENCYBUDGET'), 10_000);
    await lab.startService('esm-sensor');
  });

  it('drops tactical tracks when every sensor stops, and logs liveliness changes', async () => {
    for (const sensor of SENSOR_SERVICES) await lab.stopService(sensor);
    await waitFor('every track dropped', () => new Set(lab.events('tactical_track_dropped', 'track-fusion').map((l) => l.tactical_track_id)).size >= TARGETS.length, 20_000);
    await waitFor('liveliness lost seen by fusion', () => lab.events('dds_liveliness_changed', 'track-fusion').some((l) => (l.not_alive_count_change as number) > 0 || (l.alive_count_change as number) < 0), 10_000);
    for (const sensor of SENSOR_SERVICES) await lab.startService(sensor);
    await waitFor('steady state again', () => steadyStateReached(lab), 60_000, 1000);
  });

  it('refuses a bad configuration with a structured record', async () => {
    await lab.startService('threat-evaluator', { CMS_FORCE_QOS: 'RELIABLE_KEEP_LAST' }, { waitHealthy: false });
    const exit = await lab.process('threat-evaluator')?.exited;
    expect(exit?.code).toBe(EXIT_CONFIG);
    await lab.startService('threat-evaluator');
  });

  it('reports a failed write and a failing handler through the production observer', async () => {
    const logger = new ServiceLogger('track-fusion', (line) => inProcess.push(JSON.parse(line) as LogLine));
    const observer = ddsObserver(logger, createServiceMetrics('track-fusion', new Registry()));
    const participant = new DdsParticipant({ domainId: lab.domainId, config: `file://${path.join(lab.workDir, 'cyclonedds.xml')}`, observer, waitTimeoutMs: 200 });
    let first = true;
    participant.createReader('TacticalTrackTopic', () => {
      if (first) {
        first = false;
        throw new Error('handler bug');
      }
    });
    const writer = participant.createWriter('TacticalTrackTopic');
    participant.start();
    try {
      await waitFor('a failing handler', () => inProcess.some((l) => l.event === 'dds_receive_failed'), 10_000);
    } finally {
      await participant.close();
    }
    writer.write({
      track_id: 'TT-9999',
      classification: 'UNKNOWN',
      x_m: 0,
      y_m: 0,
      z_m: 0,
      vx_mps: 0,
      vy_mps: 0,
      vz_mps: 0,
      speed_mps: 0,
      contributing_sensors: [],
      update_count: 1,
      updated_at_ns: 1n,
      trace: { traceparent: '', tracestate: '' },
    });
    expect(inProcess.some((l) => l.event === 'dds_write_failed')).toBe(true);
  });

  it('dumps its diagnostics to the log on SIGUSR2 (one record per metric family) and carries on', async () => {
    const pid = lab.pid('track-fusion');
    lab.signalService('track-fusion', 'SIGUSR2');
    await waitFor('a diagnostics dump', () => lab.events('diagnostics_requested', 'track-fusion').length > 0, 10_000);
    const [requested] = lab.events('diagnostics_requested', 'track-fusion');
    const dump = lab.events('diagnostics_dump', 'track-fusion');
    expect(requested).toMatchObject({ signal: 'SIGUSR2', metric_families: dump.length });
    expect(dump.length).toBeGreaterThan(20);
    expect(dump.find((l) => l.metric === 'cms_fusion_active_tracks')).toMatchObject({ series: 1, value: TARGETS.length });
    expect(lab.pid('track-fusion')).toBe(pid);
    expect(await steadyStateReached(lab)).toBe(true);
  });

  it('emits every contract event with its fields (common floor on every service it applies to)', async () => {
    // sensor heartbeats come every 30 s: make sure the lab has been up that long
    await waitFor('a heartbeat from every sensor', () => SENSOR_SERVICES.every((s) => lab.events('sensor_heartbeat', s).length > 0), HEARTBEAT_INTERVAL_MS + 15_000, 1000);
    await lab.stop();
    const all = [...lab.logs(), ...inProcess];
    const everyService = ['service_starting', 'signal_received', 'service_stopping', 'dds_endpoint_matched'];
    const publishers = CMS_SERVICES.filter((s) => s.publishes.length).map((s) => s.name);
    const subscribers = CMS_SERVICES.filter((s) => s.subscribes.length).map((s) => s.name);
    for (const spec of LOG_EVENTS) {
      const lines = all.filter((l) => l.event === spec.event);
      expect({ event: spec.event, seen: lines.length > 0 }).toEqual({ event: spec.event, seen: true });
      for (const line of lines) {
        for (const field of [...LOG_ENVELOPE_FIELDS, ...spec.fields]) expect({ event: spec.event, field, present: field in line }).toEqual({ event: spec.event, field, present: true });
        expect(line.level).toBe(spec.level);
      }
      const mustCover: readonly string[] = everyService.includes(spec.event)
        ? SERVICE_NAMES
        : spec.event === 'dds_writer_ready'
          ? publishers
          : spec.event === 'dds_subscriber_ready' || spec.event === 'dds_liveliness_changed'
            ? subscribers
            : spec.services.length < SERVICE_NAMES.length
              ? spec.services
              : [];
      const covered = new Set(lines.map((l) => l.service as string));
      for (const service of mustCover) {
        // events of the sensors and the floor: each service of the event shows it
        if (spec.event === 'sensor_loop_overrun') continue; // provoked on one sensor only
        expect({ event: spec.event, service, seen: covered.has(service) }).toEqual({ event: spec.event, service, seen: true });
      }
    }
  });
});
