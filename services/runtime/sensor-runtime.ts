/**
 * The loop the three sensors share: scan the world at the configured rate,
 * publish one SourceTrack per detection inside a `sensor.scan.<id>` root
 * span, and report cadence honestly (heartbeat with observed rates, overrun
 * warnings when a scan cannot keep up).
 */
import { SpanKind } from '@opentelemetry/api';
import type { SensorServiceName, SensorSpec } from '../../model/services';
import type { ServiceContext } from './service';
import { traceContextOf } from './trace-context';
import { SeededRandom, nowNs, scan, seedFrom } from './world';

export const HEARTBEAT_INTERVAL_MS = 30_000;
/** At most one overrun warning per this interval, so a starved sensor cannot flood its own logs. */
const OVERRUN_LOG_INTERVAL_MS = 5_000;

/** Sensor-local track number of a target: stable, but says nothing about the target's identity. */
export function sensorTrackId(sensorId: string, targetId: string): string {
  return `${sensorId}-L${100 + (seedFrom(`${sensorId}/${targetId}`) % 900)}`;
}

export function runSensor(context: ServiceContext<SensorServiceName>): void {
  const sensor = context.spec.sensor as SensorSpec;
  const rateHz = context.config.publishRateHz ?? sensor.rateHz;
  const periodMs = 1000 / rateHz;
  const random = new SeededRandom(context.config.randomSeed ?? seedFrom(sensor.sensorId));
  const { metrics, log } = context;
  const writer = context.writer('SourceTrackTopic');
  const labels = { sensor_id: sensor.sensorId };

  log.emit('sensor_started', {
    sensor_id: sensor.sensorId,
    sensor_type: sensor.sensorType,
    target_rate_hz: rateHz,
    detection_probability: sensor.detectionProbability,
  });

  let windowStart = Date.now();
  let windowPublished = 0;
  let windowDropped = 0;
  context.every(HEARTBEAT_INTERVAL_MS, () => {
    const elapsedS = (Date.now() - windowStart) / 1000;
    log.emit('sensor_heartbeat', {
      sensor_id: sensor.sensorId,
      target_rate_hz: rateHz,
      publish_rate_hz_observed: Number((windowPublished / elapsedS).toFixed(3)),
      drop_rate_hz_observed: Number((windowDropped / elapsedS).toFixed(3)),
    });
    windowStart = Date.now();
    windowPublished = 0;
    windowDropped = 0;
  });

  const scanOnce = () => {
    const tSeconds = Date.now() / 1000;
    const { detections, missed } = scan(sensor, tSeconds, random);
    if (missed > 0) metrics.cms_sensor_undetected_total.inc(labels, missed);
    windowDropped += missed;
    const span = context.tracer.startSpan(`sensor.scan.${sensor.sensorId}`, {
      kind: SpanKind.PRODUCER,
      attributes: {
        'sensor.id': sensor.sensorId,
        'sensor.type': sensor.sensorType,
        'scan.target_count': detections.length,
        'messaging.system': 'dds',
        'messaging.destination.name': 'SourceTrackTopic',
      },
    });
    try {
      const trace = traceContextOf(span);
      for (const { target, measured } of detections) {
        const started = process.hrtime.bigint();
        const result = writer.write({
          sensor_id: sensor.sensorId,
          sensor_track_id: sensorTrackId(sensor.sensorId, target.id),
          sensor_type: sensor.sensorType,
          classification: sensor.classifies ? target.classification : 'UNKNOWN',
          classification_confidence: sensor.classifies ? (sensor.sensorType === 'EO' ? 0.9 : 0.8) : 0,
          // a miscalibrated sensor shifts every measurement by the same offset, and cannot tell
          x_m: measured.x + context.config.positionBiasM,
          y_m: measured.y,
          z_m: measured.z,
          vx_mps: measured.vx,
          vy_mps: measured.vy,
          vz_mps: measured.vz,
          position_sigma_m: sensor.positionSigmaM,
          measured_at_ns: nowNs(),
          trace,
        });
        metrics.cms_sensor_publish_seconds.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
        if (result === 'written') {
          metrics.cms_sensor_published_total.inc(labels);
          windowPublished++;
        } else {
          windowDropped++;
        }
      }
    } finally {
      span.end();
    }
  };

  // drift-compensated cadence: scan k is due at start + k * period
  const start = performance.now();
  let k = 0;
  let lastOverrunLog = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    const scanStart = performance.now();
    scanOnce();
    const now = performance.now();
    k++;
    let due = start + k * periodMs;
    if (now > due + periodMs) {
      // more than a whole period late: skip the missed scans instead of bursting to catch up
      if (now - lastOverrunLog > OVERRUN_LOG_INTERVAL_MS) {
        lastOverrunLog = now;
        log.emit('sensor_loop_overrun', {
          sensor_id: sensor.sensorId,
          scan_ms: Number((now - scanStart).toFixed(3)),
          period_ms: Number(periodMs.toFixed(3)),
        });
      }
      k = Math.ceil((now - start) / periodMs);
      due = start + k * periodMs;
    }
    timer = setTimeout(tick, Math.max(0, due - performance.now()));
  };
  timer = setTimeout(tick, 0);
  context.onStop(() => {
    stopped = true;
    if (timer) clearTimeout(timer);
  });
}
