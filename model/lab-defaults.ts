/** The default lab: the values every deployment starts from. */
import type { LabModelInput } from './lab';
import { CMS_SERVICES } from './services';

/** The default lab. Override fields through buildLabModel() rather than editing this object. */
export const DEFAULT_LAB: LabModelInput = {
  name: 'cms-lab',
  bindAddress: '127.0.0.1',
  network: { name: 'cms-lab', subnet: '172.30.80.0/24' },
  agentNetwork: { name: 'cms-lab-agents', subnet: '172.30.81.0/24' },
  images: {
    node: 'node:20.20.2-bookworm-slim',
    collector: 'otel/opentelemetry-collector-contrib:0.159.0',
    prometheus: 'prom/prometheus:v2.53.5',
    loki: 'grafana/loki:3.7.6',
    tempo: 'grafana/tempo:2.10.8',
    grafana: 'grafana/grafana:12.4.3',
    python: 'python:3.12.12-slim-bookworm',
    ollama: 'ollama/ollama:0.20.2',
  },
  cms: {
    image: 'cms-lab/cms-service:0.1.0',
    services: CMS_SERVICES.map((s) => ({
      name: s.name,
      // the memory-leak scenario replaces fusion with a capped variant; the canonical containers have headroom
      memoryLimitMb: 512,
      ...(s.name === 'tactical-display' ? { hostPort: 19108 } : {}),
    })),
  },
  observability: {
    scrapeIntervalS: 5,
    evaluationIntervalS: 10,
    lookbackS: 120,
    prometheus: { port: 9090, hostPort: 19090, retention: '24h' },
    loki: { port: 3100, hostPort: 13100, retention: '168h' },
    tempo: { port: 3200, hostPort: 13200, otlpGrpcPort: 4317, retention: '24h' },
    collector: {
      otlpGrpcPort: 4317,
      otlpHttpPort: 4318,
      healthPort: 13133,
      hostPorts: { otlpGrpc: 13317, otlpHttp: 13318, health: 13133 },
      metricsNamespace: 'otlp',
      memoryLimitMib: 400,
    },
    alertSink: { port: 9095, hostPort: 19095 },
  },
  grafana: {
    port: 3000,
    hostPort: 13000,
    adminUser: 'lab-admin',
    folder: { uid: 'cms', title: 'CMS' },
    dashboards: { overview: 'cms-overview', runbooks: 'cms-runbooks' },
    // names an agent can discover by convention: they contain prom/metrics, logs and traces
    datasources: {
      prometheus: { uid: 'cms-prometheus', name: 'cms-prometheus-metrics' },
      loki: { uid: 'cms-loki', name: 'cms-loki-logs' },
      tempo: { uid: 'cms-tempo', name: 'cms-tempo-traces' },
    },
    ruleGroup: 'cms-alerts',
    contactPoint: 'lab-alert-sink',
    agentServiceAccount: { name: 'sre-agent', role: 'Viewer' },
  },
  agents: {
    opensre: {
      enabled: true,
      repository: 'https://github.com/Tracer-Cloud/opensre.git',
      ref: 'v2026.4.30',
      commit: '544025cf3e7198ca256cf09319128f9f1fb2386a',
      llm: { provider: 'ollama', model: 'qwen2.5:7b' },
      timeoutS: 600,
    },
    ollama: { mode: 'host', port: 11434, hostPort: 13434, model: 'qwen2.5:7b', gpu: false },
  },
  noise: {
    // below every rule's threshold: the control fires nothing under it (a restart every 2-3 min is far from service-restarting's five in 2 min)
    ambient: {
      restarts: { service: 'tactical-display', everyS: 150 },
      logBursts: { services: ['track-fusion', 'threat-evaluator', 'command-center'], everyS: 40 },
      cpuNeighbour: { name: 'report-indexer', cpus: 0.25 },
      seed: 1,
    },
  },
};
