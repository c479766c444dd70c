/**
 * Structured logging bound to the telemetry contract: a service can only emit
 * the log events the contract gives it, with exactly the contract's fields,
 * at the contract's level. Each record is one JSON line on stdout (what
 * `docker logs` shows) and an OTel LogRecord (what reaches Loki, labelled
 * with service_name), both carrying the active trace and span ids.
 */
import { ROOT_CONTEXT, type Span, type SpanContext, isSpanContextValid, trace } from '@opentelemetry/api';
import type { Logger as OtelLogger } from '@opentelemetry/api-logs';
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { ServiceName } from '../../model/services';
import { type LogEventByName, type LogEventName, type LogEventOf, type LogLevel, logEventSpec } from '../../model/telemetry';

export type LogValue = string | number | boolean | null | readonly string[];

type FieldsOf<E> = E extends { fields: readonly (infer F extends string)[] } ? { [K in F]: LogValue } : never;

export type EventName<S extends ServiceName> = LogEventOf<S>['event'] & LogEventName;
/** Events of the common floor: `S extends X` over the whole ServiceName union holds only for events of every service. */
export type CommonEventName = EventName<ServiceName>;
export type EventFields<N extends LogEventName> = FieldsOf<LogEventByName<N>>;

const SEVERITY: Record<LogLevel, SeverityNumber> = {
  debug: SeverityNumber.DEBUG,
  info: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
};

export type LogSink = (line: string) => void;

export class ServiceLogger<S extends ServiceName> {
  private otel?: OtelLogger;

  constructor(
    readonly service: S,
    private readonly sink: LogSink = (line) => process.stdout.write(`${line}\n`),
  ) {}

  /** Also send records over OTLP from now on (telemetry starts after the first records). */
  attach(otel: OtelLogger): void {
    this.otel = otel;
  }

  emit<N extends EventName<S> | CommonEventName>(event: N, fields: EventFields<N>, span?: Span | SpanContext): void {
    const spec = logEventSpec(event);
    if (!spec) throw new Error(`log event '${event}' is not in the telemetry contract`);
    const context = span && 'spanContext' in span ? span.spanContext() : span;
    const traced = context && isSpanContextValid(context) ? { trace_id: context.traceId, span_id: context.spanId } : {};
    const record = {
      timestamp: new Date().toISOString(),
      level: spec.level,
      event,
      service: this.service,
      ...(fields as Record<string, LogValue>),
      ...traced,
    };
    const line = JSON.stringify(record);
    this.sink(line);
    if (this.otel) {
      const attributes: Record<string, string | number | boolean | string[]> = { event, level: spec.level };
      for (const [key, value] of Object.entries(fields as Record<string, LogValue>)) {
        if (value === null) continue;
        attributes[key] = Array.isArray(value) ? [...value] : (value as string | number | boolean);
      }
      this.otel.emit({
        eventName: event,
        severityNumber: SEVERITY[spec.level],
        severityText: spec.level.toUpperCase(),
        // the body is the JSON line, so `|= "event_name"` and `| json` both work in LogQL
        body: line,
        attributes,
        context: context && isSpanContextValid(context) ? trace.setSpanContext(ROOT_CONTEXT, context) : ROOT_CONTEXT,
      });
    }
  }
}
