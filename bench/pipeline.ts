/**
 * npm run bench:pipeline — the CMS pipeline against its targets, measured
 * side by side in one run on this machine:
 *   1. Cyclone's own ddsperf throughput (the transport's limit);
 *   2. the highest SourceTrack rate track-fusion sustains without its queue growing;
 *   3. sensor-to-effector latency p50/p99 at steady state and under the 600 msg/s flood (from the traces);
 *   4. RSS of every service after 5 minutes.
 * Options: --steady-seconds N (default 300), --flood-seconds N (default 60).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NativeLab } from '../harness/native-lab';
import { sleep, waitFor } from '../lib/wait';
import { OtlpReceiver, type ReceivedSpan } from '../harness/otlp-receiver';
import { sumOf } from '../harness/prom-text';
import { SERVICE_NAMES, type ServiceName } from '../model/services';
import { STEADY_STATE } from '../model/simulation';
import { DdsParticipant } from '../services/runtime/dds/participant';
import { projectRoot } from '../services/runtime/paths';
import { uniqueLabName } from '../harness/lab-scan';

const TARGETS = { fusionRatePerS: 2000, p99Ms: 20, rssMb: 120 } as const;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

function log(message: string): void {
  process.stderr.write(`[bench:pipeline] ${message}\n`);
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** 1. ddsperf pub/sub between two processes on loopback: average samples/s seen by the subscriber. */
async function ddsperfRate(configUri: string): Promise<number> {
  const env = { ...process.env, CYCLONEDDS_URI: configUri };
  const domain = '77';
  const sub = spawn('ddsperf', ['-i', domain, '-D', '12', '-T', 'KS', 'sub'], { env });
  let output = '';
  sub.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await sleep(500);
  spawnSync('ddsperf', ['-i', domain, '-D', '10', '-T', 'KS', 'pub', 'size', '128'], { env, timeout: 20_000 });
  await new Promise((resolve) => sub.once('exit', resolve));
  // "... size 128 total N lost 0 delta D lost 0 rate R kS/s ... (AVG kS/s ...)": keep the last running average
  const averages = [...output.matchAll(/size 128 total \d+ .*\(([\d.]+) kS\/s/g)].map((m) => Number(m[1]) * 1000);
  if (averages.length === 0) throw new Error(`ddsperf printed no throughput:\n${output.slice(-500)}`);
  return averages[averages.length - 1];
}

/**
 * 2. Step the injected rate up until fusion stops keeping up. Fusion runs as
 * deployed: exporting OTLP (to a receiver that only counts) with a matched
 * TacticalTrack reader (this process, counting), sharing the machine with
 * the injector.
 */
async function fusionCapacity(): Promise<{ maxSustained: number; steps: Array<Record<string, number | boolean>> }> {
  const receiver = new OtlpReceiver(false);
  const endpoint = await receiver.start();
  const lab = new NativeLab({ name: uniqueLabName('cms-bench-fusion'), services: ['track-fusion'], otlpEndpoint: endpoint });
  await lab.start();
  let downstream = 0;
  const reader = new DdsParticipant({ domainId: lab.domainId, config: `file://${path.join(lab.workDir, 'cyclonedds.xml')}` });
  reader.createReader('TacticalTrackTopic', () => downstream++);
  reader.start();
  const steps: Array<Record<string, number | boolean>> = [];
  let maxSustained = 0;
  try {
    for (const rate of [500, 1000, 2000, 4000, 6000, 8000, 12000, 16000, 24000, 32000, 48000]) {
      const before = await lab.scrape('track-fusion');
      const seconds = 6;
      const injector = spawn(process.execPath, [path.join(projectRoot(), 'dist/harness/dds-inject.js'), 'paced', '--domain', String(lab.domainId), '--rate', String(rate), '--seconds', String(seconds)], {
        env: { ...process.env, CYCLONEDDS_URI: `file://${path.join(lab.workDir, 'cyclonedds.xml')}` },
      });
      let out = '';
      injector.stdout.on('data', (c: Buffer) => (out += c.toString()));
      let maxDepthLateHalf = 0;
      const started = Date.now();
      while (injector.exitCode === null) {
        await sleep(250);
        const depth = sumOf(await lab.scrape('track-fusion'), 'cms_fusion_queue_depth');
        if (Date.now() - started > 1500 + (seconds * 1000) / 2) maxDepthLateHalf = Math.max(maxDepthLateHalf, depth);
      }
      await sleep(1500); // let fusion drain what is queued
      const after = await lab.scrape('track-fusion');
      const written = (JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { written?: number }).written ?? 0;
      const published = sumOf(after, 'cms_fusion_published_total') - sumOf(before, 'cms_fusion_published_total');
      const dropped = lab.events('fusion_queue_full_dropping').length;
      // sustained: (almost) everything written was fused, nothing dropped, and the queue stayed short in the second half
      const sustained = published >= written * 0.97 && dropped === 0 && maxDepthLateHalf < 500;
      steps.push({ rate, written, published, maxQueueDepth: maxDepthLateHalf, downstreamReceived: downstream, spansExported: receiver.counts.spans, sustained });
      log(`fusion at ${rate}/s: written ${written}, fused ${published}, max queue ${maxDepthLateHalf} → ${sustained ? 'sustained' : 'not sustained'}`);
      if (!sustained) break;
      maxSustained = rate;
    }
  } finally {
    await reader.close();
    await lab.stop();
    await receiver.stop();
  }
  return { maxSustained, steps };
}

interface Latencies {
  toThreatMs: number[];
  toEffectorMs: number[];
}

/** Sensor scan start → threat.evaluate start (every track update) and → effector.engage start (every order), for traces started in [from, to). */
function latencies(spans: ReceivedSpan[], fromNs: bigint, toNs: bigint): Latencies {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const rootOf = (span: ReceivedSpan): ReceivedSpan => {
    let current = span;
    while (current.parentSpanId && byId.has(current.parentSpanId)) current = byId.get(current.parentSpanId) as ReceivedSpan;
    return current;
  };
  const result: Latencies = { toThreatMs: [], toEffectorMs: [] };
  for (const span of spans) {
    if (span.name !== 'threat.evaluate' && span.name !== 'effector.engage') continue;
    const root = rootOf(span);
    if (!root.name.startsWith('sensor.scan.') || root.startNs < fromNs || root.startNs >= toNs) continue;
    const ms = Number(span.startNs - root.startNs) / 1e6;
    (span.name === 'threat.evaluate' ? result.toThreatMs : result.toEffectorMs).push(ms);
  }
  return result;
}

async function main(): Promise<void> {
  const steadySeconds = option('steady-seconds', 300);
  const floodSeconds = option('flood-seconds', 60);
  const began = Date.now();

  const receiver = new OtlpReceiver();
  const endpoint = await receiver.start();
  const lab = new NativeLab({ name: uniqueLabName('cms-bench-pipeline'), otlpEndpoint: endpoint });
  log('starting the eight services natively');
  await lab.start();
  const configUri = `file://${path.join(lab.workDir, 'cyclonedds.xml')}`;

  const nowNs = () => BigInt(Date.now()) * 1_000_000n;
  const steadyFrom = nowNs() + 20_000_000_000n; // ignore start-up
  log(`steady state for ${steadySeconds} s`);
  await sleep(steadySeconds * 1000);
  const steadyTo = nowNs();
  const rss: Partial<Record<ServiceName, number>> = {};
  for (const service of SERVICE_NAMES) rss[service] = sumOf(await lab.scrape(service), 'process_resident_memory_bytes') / 1e6;
  const activeTracks = sumOf(await lab.scrape('track-fusion'), 'cms_fusion_active_tracks');

  log(`flood: radar-sensor at PUBLISH_RATE_HZ=200 for ${floodSeconds} s`);
  await lab.startService('radar-sensor', { PUBLISH_RATE_HZ: '200' });
  const floodFrom = nowNs() + 5_000_000_000n;
  await sleep(floodSeconds * 1000);
  const floodTo = nowNs();
  const radarRate = await (async () => {
    const a = sumOf(await lab.scrape('radar-sensor'), 'cms_sensor_published_total');
    await sleep(5000);
    return (sumOf(await lab.scrape('radar-sensor'), 'cms_sensor_published_total') - a) / 5;
  })();
  await lab.stop();
  await waitFor('span export after stop', () => true, 1000);
  const steady = latencies(receiver.spans, steadyFrom, steadyTo);
  const flood = latencies(receiver.spans, floodFrom, floodTo);
  await receiver.stop();

  log('fusion capacity (track-fusion alone, paced injection)');
  const capacity = await fusionCapacity();
  log('ddsperf (Cyclone DDS transport limit, 128-byte keyed samples)');
  const transport = await ddsperfRate(configUri);

  const rows: Array<[string, string, string, string]> = [
    ['Cyclone ddsperf pub→sub, 128 B keyed samples', `${Math.round(transport).toLocaleString('en')} /s`, 'transport limit', '—'],
    ['track-fusion sustained SourceTrack rate', `${capacity.maxSustained.toLocaleString('en')} /s`, `≥ ${TARGETS.fusionRatePerS} /s`, capacity.maxSustained >= TARGETS.fusionRatePerS ? 'met' : 'MISSED'],
    ['… as a multiple of steady-state inflow', `${(capacity.maxSustained / STEADY_STATE.sourceTrackRatePerS).toFixed(0)}×`, '≥ 40×', capacity.maxSustained / STEADY_STATE.sourceTrackRatePerS >= 40 ? 'met' : 'MISSED'],
    ['… as a fraction of the transport limit', `${((capacity.maxSustained / transport) * 100).toFixed(2)} %`, '—', '—'],
  ];
  const latencyRow = (label: string, values: number[], target?: number): [string, string, string, string] => {
    const p50 = percentile(values, 50);
    const p99 = percentile(values, 99);
    return [`${label} (n=${values.length})`, `p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`, target ? `p99 < ${target} ms` : '—', target ? (p99 < target ? 'met' : 'MISSED') : '—'];
  };
  rows.push(latencyRow('sensor → effector, steady state', steady.toEffectorMs, TARGETS.p99Ms));
  rows.push(latencyRow('sensor → threat assessment, steady state', steady.toThreatMs, TARGETS.p99Ms));
  rows.push(latencyRow(`sensor → effector, radar flood (${radarRate.toFixed(0)} /s from RADAR-1)`, flood.toEffectorMs));
  rows.push(latencyRow('sensor → threat assessment, radar flood', flood.toThreatMs));
  for (const service of SERVICE_NAMES) {
    const mb = rss[service] as number;
    rows.push([`RSS of ${service} after ${steadySeconds} s`, `${mb.toFixed(1)} MB`, `< ${TARGETS.rssMb} MB`, mb < TARGETS.rssMb ? 'met' : 'MISSED']);
  }

  const lines = [
    `bench:pipeline on ${new Date().toISOString()} (${(Date.now() - began) / 1000} s; steady ${steadySeconds} s, flood ${floodSeconds} s; active tracks at the end of steady state: ${activeTracks})`,
    '',
    '| Measure | Result | Target | |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const out = path.join(projectRoot(), 'results', 'bench-pipeline.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), steadySeconds, floodSeconds, transport, capacity, steady, flood, rss, radarRate }, null, 2));
  log(`raw figures in ${path.relative(process.cwd(), out)}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:pipeline failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
