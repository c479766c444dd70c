/** threat-evaluator: TacticalTrack → scored ThreatAssessment, one per track update. */
import { SpanKind } from '@opentelemetry/api';
import type { ThreatLevel } from '../generated/messages';
import type { ServiceImplementation } from '../runtime/service';
import { contextFrom, traceContextOf } from '../runtime/trace-context';
import { nowNs } from '../runtime/world';
import { levelWithHysteresis, rationale, thresholdsShiftedBy, threatScore } from './scoring';

/** Tracks not updated for this long leave the priority ranking. */
const RANKING_WINDOW_MS = 10_000;

export const threatEvaluator: ServiceImplementation<'threat-evaluator'> = (context) => {
  const { metrics, log, tracer } = context;
  const writer = context.writer('ThreatAssessmentTopic');
  const state = new Map<string, { level: ThreatLevel; score: number; seenAt: number }>();
  const thresholds = thresholdsShiftedBy(context.config.threatThresholdShift);
  // the configuration in force, once: what an operator compares with the specified thresholds
  log.emit('threat_thresholds_loaded', { critical: thresholds.CRITICAL, high: thresholds.HIGH, medium: thresholds.MEDIUM });

  context.reader('TacticalTrackTopic', (track) => {
    const started = process.hrtime.bigint();
    const span = tracer.startSpan(
      'threat.evaluate',
      { kind: SpanKind.CONSUMER, attributes: { tactical_track_id: track.track_id, 'messaging.system': 'dds', 'messaging.destination.name': 'TacticalTrackTopic' } },
      contextFrom(track.trace),
    );
    try {
      const score = threatScore(track.classification, track.speed_mps, track.z_m);
      const previous = state.get(track.track_id);
      const level = levelWithHysteresis(score, previous?.level, thresholds);
      const now = Date.now();
      state.set(track.track_id, { level, score, seenAt: now });
      for (const [id, s] of state) if (now - s.seenAt > RANKING_WINDOW_MS) state.delete(id);
      const priority = 1 + [...state.values()].filter((s) => s.score > score).length;
      const why = rationale(track.classification, track.speed_mps, track.z_m, score);
      if (previous && previous.level !== level) {
        metrics.cms_threat_level_transitions_total.inc({ from_level: previous.level, to_level: level });
        log.emit('threat_level_changed', { track_id: track.track_id, previous_level: previous.level, threat_level: level, rationale: why }, span);
      }
      span.setAttributes({ 'threat.level': level, 'threat.priority': priority, 'threat.score': Number(score.toFixed(1)) });
      metrics.cms_threat_evaluated_total.inc({ level });
      writer.write({
        track_id: track.track_id,
        level,
        priority,
        score,
        rationale: why,
        assessed_at_ns: nowNs(),
        trace: traceContextOf(span),
      });
    } finally {
      span.end();
      metrics.cms_threat_processing_seconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    }
  });
};
