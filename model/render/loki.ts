/**
 * Grafana Loki 3.7 single-binary configuration on the local filesystem, with
 * native OTLP ingestion (tsdb + schema v13, structured metadata). Loki's
 * default OTLP mapping promotes `service.name` to the `service_name` index
 * label, which is what agents query.
 */
import type { LabModel } from '../lab';

export function lokiConfig(lab: LabModel): Record<string, unknown> {
  const retention = lab.observability.loki.retention;
  return {
    auth_enabled: false,
    server: { http_listen_port: lab.observability.loki.port, log_level: 'warn' },
    common: {
      instance_addr: '127.0.0.1',
      path_prefix: '/loki',
      storage: { filesystem: { chunks_directory: '/loki/chunks', rules_directory: '/loki/rules' } },
      replication_factor: 1,
      ring: { kvstore: { store: 'inmemory' } },
    },
    schema_config: {
      configs: [{ from: '2024-01-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } }],
    },
    limits_config: {
      allow_structured_metadata: true,
      retention_period: retention,
      reject_old_samples: true,
      reject_old_samples_max_age: retention,
    },
    compactor: {
      working_directory: '/loki/compactor',
      retention_enabled: true,
      delete_request_store: 'filesystem',
    },
    analytics: { reporting_enabled: false },
  };
}
