/**
 * The telemetry surfaces the baseline investigator reads, behind small
 * interfaces: Prometheus (PromQL over the HTTP API), logs (Loki's LogQL
 * API) and traces (Tempo's search API), each reachable directly or through
 * Grafana's datasource proxy with the agents' read-only token. In the native
 * harness, where Loki and Tempo cannot run, logs and traces come from the
 * harness's OTLP receiver through an adapter that answers the small LogQL
 * subset the investigator uses — never presented as Loki.
 */
import type { OtlpReceiver } from '../harness/otlp-receiver';

export interface Series {
  readonly labels: Readonly<Record<string, string>>;
  /** [seconds since the epoch, value] */
  readonly points: ReadonlyArray<readonly [number, number]>;
}

export interface LogRecord {
  readonly service: string;
  /** Seconds since the epoch. */
  readonly time: number;
  readonly line: string;
}

export interface TraceSummary {
  readonly traceId: string;
  readonly rootService: string;
  readonly rootName: string;
  /** Seconds since the epoch. */
  readonly start: number;
}

export interface MetricsSource {
  readonly kind: string;
  queryRange(expr: string, start: number, end: number, stepS: number): Promise<Series[]>;
}

export interface LogsSource {
  readonly kind: string;
  /** LogQL: a stream selector on service_name, then `|= "text"` line filters. */
  query(logql: string, start: number, end: number, limit: number): Promise<LogRecord[]>;
}

export interface TracesSource {
  readonly kind: string;
  /** TraceQL search. */
  search(traceql: string, start: number, end: number, limit: number): Promise<TraceSummary[]>;
}

export class SourceError extends Error {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
    this.name = 'SourceError';
  }
}

export interface HttpEndpoint {
  /** Base URL of the backend, or of Grafana's proxy for it (…/api/datasources/proxy/uid/<uid>). */
  readonly url: string;
  /** Bearer token (a Grafana service-account token through the proxy). @default none */
  readonly token?: string;
}

async function getJson(source: string, endpoint: HttpEndpoint, pathname: string, params: Record<string, string>): Promise<unknown> {
  const url = `${endpoint.url.replace(/\/$/, '')}${pathname}?${new URLSearchParams(params).toString()}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: endpoint.token ? { authorization: `Bearer ${endpoint.token}` } : {}, signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    const cause = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message;
    throw new SourceError(source, `unreachable at ${endpoint.url} (${cause})`);
  }
  const text = await response.text();
  if (!response.ok) throw new SourceError(source, `HTTP ${response.status} for ${pathname}: ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new SourceError(source, `answered with something other than JSON for ${pathname}`);
  }
}

export class PrometheusHttp implements MetricsSource {
  readonly kind = 'prometheus';
  constructor(private readonly endpoint: HttpEndpoint) {}

  async queryRange(expr: string, start: number, end: number, stepS: number): Promise<Series[]> {
    const body = (await getJson('prometheus', this.endpoint, '/api/v1/query_range', {
      query: expr,
      start: start.toFixed(3),
      end: end.toFixed(3),
      step: String(stepS),
    })) as { status: string; error?: string; data?: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> } };
    if (body.status !== 'success' || !body.data) throw new SourceError('prometheus', body.error ?? 'query failed');
    return body.data.result.map((r) => ({ labels: r.metric, points: r.values.map(([t, v]) => [t, Number(v)] as const) }));
  }
}

export class LokiHttp implements LogsSource {
  readonly kind = 'loki';
  constructor(private readonly endpoint: HttpEndpoint) {}

  async query(logql: string, start: number, end: number, limit: number): Promise<LogRecord[]> {
    const body = (await getJson('loki', this.endpoint, '/loki/api/v1/query_range', {
      query: logql,
      start: String(BigInt(Math.floor(start * 1e9))),
      end: String(BigInt(Math.ceil(end * 1e9))),
      limit: String(limit),
      direction: 'backward',
    })) as { data?: { result: Array<{ stream: Record<string, string>; values: Array<[string, string]> }> } };
    return (body.data?.result ?? [])
      .flatMap((stream) => stream.values.map(([ts, line]) => ({ service: stream.stream.service_name ?? '', time: Number(BigInt(ts) / 1_000_000n) / 1000, line })))
      .sort((a, b) => a.time - b.time);
  }
}

export class TempoHttp implements TracesSource {
  readonly kind = 'tempo';
  constructor(private readonly endpoint: HttpEndpoint) {}

  async search(traceql: string, start: number, end: number, limit: number): Promise<TraceSummary[]> {
    const body = (await getJson('tempo', this.endpoint, '/api/search', { q: traceql, start: String(Math.floor(start)), end: String(Math.ceil(end)), limit: String(limit) })) as {
      traces?: Array<{ traceID: string; rootServiceName: string; rootTraceName: string; startTimeUnixNano: string }>;
    };
    return (body.traces ?? []).map((t) => ({ traceId: t.traceID, rootService: t.rootServiceName, rootName: t.rootTraceName, start: Number(BigInt(t.startTimeUnixNano) / 1_000_000n) / 1000 }));
  }
}

/** The LogQL subset the investigator writes: `{service_name="x"}` or `{service_name=~"re"}`, then `|= "text"` filters. */
export function parseSimpleLogql(logql: string): { service?: { exact?: string; regex?: RegExp }; contains: string[] } {
  const match = /^\{service_name(=~|=)"([^"]*)"\}((?:\s*\|=\s*"[^"]*")*)\s*$/.exec(logql.trim());
  if (!match) throw new SourceError('native-logs', `the native log store answers only {service_name="…"} |= "…" queries, not: ${logql}`);
  const [, op, value, filters] = match;
  const contains = [...filters.matchAll(/\|=\s*"([^"]*)"/g)].map((m) => m[1]);
  return { service: op === '=' ? { exact: value } : { regex: new RegExp(`^(?:${value})$`) }, contains };
}

/** Logs the native harness's services pushed over OTLP (the adapter used where Loki cannot run). */
export class OtlpStoreLogs implements LogsSource {
  readonly kind = 'native-otlp-logs';
  constructor(private readonly receiver: OtlpReceiver) {}

  async query(logql: string, start: number, end: number, limit: number): Promise<LogRecord[]> {
    const q = parseSimpleLogql(logql);
    const out: LogRecord[] = [];
    for (const r of this.receiver.logs) {
      const time = Number(r.timeNs / 1_000_000n) / 1000;
      if (time < start || time > end) continue;
      if (q.service?.exact !== undefined && r.service !== q.service.exact) continue;
      if (q.service?.regex && !q.service.regex.test(r.service)) continue;
      if (!q.contains.every((c) => r.body.includes(c))) continue;
      out.push({ service: r.service, time, line: r.body });
    }
    return out.sort((a, b) => a.time - b.time).slice(-limit);
  }
}

/** Traces the native harness's services pushed over OTLP, searched by `{ resource.service.name = "x" }` and/or `name = "y"`. */
export class OtlpStoreTraces implements TracesSource {
  readonly kind = 'native-otlp-traces';
  constructor(private readonly receiver: OtlpReceiver) {}

  async search(traceql: string, start: number, end: number, limit: number): Promise<TraceSummary[]> {
    const service = /resource\.service\.name\s*=\s*"([^"]+)"/.exec(traceql)?.[1];
    const name = /\bname\s*=\s*"([^"]+)"/.exec(traceql.replace(/resource\.service\.name/g, ''))?.[1];
    const roots = new Map<string, TraceSummary>();
    for (const s of this.receiver.spans) {
      const t = Number(s.startNs / 1_000_000n) / 1000;
      if (t < start || t > end) continue;
      if (service && s.service !== service) continue;
      if (name && s.name !== name) continue;
      if (!roots.has(s.traceId)) roots.set(s.traceId, { traceId: s.traceId, rootService: s.service, rootName: s.name, start: t });
    }
    return [...roots.values()].sort((a, b) => b.start - a.start).slice(0, limit);
  }
}

export interface Sources {
  readonly metrics: MetricsSource;
  /** @default absent: the investigator says which evidence it could not gather */
  readonly logs?: LogsSource;
  /** @default absent */
  readonly traces?: TracesSource;
}

export interface RecordedCall {
  readonly source: 'metrics' | 'logs' | 'traces';
  readonly query: string;
  readonly result: unknown;
}

/** Wraps sources so every call and its answer are kept (to turn a real run into test fixtures). */
export function recording(sources: Sources, calls: RecordedCall[]): Sources {
  return {
    metrics: {
      kind: sources.metrics.kind,
      queryRange: async (expr, start, end, step) => {
        const result = await sources.metrics.queryRange(expr, start, end, step);
        calls.push({ source: 'metrics', query: expr, result });
        return result;
      },
    },
    logs: sources.logs && {
      kind: sources.logs.kind,
      query: async (logql, start, end, limit) => {
        const result = await (sources.logs as LogsSource).query(logql, start, end, limit);
        calls.push({ source: 'logs', query: logql, result });
        return result;
      },
    },
    traces: sources.traces && {
      kind: sources.traces.kind,
      search: async (q, start, end, limit) => {
        const result = await (sources.traces as TracesSource).search(q, start, end, limit);
        calls.push({ source: 'traces', query: q, result });
        return result;
      },
    },
  };
}

/** Sources that answer from recorded calls (by query text); an unrecorded query is an error, not an empty answer. */
export function replaying(calls: readonly RecordedCall[], kinds: { metrics: string; logs?: string; traces?: string }): Sources {
  const answer = (source: RecordedCall['source'], query: string) => {
    const call = calls.find((c) => c.source === source && c.query === query);
    if (!call) throw new SourceError(`replay-${source}`, `no recorded answer for: ${query}`);
    return call.result;
  };
  return {
    metrics: { kind: kinds.metrics, queryRange: async (expr) => answer('metrics', expr) as Series[] },
    logs: kinds.logs ? { kind: kinds.logs, query: async (q) => answer('logs', q) as LogRecord[] } : undefined,
    traces: kinds.traces ? { kind: kinds.traces, search: async (q) => answer('traces', q) as TraceSummary[] } : undefined,
  };
}

/** What the investigator reads in the native harness: the real Prometheus, and the OTLP receiver's logs and traces. */
export function nativeSources(prometheusUrl: string, receiver: OtlpReceiver | undefined): Sources {
  return {
    metrics: new PrometheusHttp({ url: prometheusUrl }),
    logs: receiver && new OtlpStoreLogs(receiver),
    traces: receiver && new OtlpStoreTraces(receiver),
  };
}
