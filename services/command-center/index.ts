/** command-center: ThreatAssessment → ENGAGE (HIGH, CRITICAL) or MONITOR mission orders, rate-limited per track. */
import { SpanKind } from '@opentelemetry/api';
import { COMMAND } from '../../model/simulation';
import type { MissionOrder, OrderAction, ThreatLevel } from '../generated/messages';
import type { ServiceImplementation } from '../runtime/service';
import { contextFrom, traceContextOf } from '../runtime/trace-context';
import { nowNs } from '../runtime/world';

export const commandCenter: ServiceImplementation<'command-center'> = (context) => {
  const { metrics, log, tracer } = context;
  const writer = context.writer('MissionOrderTopic');
  const lastOrder = new Map<string, { action: OrderAction; level: ThreatLevel; at: number }>();
  const issued: Array<{ order: MissionOrder; at: number }> = [];
  let sequence = 0;
  const runId = Date.now().toString(36).toUpperCase();

  context.reader('ThreatAssessmentTopic', (assessment) => {
    const now = Date.now();
    const engage = (COMMAND.engageLevels as readonly string[]).includes(assessment.level);
    const previous = lastOrder.get(assessment.track_id);
    const action: OrderAction = engage ? 'ENGAGE' : 'MONITOR';
    const due = engage
      ? !previous || previous.action !== 'ENGAGE' || now - previous.at >= COMMAND.reengageIntervalS * 1000
      : !previous || previous.level !== assessment.level || now - previous.at >= COMMAND.monitorIntervalS * 1000;
    if (!due) return;

    const started = process.hrtime.bigint();
    const orderId = `ORD-${runId}-${String(++sequence).padStart(5, '0')}`;
    const span = tracer.startSpan(
      'command.issue_order',
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'order.id': orderId,
          'order.action': action,
          tactical_track_id: assessment.track_id,
          'messaging.system': 'dds',
          'messaging.destination.name': 'MissionOrderTopic',
        },
      },
      contextFrom(assessment.trace),
    );
    try {
      const order: MissionOrder = {
        order_id: orderId,
        track_id: assessment.track_id,
        action,
        threat_level: assessment.level,
        issued_at_ns: nowNs(),
        trace: traceContextOf(span),
      };
      if (writer.write(order) === 'written') {
        lastOrder.set(assessment.track_id, { action, level: assessment.level, at: now });
        issued.push({ order, at: now });
        metrics.cms_orders_issued_total.inc({ action });
        log.emit('mission_order_issued', { order_id: orderId, action, track_id: assessment.track_id, threat_level: assessment.level }, span);
      }
    } finally {
      span.end();
      metrics.cms_command_processing_seconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    }
  });

  // TRANSIENT_LOCAL + KEEP_ALL keeps every order for late joiners: unregister old ones so the history stays bounded
  context.every(5_000, () => {
    const cutoff = Date.now() - COMMAND.orderRetentionS * 1000;
    while (issued.length && issued[0].at < cutoff) writer.unregister((issued.shift() as { order: MissionOrder }).order);
  });
};
