/** effector-manager: MissionOrder → engagement lifecycle ACCEPTED → IN_FLIGHT → HIT/MISS for ENGAGE orders. */
import { SpanKind, type Span } from '@opentelemetry/api';
import { EFFECTOR } from '../../model/simulation';
import type { EngagementState, MissionOrder } from '../generated/messages';
import type { ServiceImplementation } from '../runtime/service';
import { contextFrom, traceContextOf } from '../runtime/trace-context';
import { SeededRandom, nowNs, seedFrom } from '../runtime/world';

/** Orders older than this when received (a TRANSIENT_LOCAL replay after a restart) are acknowledged, not flown. */
const STALE_ORDER_S = 10;

export const effectorManager: ServiceImplementation<'effector-manager'> = (context) => {
  const { metrics, log, tracer } = context;
  const writer = context.writer('EngagementStatusTopic');
  const random = new SeededRandom(context.config.randomSeed ?? seedFrom('effector-manager'));
  const seen = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const open = new Set<Span>();

  const after = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const transition = (order: MissionOrder, span: Span, previous: EngagementState | 'NONE', status: EngagementState) => {
    writer.write({ order_id: order.order_id, track_id: order.track_id, status, changed_at_ns: nowNs(), trace: traceContextOf(span) });
    metrics.cms_engagement_transitions_total.inc({ status });
    log.emit('engagement_status_changed', { order_id: order.order_id, track_id: order.track_id, previous_status: previous, status }, span);
  };

  context.reader('MissionOrderTopic', (order) => {
    if (seen.has(order.order_id)) return;
    seen.add(order.order_id);
    if (seen.size > 10_000) seen.delete(seen.values().next().value as string);
    metrics.cms_orders_received_total.inc({ action: order.action });
    const span = tracer.startSpan(
      'effector.engage',
      {
        kind: SpanKind.CONSUMER,
        attributes: { 'order.id': order.order_id, 'order.action': order.action, 'messaging.system': 'dds', 'messaging.destination.name': 'MissionOrderTopic' },
      },
      contextFrom(order.trace),
    );
    const ageS = Number(nowNs() - order.issued_at_ns) / 1e9;
    if (order.action !== 'ENGAGE' || ageS > STALE_ORDER_S) {
      span.end();
      return;
    }
    open.add(span);
    const started = performance.now();
    transition(order, span, 'NONE', 'ACCEPTED');
    after(EFFECTOR.launchDelayS * 1000, () => {
      transition(order, span, 'ACCEPTED', 'IN_FLIGHT');
      const [low, high] = EFFECTOR.flightTimeS;
      const flightMs = (low + (high - low) * random.next()) * 1000;
      after(flightMs, () => {
        const outcome: EngagementState = random.next() < EFFECTOR.hitProbability ? 'HIT' : 'MISS';
        transition(order, span, 'IN_FLIGHT', outcome);
        const durationS = (performance.now() - started) / 1000;
        metrics.cms_engagement_outcomes_total.inc({ outcome });
        metrics.cms_engagement_duration_seconds.observe(durationS);
        log.emit('engagement_resolved', { order_id: order.order_id, track_id: order.track_id, outcome, duration_seconds: Number(durationS.toFixed(3)) }, span);
        span.setAttribute('engagement.outcome', outcome);
        span.end();
        open.delete(span);
      });
    });
  });

  context.onStop(() => {
    for (const timer of timers) clearTimeout(timer);
    for (const span of open) span.end();
  });
};
