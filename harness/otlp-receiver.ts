/**
 * An OTLP/HTTP (JSON encoding) receiver for the native harness and tests:
 * it accepts exactly what the services' exporters POST to a Collector
 * (/v1/traces, /v1/logs, /v1/metrics) and keeps the decoded records, so
 * tests assert on the real OTLP payloads the lab's Collector would receive.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

type AnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
};
type KeyValue = { key: string; value: AnyValue };

export type AttributeValue = string | number | boolean | AttributeValue[] | undefined;

export interface ReceivedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly startNs: bigint;
  readonly endNs: bigint;
}

export interface ReceivedLog {
  readonly service: string;
  /** Record time, nanoseconds since the epoch. */
  readonly timeNs: bigint;
  readonly severityText?: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly traceId?: string;
  readonly spanId?: string;
}

export interface ReceivedMetric {
  readonly service: string;
  readonly name: string;
  readonly kind: 'sum' | 'gauge' | 'histogram' | 'other';
  readonly points: number;
}

function value(v: AnyValue | undefined): AttributeValue {
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(value);
  return undefined;
}

function attributes(list: KeyValue[] | undefined): Record<string, AttributeValue> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, value(kv.value)]));
}

function serviceOf(resource: { attributes?: KeyValue[] } | undefined): string {
  return String(attributes(resource?.attributes)['service.name'] ?? 'unknown_service');
}

/** OTLP/JSON ids are hex strings; tolerate base64 as some encoders emit. */
function hexId(id: string | undefined): string | undefined {
  if (!id) return undefined;
  if (/^[0-9a-f]+$/i.test(id)) return id.toLowerCase();
  return Buffer.from(id, 'base64').toString('hex');
}

export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly logs: ReceivedLog[] = [];
  readonly metrics: ReceivedMetric[] = [];
  /** Requests that were not valid OTLP/JSON, kept for diagnosis. */
  readonly rejected: string[] = [];
  /** Records received, by signal, whether retained or not. */
  readonly counts = { spans: 0, logs: 0, metrics: 0 };
  private server?: Server;

  /** @param retain keep decoded records (false: only count them, for load tests). @default true */
  constructor(private readonly retain = true) {}

  /** Listens on `host`:`port` (port 0 picks a free one) and returns the base endpoint URL. */
  async start(host = '127.0.0.1', port = 0): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        try {
          if (request.method !== 'POST') throw new Error(`${request.method} not supported`);
          if (!String(request.headers['content-type']).includes('json')) throw new Error('only the JSON encoding is accepted');
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
          if (request.url === '/v1/traces') this.acceptTraces(body);
          else if (request.url === '/v1/logs') this.acceptLogs(body);
          else if (request.url === '/v1/metrics') this.acceptMetrics(body);
          else throw new Error(`unknown path ${request.url}`);
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end('{}');
        } catch (error) {
          this.rejected.push(String(error));
          response.writeHead(400, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error: String(error) }));
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, host, resolve));
    const address = this.server.address() as AddressInfo;
    return `http://${host}:${address.port}`;
  }

  private acceptTraces(body: Record<string, unknown>): void {
    for (const rs of (body.resourceSpans as Array<Record<string, unknown>>) ?? []) {
      const service = serviceOf(rs.resource as { attributes?: KeyValue[] });
      for (const ss of (rs.scopeSpans as Array<{ spans?: Array<Record<string, unknown>> }>) ?? []) {
        for (const s of ss.spans ?? []) {
          this.counts.spans++;
          if (!this.retain) continue;
          this.spans.push({
            service,
            traceId: hexId(s.traceId as string) as string,
            spanId: hexId(s.spanId as string) as string,
            parentSpanId: hexId(s.parentSpanId as string | undefined) || undefined,
            name: s.name as string,
            attributes: attributes(s.attributes as KeyValue[]),
            startNs: BigInt(s.startTimeUnixNano as string),
            endNs: BigInt(s.endTimeUnixNano as string),
          });
        }
      }
    }
  }

  private acceptLogs(body: Record<string, unknown>): void {
    for (const rl of (body.resourceLogs as Array<Record<string, unknown>>) ?? []) {
      const service = serviceOf(rl.resource as { attributes?: KeyValue[] });
      for (const sl of (rl.scopeLogs as Array<{ logRecords?: Array<Record<string, unknown>> }>) ?? []) {
        for (const r of sl.logRecords ?? []) {
          this.counts.logs++;
          if (!this.retain) continue;
          this.logs.push({
            service,
            timeNs: BigInt((r.timeUnixNano as string | undefined) ?? (r.observedTimeUnixNano as string | undefined) ?? '0'),
            severityText: r.severityText as string | undefined,
            body: String(value(r.body as AnyValue) ?? ''),
            attributes: attributes(r.attributes as KeyValue[]),
            traceId: hexId(r.traceId as string | undefined) || undefined,
            spanId: hexId(r.spanId as string | undefined) || undefined,
          });
        }
      }
    }
  }

  private acceptMetrics(body: Record<string, unknown>): void {
    for (const rm of (body.resourceMetrics as Array<Record<string, unknown>>) ?? []) {
      const service = serviceOf(rm.resource as { attributes?: KeyValue[] });
      for (const sm of (rm.scopeMetrics as Array<{ metrics?: Array<Record<string, unknown>> }>) ?? []) {
        for (const m of sm.metrics ?? []) {
          this.counts.metrics++;
          if (!this.retain) continue;
          const kind = m.sum ? 'sum' : m.gauge ? 'gauge' : m.histogram ? 'histogram' : 'other';
          const data = (m.sum ?? m.gauge ?? m.histogram) as { dataPoints?: unknown[] } | undefined;
          this.metrics.push({ service, name: m.name as string, kind, points: data?.dataPoints?.length ?? 0 });
        }
      }
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
