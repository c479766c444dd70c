import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderCycloneConfig } from '../../../../model/cyclonedds';
import { FORCED_WRITER_QOS_NAMES } from '../../../../model/topics';
import type { SourceTrack } from '../../../../services/generated/messages';
import { type DdsObserver, DdsParticipant } from '../../../../services/runtime/dds/participant';
import { waitFor, sleep } from '../../../../lib/wait';

// a loopback domain of our own, so nothing else on the host is discovered
const dir = mkdtempSync(path.join(os.tmpdir(), 'cms-dds-test-'));
writeFileSync(path.join(dir, 'cyclonedds.xml'), renderCycloneConfig({ network: 'loopback' }));
const config = `file://${path.join(dir, 'cyclonedds.xml')}`;
const domainId = 200 + Math.floor(Math.random() * 30);

type Event = { kind: string } & Record<string, unknown>;
function recordingObserver(events: Event[]): DdsObserver {
  return {
    incompatibleQos: (e) => events.push({ kind: 'incompatibleQos', ...e }),
    matched: (e) => events.push({ kind: 'matched', ...e }),
    liveliness: (e) => events.push({ kind: 'liveliness', ...e }),
    rejected: (e) => events.push({ kind: 'rejected', ...e }),
    writeFailed: (e) => events.push({ kind: 'writeFailed', ...e }),
    receiveFailed: (e) => events.push({ kind: 'receiveFailed', ...e }),
  };
}

let seq = 0;
function sample(): SourceTrack {
  seq++;
  return {
    sensor_id: 'TEST-1',
    sensor_track_id: `TEST-1-L${seq}`,
    sensor_type: 'RADAR',
    classification: 'UNKNOWN',
    classification_confidence: 0,
    x_m: seq,
    y_m: 0,
    z_m: 0,
    vx_mps: 0,
    vy_mps: 0,
    vz_mps: 0,
    position_sigma_m: 1,
    measured_at_ns: 1n,
    trace: { traceparent: '', tracestate: '' },
  };
}

describe('DdsParticipant over Cyclone DDS', () => {
  const readerEvents: Event[] = [];
  const received: SourceTrack[] = [];
  let readerSide: DdsParticipant;
  let throwNext = false;

  beforeAll(() => {
    readerSide = new DdsParticipant({ domainId, config, observer: recordingObserver(readerEvents), waitTimeoutMs: 200 });
    readerSide.createReader('SourceTrackTopic', (s) => {
      if (throwNext) {
        throwNext = false;
        throw new Error('handler bug');
      }
      received.push(s);
    });
    readerSide.start();
  });
  afterAll(async () => {
    await readerSide.close();
  });

  it('delivers samples written with the canonical profile', async () => {
    const writerSide = new DdsParticipant({ domainId });
    const writer = writerSide.createWriter('SourceTrackTopic');
    writerSide.start();
    await waitFor('reader matched', () => readerEvents.some((e) => e.kind === 'matched' && (e.currentCount as number) > 0), 5000);
    const s = sample();
    expect(writer.write(s)).toBe('written');
    await waitFor('delivery', () => received.some((r) => r.sensor_track_id === s.sensor_track_id), 5000);
    await writerSide.close();
  });

  it.each(FORCED_WRITER_QOS_NAMES)('%s is a genuine incompatibility: both sides report it and nothing is delivered', async (profile) => {
    const writerEvents: Event[] = [];
    const before = readerEvents.filter((e) => e.kind === 'incompatibleQos').length;
    const writerSide = new DdsParticipant({ domainId, observer: recordingObserver(writerEvents), waitTimeoutMs: 200 });
    const writer = writerSide.createWriter('SourceTrackTopic', profile);
    writerSide.start();
    const expectedPolicy = { EXCLUSIVE_OWNERSHIP: 'OWNERSHIP', LATENCY_BUDGET_100MS: 'LATENCYBUDGET', FOREIGN_PARTITION: 'PARTITION' }[profile];
    await waitFor('writer-side incompatibility', () => writerEvents.some((e) => e.kind === 'incompatibleQos' && e.side === 'writer' && e.policy === expectedPolicy), 5000);
    await waitFor('reader-side incompatibility', () => readerEvents.filter((e) => e.kind === 'incompatibleQos').length > before, 5000);
    expect(readerEvents.filter((e) => e.kind === 'incompatibleQos').at(-1)).toMatchObject({ side: 'reader', policy: expectedPolicy, topic: 'SourceTrackTopic' });
    const s = sample();
    expect(writer.write(s)).toBe('written'); // the writer cannot tell: that is the fault
    await sleep(500);
    expect(received.some((r) => r.sensor_track_id === s.sensor_track_id)).toBe(false);
    await writerSide.close();
  });

  it('refuses a sample with a missing field instead of writing blanks, and reports it', async () => {
    const writerEvents: Event[] = [];
    const writerSide = new DdsParticipant({ domainId, observer: recordingObserver(writerEvents) });
    const writer = writerSide.createWriter('SourceTrackTopic');
    const bad = { ...sample(), sensor_track_id: undefined } as unknown as SourceTrack;
    expect(writer.write(bad)).toBe('rejected');
    expect(writerEvents).toContainEqual({ kind: 'rejected', topic: 'SourceTrackTopic', side: 'writer', field: 'sensor_track_id', reason: 'missing' });
    await sleep(300);
    expect(received.some((r) => r.sensor_track_id === '')).toBe(false);
    await writerSide.close();
  });

  it('reports a failing write and a throwing handler without stopping the receive loop', async () => {
    const writerEvents: Event[] = [];
    const writerSide = new DdsParticipant({ domainId, observer: recordingObserver(writerEvents) });
    const writer = writerSide.createWriter('SourceTrackTopic');
    writerSide.start();
    await waitFor('matched', () => writerEvents.some((e) => e.kind === 'matched' && (e.currentCount as number) > 0), 5000);
    throwNext = true;
    writer.write(sample());
    await waitFor('receive failure reported', () => readerEvents.some((e) => e.kind === 'receiveFailed' && String(e.error).includes('handler bug')), 5000);
    const after = sample();
    writer.write(after);
    await waitFor('loop still delivering', () => received.some((r) => r.sensor_track_id === after.sensor_track_id), 5000);
    await writerSide.close();
    expect(writer.write(sample())).toBe('failed');
    expect(writerEvents.at(-1)).toMatchObject({ kind: 'writeFailed', topic: 'SourceTrackTopic' });
  });
});
