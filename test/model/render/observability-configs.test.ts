/**
 * Schema tests for the configs of the components this machine cannot run
 * (the Collector, Loki, Tempo). The schemas are strict: Loki and Tempo
 * parse their YAML with UnmarshalStrict and the Collector rejects unused
 * keys, so any key not listed here would stop the container. Key names were
 * read from the upstream source at the pinned tags (Loki v3.7.6
 * pkg/loki/loki.go, pkg/loki/common, pkg/validation/limits.go,
 * pkg/compactor/config.go, pkg/analytics; Tempo v2.10.8 cmd/tempo/app/config.go,
 * tempodb; Collector contrib 0.159 component READMEs). Only a Docker host
 * proves they start; see README "What is verified where".
 */
import { z } from 'zod';
import { buildLabModel } from '../../../model/lab';
import { collectorConfig } from '../../../model/render/collector';
import { lokiConfig } from '../../../model/render/loki';
import { tempoConfig } from '../../../model/render/tempo';
import { isPromDuration, durationSeconds } from '../../../model/promql';

const lab = buildLabModel();
const duration = z.string().refine(isPromDuration);
const anyAddress = z.string().regex(/^0\.0\.0\.0:\d+$/, 'must bind 0.0.0.0 inside a container (the default is localhost)');

const CollectorSchema = z.strictObject({
  receivers: z.strictObject({
    otlp: z.strictObject({ protocols: z.strictObject({ grpc: z.strictObject({ endpoint: anyAddress }), http: z.strictObject({ endpoint: anyAddress }) }) }),
  }),
  processors: z.strictObject({
    memory_limiter: z.strictObject({ check_interval: z.string(), limit_mib: z.number().int().positive(), spike_limit_mib: z.number().int().positive() }),
    batch: z.strictObject({ timeout: z.string(), send_batch_size: z.number().int().positive() }),
  }),
  exporters: z.record(
    z.string().regex(/^(otlp_grpc|otlp_http|prometheus_remote_write)(\/[a-z]+)?$/, 'exporter names of contrib 0.159 (otlp_grpc, otlp_http, prometheus_remote_write)'),
    z.union([
      z.strictObject({ endpoint: z.string().regex(/^[a-z-]+:\d+$/), tls: z.strictObject({ insecure: z.boolean() }) }),
      z.strictObject({ endpoint: z.string().url() }),
      z.strictObject({
        endpoint: z.string().url(),
        namespace: z.string().regex(/^[a-z][a-z0-9_]*$/),
        tls: z.strictObject({ insecure: z.boolean() }),
        resource_to_telemetry_conversion: z.strictObject({ enabled: z.boolean() }),
      }),
    ]),
  ),
  extensions: z.strictObject({ health_check: z.strictObject({ endpoint: anyAddress }) }),
  service: z.strictObject({
    extensions: z.array(z.string()),
    pipelines: z.strictObject({
      traces: z.strictObject({ receivers: z.array(z.string()), processors: z.array(z.string()), exporters: z.array(z.string()) }),
      logs: z.strictObject({ receivers: z.array(z.string()), processors: z.array(z.string()), exporters: z.array(z.string()) }),
      metrics: z.strictObject({ receivers: z.array(z.string()), processors: z.array(z.string()), exporters: z.array(z.string()) }),
    }),
    telemetry: z.strictObject({
      logs: z.strictObject({ level: z.enum(['debug', 'info', 'warn', 'error']) }),
      metrics: z.strictObject({ level: z.enum(['none', 'basic', 'normal', 'detailed']), readers: z.array(z.unknown()) }),
    }),
  }),
});

const LokiSchema = z.strictObject({
  auth_enabled: z.literal(false),
  server: z.strictObject({ http_listen_port: z.number().int(), log_level: z.enum(['debug', 'info', 'warn', 'error']) }),
  common: z.strictObject({
    instance_addr: z.string(),
    path_prefix: z.string(),
    storage: z.strictObject({ filesystem: z.strictObject({ chunks_directory: z.string(), rules_directory: z.string() }) }),
    replication_factor: z.number().int().positive(),
    ring: z.strictObject({ kvstore: z.strictObject({ store: z.literal('inmemory') }) }),
  }),
  schema_config: z.strictObject({
    // structured metadata and native OTLP ingestion need tsdb with schema v13
    configs: z.array(z.strictObject({ from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), store: z.literal('tsdb'), object_store: z.literal('filesystem'), schema: z.literal('v13'), index: z.strictObject({ prefix: z.string(), period: z.literal('24h') }) })).min(1),
  }),
  limits_config: z.strictObject({ allow_structured_metadata: z.literal(true), retention_period: duration, reject_old_samples: z.boolean(), reject_old_samples_max_age: duration }),
  compactor: z.strictObject({ working_directory: z.string(), retention_enabled: z.boolean(), delete_request_store: z.literal('filesystem') }),
  analytics: z.strictObject({ reporting_enabled: z.boolean() }),
});

const TempoSchema = z.strictObject({
  stream_over_http_enabled: z.boolean(),
  server: z.strictObject({ http_listen_port: z.number().int(), log_level: z.enum(['debug', 'info', 'warn', 'error']) }),
  distributor: z.strictObject({ receivers: z.strictObject({ otlp: z.strictObject({ protocols: z.strictObject({ grpc: z.strictObject({ endpoint: anyAddress }) }) }) }) }),
  compactor: z.strictObject({ compaction: z.strictObject({ block_retention: duration }) }),
  query_frontend: z.strictObject({ search: z.strictObject({ max_duration: duration }) }),
  storage: z.strictObject({ trace: z.strictObject({ backend: z.literal('local'), wal: z.strictObject({ path: z.string() }), local: z.strictObject({ path: z.string() }) }) }),
  usage_report: z.strictObject({ reporting_enabled: z.boolean() }),
});

describe('the OpenTelemetry Collector config', () => {
  const config = collectorConfig(lab);

  it('matches the contrib 0.159 schema', () => {
    expect(CollectorSchema.safeParse(config).error?.issues ?? []).toEqual([]);
  });

  it('wires every pipeline to defined components: traces to Tempo, logs to Loki OTLP, metrics to Prometheus under the otlp_ namespace', () => {
    const c = CollectorSchema.parse(config);
    for (const pipeline of Object.values(c.service.pipelines)) {
      for (const r of pipeline.receivers) expect(Object.keys(c.receivers)).toContain(r);
      for (const p of pipeline.processors) expect(Object.keys(c.processors)).toContain(p);
      for (const e of pipeline.exporters) expect(Object.keys(c.exporters)).toContain(e);
      expect(pipeline.processors[0]).toBe('memory_limiter'); // the limiter goes first (processor README)
    }
    expect(c.service.pipelines.traces.exporters).toEqual(['otlp_grpc/tempo']);
    expect(c.exporters['otlp_grpc/tempo']).toMatchObject({ endpoint: `tempo:${lab.observability.tempo.otlpGrpcPort}` });
    expect(c.exporters['otlp_http/loki']).toEqual({ endpoint: `http://loki:${lab.observability.loki.port}/otlp` });
    expect(c.exporters.prometheus_remote_write).toMatchObject({ endpoint: `http://prometheus:${lab.observability.prometheus.port}/api/v1/write`, namespace: 'otlp' });
  });
});

describe('the Loki config', () => {
  const config = lokiConfig(lab);
  it('matches the Loki 3.7 schema (tsdb v13, retention through the compactor)', () => {
    expect(LokiSchema.safeParse(config).error?.issues ?? []).toEqual([]);
  });
  it('keeps logs for the model retention (168 h), which Loki requires to be at least 24 h', () => {
    const c = LokiSchema.parse(config);
    expect(c.limits_config.retention_period).toBe('168h');
    expect(durationSeconds(c.limits_config.retention_period)).toBeGreaterThanOrEqual(86_400);
    expect(c.compactor.retention_enabled).toBe(true);
  });
});

describe('the Tempo config', () => {
  const config = tempoConfig(lab);
  it('matches the Tempo 2.10 schema with the model retention (24 h)', () => {
    expect(TempoSchema.safeParse(config).error?.issues ?? []).toEqual([]);
    expect(TempoSchema.parse(config).compactor.compaction.block_retention).toBe('24h');
  });
});
