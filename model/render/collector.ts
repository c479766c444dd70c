/**
 * OpenTelemetry Collector (contrib 0.159) configuration: OTLP in on gRPC and
 * HTTP; traces to Tempo over OTLP gRPC, logs to Loki's OTLP endpoint, and
 * metrics to Prometheus by remote write under the `otlp_` namespace (the
 * scraped copy keeps the plain names). Component names are the 0.144+/0.154+
 * spellings (otlp_grpc, otlp_http, prometheus_remote_write).
 */
import type { LabModel } from '../lab';

export function collectorConfig(lab: LabModel): Record<string, unknown> {
  const o = lab.observability;
  const pipeline = (exporter: string) => ({ receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: [exporter] });
  return {
    receivers: {
      otlp: {
        protocols: {
          // the receiver binds localhost unless told otherwise (since 0.104)
          grpc: { endpoint: `0.0.0.0:${o.collector.otlpGrpcPort}` },
          http: { endpoint: `0.0.0.0:${o.collector.otlpHttpPort}` },
        },
      },
    },
    processors: {
      memory_limiter: {
        check_interval: '1s',
        limit_mib: o.collector.memoryLimitMib,
        spike_limit_mib: Math.floor(o.collector.memoryLimitMib / 5),
      },
      batch: { timeout: '1s', send_batch_size: 8192 },
    },
    exporters: {
      'otlp_grpc/tempo': { endpoint: `tempo:${o.tempo.otlpGrpcPort}`, tls: { insecure: true } },
      'otlp_http/loki': { endpoint: `http://loki:${o.loki.port}/otlp` },
      prometheus_remote_write: {
        endpoint: `http://prometheus:${o.prometheus.port}/api/v1/write`,
        namespace: o.collector.metricsNamespace,
        tls: { insecure: true },
        resource_to_telemetry_conversion: { enabled: false },
      },
    },
    extensions: { health_check: { endpoint: `0.0.0.0:${o.collector.healthPort}` } },
    service: {
      extensions: ['health_check'],
      pipelines: {
        traces: pipeline('otlp_grpc/tempo'),
        logs: pipeline('otlp_http/loki'),
        metrics: pipeline('prometheus_remote_write'),
      },
      telemetry: {
        logs: { level: 'info' },
        metrics: { level: 'basic', readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: 8888 } } } }] },
      },
    },
  };
}
