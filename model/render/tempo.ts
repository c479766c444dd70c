/**
 * Grafana Tempo 2.10 single-binary configuration: OTLP in (bound to 0.0.0.0,
 * the default is localhost since 2.7), local block storage, and the block
 * retention of the model.
 */
import type { LabModel } from '../lab';

export function tempoConfig(lab: LabModel): Record<string, unknown> {
  const t = lab.observability.tempo;
  return {
    stream_over_http_enabled: true,
    server: { http_listen_port: t.port, log_level: 'warn' },
    distributor: {
      receivers: { otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${t.otlpGrpcPort}` } } } },
    },
    compactor: { compaction: { block_retention: t.retention } },
    query_frontend: { search: { max_duration: t.retention } },
    storage: {
      trace: {
        backend: 'local',
        wal: { path: '/var/tempo/wal' },
        local: { path: '/var/tempo/blocks' },
      },
    },
    usage_report: { reporting_enabled: false },
  };
}
