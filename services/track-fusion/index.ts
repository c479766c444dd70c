/**
 * track-fusion: SourceTracks from every sensor → a bounded inbox →
 * nearest-neighbour correlation → one TacticalTrack per real target.
 */
import { SpanKind } from '@opentelemetry/api';
import { FUSION } from '../../model/simulation';
import type { SourceTrack } from '../generated/messages';
import { BoundedQueue } from '../runtime/bounded-queue';
import type { ServiceImplementation } from '../runtime/service';
import { contextFrom, traceContextOf } from '../runtime/trace-context';
import { nowNs } from '../runtime/world';
import { Correlator } from './correlator';

interface Pending {
  readonly sample: SourceTrack;
  /** DDS source timestamp: when the sensor wrote the sample. */
  readonly writtenAtNs: bigint;
}

export const trackFusion: ServiceImplementation<'track-fusion'> = (context) => {
  const { metrics, log, tracer } = context;
  const correlator = new Correlator();
  const inbox = new BoundedQueue<Pending>(FUSION.queueCapacity);
  const writer = context.writer('TacticalTrackTopic');

  // ---- CHAOS HOOK (memory-leak scenario) ---------------------------------------------------
  // With CMS_LEAK_RATE_BYTES > 0, every ingested SourceTrack retains that many
  // bytes forever (filled, so the pages really count in RSS). Off by default;
  // deliberately silent: nothing in logs or metrics says it is on.
  const leakBytes = context.config.leakRateBytes;
  const leaked: Buffer[] = [];
  // -------------------------------------------------------------------------------------------

  let droppedSinceLog = 0;
  let lastDropLog = 0;
  let draining = false;

  const drain = () => {
    draining = false;
    for (let i = 0; i < FUSION.batchSize; i++) {
      const item = inbox.shift();
      if (!item) break;
      fuse(item);
    }
    metrics.cms_fusion_queue_depth.set(inbox.length);
    if (inbox.length > 0) schedule();
  };
  const schedule = () => {
    if (!draining) {
      draining = true;
      setImmediate(drain);
    }
  };

  const fuse = ({ sample, writtenAtNs }: Pending) => {
    const span = tracer.startSpan(
      'fusion.ingest',
      { kind: SpanKind.CONSUMER, attributes: { 'sensor.id': sample.sensor_id, 'messaging.system': 'dds', 'messaging.destination.name': 'SourceTrackTopic' } },
      contextFrom(sample.trace),
    );
    try {
      const result = correlator.ingest(sample, Number(sample.measured_at_ns) / 1e9);
      const { track } = result;
      span.setAttribute('tactical_track_id', track.trackId);
      if (result.initiated) {
        log.emit('tactical_track_initiated', { tactical_track_id: track.trackId, sensor_id: sample.sensor_id }, span);
      }
      if (result.added.length || result.removed.length) {
        if (result.added.length) metrics.cms_fusion_contributors_changed_total.inc({ change: 'added' }, result.added.length);
        if (result.removed.length) metrics.cms_fusion_contributors_changed_total.inc({ change: 'removed' }, result.removed.length);
        log.emit(
          'tactical_track_contributors_changed',
          {
            tactical_track_id: track.trackId,
            previous_contributors: result.contributors.filter((s) => !result.added.includes(s)).concat(result.removed).sort(),
            contributors: result.contributors,
            added: result.added,
            removed: result.removed,
          },
          span,
        );
      }
      const speed = Math.hypot(track.vx, track.vy, track.vz);
      const written = writer.write({
        track_id: track.trackId,
        classification: result.classification,
        x_m: track.x,
        y_m: track.y,
        z_m: track.z,
        vx_mps: track.vx,
        vy_mps: track.vy,
        vz_mps: track.vz,
        speed_mps: speed,
        contributing_sensors: [...result.contributors],
        update_count: track.updateCount,
        updated_at_ns: nowNs(),
        trace: traceContextOf(span),
      });
      if (written === 'written') metrics.cms_fusion_published_total.inc();
      metrics.cms_fusion_processing_seconds.observe(Math.max(0, Number(nowNs() - writtenAtNs) / 1e9));
    } finally {
      span.end();
    }
  };

  context.reader('SourceTrackTopic', (sample, meta) => {
    if (!inbox.push({ sample, writtenAtNs: meta.sourceTimestampNs })) {
      droppedSinceLog++;
      const now = Date.now();
      if (now - lastDropLog >= 1000) {
        log.emit('fusion_queue_full_dropping', { queue_depth: inbox.length, capacity: inbox.capacity, dropped: droppedSinceLog });
        lastDropLog = now;
        droppedSinceLog = 0;
      }
      return;
    }
    metrics.cms_fusion_ingested_total.inc({ sensor_id: sample.sensor_id });
    if (leakBytes > 0) leaked.push(Buffer.alloc(leakBytes, 0x5a));
    metrics.cms_fusion_queue_depth.set(inbox.length);
    schedule();
  });

  context.every(FUSION.memorySampleIntervalS * 1000, () => {
    metrics.cms_fusion_memory_bytes.set(process.memoryUsage.rss());
    for (const { trackId, idleS } of correlator.expire(Date.now() / 1000, FUSION.trackTimeoutS)) {
      log.emit('tactical_track_dropped', { tactical_track_id: trackId, idle_seconds: Number(idleS.toFixed(3)) });
    }
    metrics.cms_fusion_active_tracks.set(correlator.activeTracks);
  });
  metrics.cms_fusion_memory_bytes.set(process.memoryUsage.rss());
  metrics.cms_fusion_active_tracks.set(0);
  metrics.cms_fusion_queue_depth.set(0);
};
