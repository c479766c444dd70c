/**
 * Anomaly detectors: pure functions over query results. Each compares a
 * signal against what the model declares for a healthy pipeline (sensor
 * rates, three tracks, an empty queue, a 0.5 s latency SLO) or an absolute
 * threshold, so they hold even when little history precedes the alert.
 */
import { CMS_SERVICES, type ServiceName, sensorSpecs } from '../model/services';
import { STEADY_STATE, TARGETS } from '../model/simulation';
import type { LogRecord, Series } from './sources';

export type AnomalyKind =
  | 'scrape-failure'
  | 'tracks-high'
  | 'orderly-stop-logged'
  | 'logs-ended-without-stop'
  | 'publish-rate-high'
  | 'publish-silent'
  | 'rate-config-logged'
  | 'ingest-loss'
  | 'incompatible-qos'
  | 'qos-override-logged'
  | 'latency-high'
  | 'event-loop-lag'
  | 'queue-deep'
  | 'memory-growth'
  | 'restart'
  | 'tracks-low'
  | 'engagements-stopped'
  | 'page-condition-holds'
  | 'contributor-removed'
  | 'traces-stopped'
  | 'consumer-slow';

export interface Anomaly {
  readonly kind: AnomalyKind;
  readonly service: ServiceName;
  /** Seconds since the epoch when it started. */
  readonly onset: number;
  /** What was found, in one sentence with the numbers. */
  readonly finding: string;
  readonly source: 'prometheus' | 'logs' | 'traces';
  /** The query that shows it. */
  readonly query: string;
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

/** Seconds at the end of the window considered "now". */
export const RECENT_S = 60;

export function expectedSensorRate(sensorId: string): number | undefined {
  const s = sensorSpecs().find((x) => x.sensor.sensorId === sensorId)?.sensor;
  return s ? s.rateHz * s.detectionProbability * TARGETS.length : undefined;
}

export function serviceOfSensor(sensorId: string): ServiceName | undefined {
  return sensorSpecs().find((x) => x.sensor.sensorId === sensorId)?.service;
}

function isService(value: string | undefined): value is ServiceName {
  return CMS_SERVICES.some((s) => s.name === value);
}

function recent(series: Series, end: number, span = RECENT_S): number[] {
  return series.points.filter(([t]) => t >= end - span).map(([, v]) => v).filter((v) => Number.isFinite(v));
}

function median(values: readonly number[]): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Start of the last run of points satisfying `pred` (the onset of a condition that still holds). */
function onsetOfLastRun(series: Series, pred: (v: number) => boolean): number | undefined {
  let onset: number | undefined;
  for (const [t, v] of series.points) {
    if (pred(v)) onset ??= t;
    else onset = undefined;
  }
  return onset;
}

function lastPointTime(series: Series): number {
  return series.points.at(-1)?.[0] ?? 0;
}

/** Targets whose scrape is failing now (`up` is 0, or its samples stopped). */
export function scrapeFailures(up: readonly Series[], end: number, query: string): Anomaly[] {
  const out: Anomaly[] = [];
  for (const s of up) {
    const service = s.labels.service_name;
    if (!isService(service)) continue;
    const last = s.points.at(-1)?.[1];
    if (last === 0) {
      const onset = onsetOfLastRun(s, (v) => v === 0) ?? end;
      out.push({ kind: 'scrape-failure', service, onset, source: 'prometheus', query, finding: `Prometheus cannot scrape ${s.labels.instance ?? service} (up = 0 since ${new Date(onset * 1000).toISOString()})` });
    }
  }
  return out;
}

/** Sensors publishing far above (or far below) their declared rate. */
export function publishRateAnomalies(publish: readonly Series[], end: number, query: string): Anomaly[] {
  const out: Anomaly[] = [];
  const seen = new Set<string>();
  for (const s of publish) {
    const id = s.labels.sensor_id;
    const expected = expectedSensorRate(id);
    const service = serviceOfSensor(id);
    if (!expected || !service) continue;
    seen.add(id);
    const now = median(recent(s, end));
    if (now > 3 * expected) {
      out.push({
        kind: 'publish-rate-high',
        service,
        onset: onsetOfLastRun(s, (v) => v > 2 * expected) ?? end,
        source: 'prometheus',
        query,
        finding: `${id} publishes ${now.toFixed(0)} source tracks/s, ${(now / expected).toFixed(1)}× its declared ${expected.toFixed(1)}/s`,
        details: { sensor_id: id, rate: Number(now.toFixed(1)), expected: Number(expected.toFixed(1)) },
      });
    } else if (!(now > 0.2 * expected) && lastPointTime(s) < end - 15) {
      out.push({ kind: 'publish-silent', service, onset: lastPointTime(s), source: 'prometheus', query, finding: `no samples of ${id}'s publish rate since ${new Date(lastPointTime(s) * 1000).toISOString()}` });
    } else if (now < 0.2 * expected) {
      out.push({ kind: 'publish-silent', service, onset: onsetOfLastRun(s, (v) => v < 0.2 * expected) ?? end, source: 'prometheus', query, finding: `${id} publishes ${now.toFixed(1)}/s against a declared ${expected.toFixed(1)}/s` });
    }
  }
  // a declared sensor with no series at all while the others have theirs: its samples stopped (stale series drop out)
  if (seen.size > 0) {
    for (const { service, sensor } of sensorSpecs()) {
      if (seen.has(sensor.sensorId)) continue;
      out.push({ kind: 'publish-silent', service, onset: end - RECENT_S, source: 'prometheus', query, finding: `no publish-rate samples of ${sensor.sensorId} in the window, while the other sensors have theirs` });
    }
  }
  return out;
}

/**
 * Distinguishing evidence for a consumer-side fault: every sensor publishes
 * at its declared rate, so the input is not flooding (or missing). Returns
 * the finding, or undefined when some sensor is off its rate.
 */
export function inputsAtDeclaredRates(publish: readonly Series[], end: number): string | undefined {
  const rates = sensorSpecs().map(({ sensor }) => {
    const s = publish.find((p) => p.labels.sensor_id === sensor.sensorId);
    const expected = expectedSensorRate(sensor.sensorId) as number;
    return { id: sensor.sensorId, now: s ? median(recent(s, end)) : Number.NaN, expected };
  });
  if (!rates.every((r) => r.now > 0.5 * r.expected && r.now < 2 * r.expected)) return undefined;
  return `every sensor publishes at its declared rate (${rates.map((r) => `${r.id} ${r.now.toFixed(1)}/s of ${r.expected.toFixed(1)}/s`).join(', ')}): the input is healthy, not a flood`;
}

/** Sensors whose samples fusion no longer ingests although the sensor still publishes them. */
export function ingestLoss(ingest: readonly Series[], publish: readonly Series[], end: number, query: string): Anomaly[] {
  const out: Anomaly[] = [];
  for (const p of publish) {
    const id = p.labels.sensor_id;
    const expected = expectedSensorRate(id);
    const service = serviceOfSensor(id);
    if (!expected || !service) continue;
    const published = median(recent(p, end));
    if (!(published > 0.5 * expected)) continue;
    const i = ingest.find((s) => s.labels.sensor_id === id);
    const ingested = i ? median(recent(i, end)) : 0;
    if (!(ingested > 0.2 * expected)) {
      out.push({
        kind: 'ingest-loss',
        service,
        onset: i ? (onsetOfLastRun(i, (v) => v < 0.2 * expected) ?? end) : end,
        source: 'prometheus',
        query,
        finding: `${id} publishes ${published.toFixed(1)}/s but track-fusion ingests ${(Number.isFinite(ingested) ? ingested : 0).toFixed(1)}/s of it: its samples are lost between them`,
        details: { sensor_id: id, published: Number(published.toFixed(1)), ingested: Number((Number.isFinite(ingested) ? ingested : 0).toFixed(1)) },
      });
    }
  }
  return out;
}

/** Incompatible-QoS events, from the raw counters (an open label set: each series is born at its first event). */
/**
 * Incompatible-QoS counters above zero. With `end`, only a process still
 * reporting it now counts: a series that ended earlier in the window is a
 * process since replaced (a reverted fault in kept history), not today's.
 */
export function incompatibleQos(counters: readonly Series[], query: string, end?: number): Anomaly[] {
  const out: Anomaly[] = [];
  for (const s of counters) {
    const service = s.labels.service_name;
    if (!isService(service)) continue;
    const first = s.points.find(([, v]) => v > 0);
    if (!first) continue;
    if (end !== undefined && !recent(s, end).some((v) => v > 0)) continue;
    out.push({
      kind: 'incompatible-qos',
      service,
      onset: first[0],
      source: 'prometheus',
      query,
      finding: `${service} reports ${s.labels.side === 'writer' ? 'an offered' : 'a requested'} incompatible QoS (${s.labels.policy}) on ${s.labels.topic} as the ${s.labels.side}`,
      details: { side: s.labels.side ?? '', policy: s.labels.policy ?? '', topic: s.labels.topic ?? '' },
    });
  }
  return out;
}

export function latencyHigh(p95: readonly Series[], end: number, query: string, slo = 0.5): Anomaly[] {
  const s = p95[0];
  if (!s) return [];
  const worst = Math.max(...recent(s, end).filter(Number.isFinite), Number.NEGATIVE_INFINITY);
  if (!(worst > slo)) return [];
  return [{ kind: 'latency-high', service: 'track-fusion', onset: onsetOfLastRun(s, (v) => v > slo) ?? end, source: 'prometheus', query, finding: `track-fusion p95 processing latency reaches ${worst.toFixed(2)} s (SLO ${slo} s)`, details: { p95: Number(worst.toFixed(3)) } }];
}

/**
 * A reader whose per-message handler is slow (p95 over `threshold` through
 * most of the recent window): a slow consumer of a reliable topic holds its
 * writer back, so a slow writer is then no proof of its own CPU shortage.
 */
export function consumerSlow(p95: readonly Series[], service: ServiceName, end: number, query: string, threshold = 0.05): Anomaly[] {
  const s = p95[0];
  if (!s) return [];
  const values = recent(s, end);
  const slow = values.filter((v) => v > threshold);
  if (values.length < 3 || slow.length * 2 < values.length) return [];
  const worst = Math.max(...slow);
  return [{ kind: 'consumer-slow', service, onset: onsetOfLastRun(s, (v) => v > threshold) ?? end, source: 'prometheus', query, finding: `${service} takes ${worst.toFixed(2)} s per message at p95 (over ${threshold} s): a slow reader`, details: { p95: Number(worst.toFixed(3)) } }];
}

/**
 * A process whose event loop lags through most of the recent window. One
 * spike is what any busy host shows (a GC pause, a neighbour's burst) and is
 * no sign of starvation; a starved process lags in sample after sample.
 */
export function eventLoopLag(lag: readonly Series[], end: number, query: string, threshold = 0.05): Anomaly[] {
  const out: Anomaly[] = [];
  for (const s of lag) {
    const service = s.labels.service_name;
    if (!isService(service)) continue;
    const values = recent(s, end);
    const lagging = values.filter((v) => v > threshold).length;
    if (values.length < 3 || lagging * 2 < values.length) continue;
    const worst = Math.max(...values);
    out.push({ kind: 'event-loop-lag', service, onset: onsetOfLastRun(s, (v) => v > threshold) ?? end, source: 'prometheus', query, finding: `${service}'s event loop lags up to ${(worst * 1000).toFixed(0)} ms (p99) in ${lagging} of the last ${values.length} samples: the process gets too little CPU or is blocked` });
  }
  return out;
}

export function queueDeep(queue: readonly Series[], end: number, query: string, threshold = 100): Anomaly[] {
  const s = queue[0];
  if (!s) return [];
  const worst = Math.max(...recent(s, end), Number.NEGATIVE_INFINITY);
  if (!(worst > threshold)) return [];
  return [{ kind: 'queue-deep', service: 'track-fusion', onset: onsetOfLastRun(s, (v) => v > threshold) ?? end, source: 'prometheus', query, finding: `track-fusion's inbox holds up to ${worst.toFixed(0)} source tracks (usually empty)` }];
}

/** Least-squares slope of the last `span` seconds, bytes per second. */
export function slope(series: Series, end: number, span = 120): number {
  const pts = series.points.filter(([t, v]) => t >= end - span && Number.isFinite(v));
  if (pts.length < 3) return 0;
  const mx = pts.reduce((a, [t]) => a + t, 0) / pts.length;
  const my = pts.reduce((a, [, v]) => a + v, 0) / pts.length;
  const den = pts.reduce((a, [t]) => a + (t - mx) ** 2, 0);
  return den === 0 ? 0 : pts.reduce((a, [t, v]) => a + (t - mx) * (v - my), 0) / den;
}

export function memoryGrowth(memory: readonly Series[], end: number, query: string): Anomaly[] {
  const s = memory[0];
  if (!s) return [];
  const rate = slope(s, end);
  const last = s.points.at(-1)?.[1] ?? 0;
  if (!(rate > 300_000 && last > 150e6)) return [];
  const onset = s.points.find(([, v]) => v > 100e6)?.[0] ?? end;
  return [{ kind: 'memory-growth', service: 'track-fusion', onset, source: 'prometheus', query, finding: `track-fusion resident memory grows ${(rate / 1e6).toFixed(2)} MB/s and is at ${(last / 1e6).toFixed(0)} MB`, details: { bytesPerSecond: Math.round(rate), bytes: Math.round(last) } }];
}

/** Services whose process start time changed inside the window (restarted). */
export function restarts(startTimes: readonly Series[], query: string): Anomaly[] {
  const out: Anomaly[] = [];
  for (const s of startTimes) {
    const service = s.labels.service_name;
    if (!isService(service)) continue;
    const values = s.points.map(([, v]) => v);
    if (values.length < 2 || Math.max(...values) - Math.min(...values) < 1) continue;
    const newest = Math.max(...values);
    out.push({ kind: 'restart', service, onset: newest, source: 'prometheus', query, finding: `${service} restarted at ${new Date(newest * 1000).toISOString()} (process_start_time_seconds changed)` });
  }
  return out;
}

export function tracksLow(tracks: readonly Series[], end: number, query: string): Anomaly[] {
  const s = tracks[0];
  if (!s) return [];
  const last = s.points.at(-1)?.[1];
  if (last === undefined || last >= STEADY_STATE.activeTracks) return [];
  return [{ kind: 'tracks-low', service: 'track-fusion', onset: onsetOfLastRun(s, (v) => v < STEADY_STATE.activeTracks) ?? end, source: 'prometheus', query, finding: `track-fusion maintains ${last} of the ${STEADY_STATE.activeTracks} expected tactical tracks` }];
}

/** More tactical tracks than targets: duplicate or ghost tracks. */
export function tracksHigh(tracks: readonly Series[], end: number, query: string): Anomaly[] {
  const s = tracks[0];
  const last = s?.points.at(-1)?.[1];
  if (!s || last === undefined || last <= STEADY_STATE.activeTracks) return [];
  return [{ kind: 'tracks-high', service: 'track-fusion', onset: onsetOfLastRun(s, (v) => v > STEADY_STATE.activeTracks) ?? end, source: 'prometheus', query, finding: `track-fusion maintains ${last} tactical tracks for ${STEADY_STATE.activeTracks} targets` }];
}

/**
 * The paged rule's own condition, evaluated now: a page whose condition
 * still holds is a real symptom even when no detector explains it (the
 * control's spurious page does not hold).
 */
export function pageConditionHolds(paged: readonly Series[], end: number, query: string, rule: { readonly title: string }, service: ServiceName): Anomaly[] {
  const holding = paged.filter((s) => recent(s, end).length > 0);
  if (!holding.length) return [];
  const first = Math.min(...holding.map((s) => s.points[0]?.[0] ?? end));
  return [{ kind: 'page-condition-holds', service, onset: first, source: 'prometheus', query, finding: `the paged condition (${rule.title}) still holds: ${query} returns ${holding.map((s) => Number((s.points.at(-1)?.[1] ?? 0).toFixed(2))).join(', ')}` }];
}

/**
 * ENGAGE orders stopped: command-center issued some earlier in the window and
 * none for at least the last half minute (the series is the 1 m increase).
 */
export function engagementsStopped(engageOrders: readonly Series[], end: number, query: string, quietS = 30): Anomaly[] {
  const s = engageOrders[0];
  if (!s) return [];
  const since = onsetOfLastRun(s, (v) => v < 1);
  if (since === undefined || end - since < quietS || !s.points.some(([t, v]) => t < since && v >= 1)) return [];
  return [{ kind: 'engagements-stopped', service: 'command-center', onset: since, source: 'prometheus', query, finding: `command-center has issued no ENGAGE order since ${new Date(since * 1000).toISOString()}, after issuing them earlier in the window` }];
}

export function contributorRemovals(removed: readonly Series[], query: string): Anomaly[] {
  const s = removed[0];
  const first = s?.points.find(([, v]) => v > 0);
  if (!first) return [];
  return [{ kind: 'contributor-removed', service: 'track-fusion', onset: first[0], source: 'prometheus', query, finding: 'a sensor left the contributing-sensor set of tactical tracks' }];
}

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** For a service whose scrape fails: did it log an orderly stop, or did its logs just end? */
export function stopOrSilence(service: ServiceName, logs: readonly LogRecord[], onset: number, query: string): Anomaly[] {
  const events = logs.map((l) => ({ ...l, record: parseLine(l.line) }));
  const stopEvents = events.filter((e) => (e.record?.event === 'service_stopping' || e.record?.event === 'signal_received') && e.time >= onset - 30);
  const stop = stopEvents[0];
  if (stop) {
    const signal = stopEvents.find((e) => e.record?.event === 'signal_received')?.record?.signal;
    const what = [...new Set(stopEvents.map((e) => String(e.record?.event)))].join(' and ');
    return [{ kind: 'orderly-stop-logged', service, onset: stop.time, source: 'logs', query, finding: `${service} logged ${what}${signal ? ` (${String(signal)})` : ''} at ${new Date(stop.time * 1000).toISOString()}: the process was stopped` }];
  }
  const before = events.filter((e) => e.time < onset + 5);
  if (before.length) {
    const last = before.at(-1) as (typeof before)[number];
    return [{ kind: 'logs-ended-without-stop', service, onset: last.time, source: 'logs', query, finding: `${service}'s logs simply end at ${new Date(last.time * 1000).toISOString()} (last: ${String(last.record?.event)}), with no signal_received or service_stopping record: the process did not stop, it became unreachable` }];
  }
  return [];
}

/** dds_writer_ready records with a QoS override (env_qos_override true). */
export function qosOverrides(logs: readonly LogRecord[], query: string): Anomaly[] {
  const out: Anomaly[] = [];
  for (const l of logs) {
    const r = parseLine(l.line);
    if (r?.event === 'dds_writer_ready' && r.env_qos_override === true && isService(String(r.service))) {
      out.push({ kind: 'qos-override-logged', service: r.service as ServiceName, onset: l.time, source: 'logs', query, finding: `${String(r.service)} created its ${String(r.topic)} writer with QoS profile ${String(r.qos_profile)} from the environment (env_qos_override=true), not the canonical one` });
    }
  }
  return out;
}

/** sensor_started records whose target rate differs from the model's. */
export function rateConfig(logs: readonly LogRecord[], query: string): Anomaly[] {
  const out: Anomaly[] = [];
  for (const l of logs) {
    const r = parseLine(l.line);
    if (r?.event !== 'sensor_started') continue;
    const declared = sensorSpecs().find((s) => s.sensor.sensorId === r.sensor_id);
    if (declared && Number(r.target_rate_hz) !== declared.sensor.rateHz) {
      out.push({ kind: 'rate-config-logged', service: declared.service, onset: l.time, source: 'logs', query, finding: `${declared.service} started with target_rate_hz ${String(r.target_rate_hz)} instead of ${declared.sensor.rateHz}` });
    }
  }
  return out;
}

/** Sensors named in tactical_track_contributors_changed `removed` fields. */
export function removedSensors(logs: readonly LogRecord[]): Array<{ sensorId: string; time: number }> {
  const out: Array<{ sensorId: string; time: number }> = [];
  for (const l of logs) {
    const r = parseLine(l.line);
    if (r?.event === 'tactical_track_contributors_changed' && Array.isArray(r.removed)) for (const id of r.removed as string[]) out.push({ sensorId: id, time: l.time });
  }
  return out;
}
