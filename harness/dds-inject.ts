/**
 * Test tool: writes SourceTracks onto a lab's DDS domain from outside the
 * services, bypassing the facade's validation where asked, to prove what the
 * receivers do with bad or excessive input.
 *
 *   node dist/harness/dds-inject.js malformed --domain N   one sample whose key is an empty string
 *   node dist/harness/dds-inject.js burst --domain N --count K   K valid samples, distinct keys, as fast as possible
 *   node dist/harness/dds-inject.js paced --domain N --rate R --seconds S   R samples/s of the three simulated targets
 *
 * CYCLONEDDS_URI must point at the lab's Cyclone config.
 */
import * as koffi from 'koffi';
import { schema } from '../services/generated/messages';
import type { SourceTrack } from '../services/generated/messages';
import { DdsParticipant } from '../services/runtime/dds/participant';
import { dds } from '../services/runtime/dds/ffi';
import { TypeRegistry } from '../services/runtime/dds/types';
import { SeededRandom, nowNs, targetKinematics } from '../services/runtime/world';
import { TARGETS } from '../model/simulation';
import { sleep } from '../lib/wait';

/** Keys per target in paced mode: enough instances that the reader's KEEP_LAST(10) never overwrites an untaken sample. */
const PACED_KEYS_PER_TARGET = 64;

function sample(i: number): SourceTrack {
  return {
    sensor_id: 'INJECT-9',
    sensor_track_id: `INJECT-9-L${i}`,
    sensor_type: 'RADAR',
    classification: 'UNKNOWN',
    classification_confidence: 0,
    x_m: 90_000,
    y_m: 90_000,
    z_m: 1000,
    vx_mps: 0,
    vy_mps: 0,
    vz_mps: 0,
    position_sigma_m: 10,
    measured_at_ns: BigInt(Date.now()) * 1_000_000n,
    trace: { traceparent: '', tracestate: '' },
  };
}

function argument(name: string, fallback?: string): string {
  const index = process.argv.indexOf(`--${name}`);
  const value = index > 0 ? process.argv[index + 1] : fallback;
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  const domainId = Number(argument('domain'));
  const participant = new DdsParticipant({ domainId });
  const writer = participant.createWriter('SourceTrackTopic');
  participant.start();
  // let discovery match the lab's readers before writing
  await sleep(Number(argument('settle-ms', '1500')));
  if (mode === 'malformed') {
    const codec = new TypeRegistry(schema).struct<SourceTrack>('SourceTrack');
    const wire = codec.encode(sample(0)) as Record<string, unknown>;
    // what a writer that skips validation sends for a missing key: Cyclone serialises it as ""
    // (an out-of-range enum would not do: Cyclone refuses to serialise it)
    wire.sensor_id = '';
    const rc = dds.write(writer.handle, koffi.as(wire, codec.pointerType)) as number;
    if (rc < 0) throw new Error(`dds_write of the malformed sample failed: ${dds.strretcode(rc) as string}`);
    process.stdout.write(`${JSON.stringify({ mode, rc })}\n`);
  } else if (mode === 'burst') {
    const count = Number(argument('count'));
    let written = 0;
    for (let i = 0; i < count; i++) if (writer.write(sample(i)) === 'written') written++;
    process.stdout.write(`${JSON.stringify({ mode, written })}\n`);
  } else if (mode === 'paced') {
    const rate = Number(argument('rate'));
    const seconds = Number(argument('seconds'));
    const random = new SeededRandom(7);
    const tickMs = 10;
    const start = performance.now();
    let sent = 0;
    let written = 0;
    while (performance.now() - start < seconds * 1000) {
      const due = Math.floor(((performance.now() - start) / 1000) * rate);
      for (; sent < due; sent++) {
        const target = TARGETS[sent % TARGETS.length];
        const truth = targetKinematics(target, Date.now() / 1000);
        const s = sample(sent);
        s.sensor_track_id = `INJECT-9-${target.id}-K${Math.floor(sent / TARGETS.length) % PACED_KEYS_PER_TARGET}`;
        s.x_m = truth.x + 40 * random.gaussian();
        s.y_m = truth.y + 40 * random.gaussian();
        s.z_m = truth.z;
        s.vx_mps = truth.vx;
        s.vy_mps = truth.vy;
        s.measured_at_ns = nowNs();
        if (writer.write(s) === 'written') written++;
      }
      await sleep(tickMs);
    }
    process.stdout.write(`${JSON.stringify({ mode, rate, seconds, written })}\n`);
  } else {
    throw new Error(`unknown mode '${mode}': malformed | burst | paced`);
  }
  await sleep(500);
  await participant.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`dds-inject: ${String(error)}\n`);
  process.exit(1);
});
