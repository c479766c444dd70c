/**
 * W3C trace context across DDS: the active span's context is serialised into
 * each message's `cms::TraceContext` (traceparent, tracestate) and continued
 * by the receiver, so one trace spans every hop of the pipeline.
 */
import { type Context, ROOT_CONTEXT, type Span, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { TraceContext } from '../generated/messages';

const propagator = new W3CTraceContextPropagator();

const setter = {
  set(carrier: Record<string, string>, key: string, value: string) {
    carrier[key] = value;
  },
};

const getter = {
  keys: (carrier: TraceContext) => Object.keys(carrier),
  get(carrier: TraceContext, key: string): string | undefined {
    if (key === 'traceparent') return carrier.traceparent || undefined;
    if (key === 'tracestate') return carrier.tracestate || undefined;
    return undefined;
  },
};

/** The message field for a span: its traceparent and tracestate. */
export function traceContextOf(span: Span): TraceContext {
  const carrier: Record<string, string> = {};
  propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, setter);
  return { traceparent: carrier.traceparent ?? '', tracestate: carrier.tracestate ?? '' };
}

/** The parent context carried by a message; ROOT_CONTEXT when it carries none or an invalid one. */
export function contextFrom(carrier: TraceContext): Context {
  return propagator.extract(ROOT_CONTEXT, carrier, getter);
}
