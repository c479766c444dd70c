/**
 * tactical-display: ingests every CMS topic and serves the live tactical
 * picture as JSON (GET /api/picture), the operator's view of the pipeline.
 */
import { SpanKind } from '@opentelemetry/api';
import { TOPIC_NAMES, type TopicName } from '../../model/topics';
import { DISPLAY } from '../../model/simulation';
import type { EngagementStatus, MissionOrder, TacticalTrack, ThreatAssessment } from '../generated/messages';
import type { TopicMessage } from '../runtime/dds/participant';
import type { ServiceImplementation } from '../runtime/service';
import { contextFrom } from '../runtime/trace-context';

const RECENT_ORDERS = 20;
const ENGAGEMENT_MEMORY_MS = 60_000;

export const tacticalDisplay: ServiceImplementation<'tactical-display'> = (context) => {
  const { metrics, log, tracer } = context;
  const tracks = new Map<string, { track: TacticalTrack; at: number }>();
  const threats = new Map<string, ThreatAssessment>();
  const orders: MissionOrder[] = [];
  const engagements = new Map<string, { status: EngagementStatus; at: number }>();
  const sensorsSeen = new Map<string, number>();
  // CHAOS HOOK (slow consumer): a synchronous redraw per track update; the reliable KEEP_ALL reader then falls behind and holds fusion's writer back
  const redrawMs = context.config.displayRedrawMs;
  const redraw = () => {
    const until = performance.now() + redrawMs;
    while (performance.now() < until);
  };

  const handlers: { [N in TopicName]: (sample: TopicMessage<N>) => void } = {
    SourceTrackTopic: (s) => sensorsSeen.set(s.sensor_id, Date.now()),
    TacticalTrackTopic: (t) => {
      tracks.set(t.track_id, { track: t, at: Date.now() });
      if (redrawMs > 0) redraw();
    },
    ThreatAssessmentTopic: (a) => threats.set(a.track_id, a),
    MissionOrderTopic: (o) => {
      orders.push(o);
      if (orders.length > RECENT_ORDERS) orders.shift();
    },
    EngagementStatusTopic: (e) => engagements.set(e.order_id, { status: e, at: Date.now() }),
  };

  const subscribe = <N extends TopicName>(topic: N) => {
    context.reader(topic, (sample) => {
      const started = process.hrtime.bigint();
      const span = tracer.startSpan(
        `display.ingest.${topic}`,
        { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'dds', 'messaging.destination.name': topic } },
        contextFrom(sample.trace),
      );
      try {
        handlers[topic](sample);
        metrics.cms_display_received_total.inc({ topic });
      } finally {
        span.end();
        metrics.cms_display_handler_seconds.observe({ topic }, Number(process.hrtime.bigint() - started) / 1e9);
      }
    });
  };
  for (const topic of TOPIC_NAMES) subscribe(topic);

  const visibleTracks = () => {
    const cutoff = Date.now() - DISPLAY.trackVisibleS * 1000;
    return [...tracks.values()].filter((t) => t.at >= cutoff);
  };
  context.every(1000, () => {
    const cutoff = Date.now() - DISPLAY.trackVisibleS * 1000;
    for (const [id, t] of tracks) if (t.at < cutoff) tracks.delete(id);
    for (const [id, e] of engagements) if (Date.now() - e.at > ENGAGEMENT_MEMORY_MS) engagements.delete(id);
    metrics.cms_display_active_tracks.set(visibleTracks().length);
  });
  metrics.cms_display_active_tracks.set(0);

  context.route('/api/picture', () => {
    const now = Date.now();
    return {
      status: 200,
      body: {
        generated_at: new Date(now).toISOString(),
        tracks: visibleTracks().map(({ track, at }) => {
          const threat = threats.get(track.track_id);
          return {
            track_id: track.track_id,
            classification: track.classification,
            position_m: { x: Math.round(track.x_m), y: Math.round(track.y_m), z: Math.round(track.z_m) },
            speed_mps: Number(track.speed_mps.toFixed(1)),
            contributing_sensors: track.contributing_sensors,
            update_count: track.update_count,
            updated_ms_ago: now - at,
            threat_level: threat?.level ?? null,
            priority: threat?.priority ?? null,
          };
        }),
        engagements: [...engagements.values()].map(({ status, at }) => ({
          order_id: status.order_id,
          track_id: status.track_id,
          status: status.status,
          updated_ms_ago: now - at,
        })),
        recent_orders: orders.map((o) => ({ order_id: o.order_id, track_id: o.track_id, action: o.action, threat_level: o.threat_level })),
        sensors: Object.fromEntries([...sensorsSeen].map(([id, at]) => [id, { last_seen_ms_ago: now - at }])),
      },
    };
  });
  log.emit('http_starting', { port: context.config.metricsPort });
};
