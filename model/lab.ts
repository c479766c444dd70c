/**
 * The lab model: one typed, validated object from which every construct,
 * config file, alert rule, dashboard, doc and test is rendered. The CMS
 * roster, QoS, world and telemetry contract live in their own modules and
 * are referenced from here; this module adds what the Docker lab needs
 * (images, host ports, observability, Grafana, agents) and checks the whole
 * at once, naming the offending field.
 */
import { z } from 'zod';
import { ALERT_RULES, type AlertRule } from './alerts';
import { isPromDuration, durationSeconds, promqlSyntaxError, selectedMetrics } from './promql';
import { CMS_SERVICES, SERVICE_NAMES, type ServiceName } from './services';
import { METRICS, RUNTIME_METRICS } from './telemetry';

const duration = z.string().refine(isPromDuration, { message: 'must be a duration such as 30s, 1m or 24h' });
const port = z.number().int().min(1).max(65535);
const hostPort = port.refine((p) => (p >= 13000 && p <= 13999) || (p >= 19000 && p <= 19999), {
  message: 'host ports live in 13000-13999 or 19000-19999, away from other observability stacks on the workstation',
});
/** A pinned image reference: an explicit tag that is not `latest` (a digest is allowed too). */
const pinnedImage = z.string().refine((ref) => /@sha256:[0-9a-f]{64}$/.test(ref) || /:[A-Za-z0-9_.-]+$/.test(ref.split('/').at(-1) ?? ''), {
  message: 'must pin a tag or digest (for example grafana/grafana:12.4.3)',
}).refine((ref) => !ref.endsWith(':latest'), { message: "must not use the moving tag 'latest'" });
const uid = z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/, 'must be 1-40 letters, digits, - or _');
const serviceName = z.enum(SERVICE_NAMES);

const OpenSreSchema = z.strictObject({
  /** @default true */
  enabled: z.boolean(),
  repository: z.string().url(),
  /** A release tag at or after v2026.4.28 (earlier tags crash in run_diagnostic_code on every run). */
  ref: z.string().regex(/^v\d{4}\.\d{1,2}\.\d{1,2}$/, 'must be a release tag such as v2026.4.30'),
  /** The commit the tag points at, so a moved tag cannot change the build. */
  commit: z.string().regex(/^[0-9a-f]{40}$/, 'must be a full 40-character commit id'),
  llm: z.strictObject({ provider: z.enum(['ollama', 'anthropic', 'openai']), model: z.string().min(1) }),
  /** Seconds one investigation may take before the runner stops it. */
  timeoutS: z.number().int().min(30).max(3600),
});

export const LabModelSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]{1,20}$/, 'must be a short lowercase name'),
    /** Every host port is bound to this address. */
    bindAddress: z.string().refine((a) => a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a), {
      message: 'must be a loopback address: the lab exposes unauthenticated telemetry endpoints',
    }),
    network: z.strictObject({
      name: z.string().regex(/^[a-z][a-z0-9_-]+$/),
      subnet: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/24$/, 'must be an IPv4 /24 such as 172.30.80.0/24 (containers get fixed addresses in it)'),
    }),
    images: z.strictObject({
      node: pinnedImage,
      collector: pinnedImage,
      prometheus: pinnedImage,
      loki: pinnedImage,
      tempo: pinnedImage,
      grafana: pinnedImage,
      python: pinnedImage,
      ollama: pinnedImage,
    }),
    cms: z.strictObject({
      /** Local tag of the image built from services/Dockerfile. */
      image: z.string().regex(/^[a-z0-9][a-z0-9._/-]*:[A-Za-z0-9_.-]+$/),
      services: z
        .array(
          z.strictObject({
            name: serviceName,
            memoryLimitMb: z.number().int().min(64).max(8192),
            /** Publish this service's HTTP port on the host (the tactical picture). @default not published */
            hostPort: hostPort.optional(),
          }),
        )
        .min(1),
    }),
    observability: z.strictObject({
      /** Scrape interval of job cms-services, seconds (5-15). */
      scrapeIntervalS: z.number().int().min(5).max(15),
      /** Alert rule evaluation interval, seconds (Grafana's minimum is 10). */
      evaluationIntervalS: z.number().int().min(10).max(60),
      /** How far back each alert query looks, seconds. */
      lookbackS: z.number().int().min(30).max(3600),
      prometheus: z.strictObject({ port, hostPort, retention: duration }),
      loki: z.strictObject({ port, hostPort, retention: duration }),
      tempo: z.strictObject({ port, hostPort, otlpGrpcPort: port, retention: duration }),
      collector: z.strictObject({
        otlpGrpcPort: port,
        otlpHttpPort: port,
        healthPort: port,
        hostPorts: z.strictObject({ otlpGrpc: hostPort, otlpHttp: hostPort, health: hostPort }),
        /** Prefix the Collector gives the OTLP-pushed copy of every metric in Prometheus. */
        metricsNamespace: z.string().regex(/^[a-z][a-z0-9_]*$/),
        memoryLimitMib: z.number().int().min(64).max(4096),
      }),
      alertSink: z.strictObject({ port, hostPort }),
    }),
    grafana: z.strictObject({
      port,
      hostPort,
      adminUser: z.string().regex(/^[a-z][a-z0-9_-]{2,31}$/).refine((u) => u !== 'admin', { message: "must not be the default 'admin'" }),
      folder: z.strictObject({ uid, title: z.string().min(1) }),
      dashboards: z.strictObject({ overview: uid, runbooks: uid }),
      datasources: z.strictObject({
        prometheus: z.strictObject({ uid, name: z.string().min(1) }),
        loki: z.strictObject({ uid, name: z.string().min(1) }),
        tempo: z.strictObject({ uid, name: z.string().min(1) }),
      }),
      ruleGroup: z.string().min(1),
      contactPoint: z.string().min(1),
      agentServiceAccount: z.strictObject({ name: z.string().min(1), role: z.enum(['Viewer', 'Editor', 'Admin', 'None']) }),
    }),
    agents: z.strictObject({
      opensre: OpenSreSchema,
      ollama: z.strictObject({
        /** `host`: Ollama runs on the Docker host; `container`: the lab runs it (optionally with GPUs). */
        mode: z.enum(['host', 'container']),
        port,
        /** Published on the host in container mode. */
        hostPort,
        model: z.string().min(1),
        gpu: z.boolean(),
      }),
    }),
  })
  .superRefine((lab, ctx) => {
    const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });

    // every host port once
    const hostPorts: Array<[PropertyKey[], number]> = [
      [['observability', 'prometheus', 'hostPort'], lab.observability.prometheus.hostPort],
      [['observability', 'loki', 'hostPort'], lab.observability.loki.hostPort],
      [['observability', 'tempo', 'hostPort'], lab.observability.tempo.hostPort],
      [['observability', 'collector', 'hostPorts', 'otlpGrpc'], lab.observability.collector.hostPorts.otlpGrpc],
      [['observability', 'collector', 'hostPorts', 'otlpHttp'], lab.observability.collector.hostPorts.otlpHttp],
      [['observability', 'collector', 'hostPorts', 'health'], lab.observability.collector.hostPorts.health],
      [['observability', 'alertSink', 'hostPort'], lab.observability.alertSink.hostPort],
      [['grafana', 'hostPort'], lab.grafana.hostPort],
      ...lab.cms.services.flatMap((s, i): Array<[PropertyKey[], number]> => (s.hostPort === undefined ? [] : [[['cms', 'services', i, 'hostPort'], s.hostPort]])),
      ...(lab.agents.ollama.mode === 'container' ? [[['agents', 'ollama', 'hostPort'], lab.agents.ollama.hostPort] as [PropertyKey[], number]] : []),
    ];
    const seen = new Map<number, string>();
    for (const [path, value] of hostPorts) {
      const other = seen.get(value);
      if (other) issue(path, `duplicate host port ${value} (also ${other})`);
      else seen.set(value, path.join('.'));
    }

    // every CMS service exactly once, with its model port unique
    const names = lab.cms.services.map((s) => s.name);
    for (const name of SERVICE_NAMES) if (!names.includes(name)) issue(['cms', 'services'], `service '${name}' is missing`);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) issue(['cms', 'services', i, 'name'], `service '${name}' is listed twice`);
    });

    const lokiRetention = durationSeconds(isPromDuration(lab.observability.loki.retention) ? lab.observability.loki.retention : '0s');
    if (lokiRetention > 0 && lokiRetention < 86_400) issue(['observability', 'loki', 'retention'], 'Loki retention must be at least 24h');
    if (lab.observability.lookbackS < 2 * lab.observability.scrapeIntervalS) {
      issue(['observability', 'lookbackS'], 'must cover at least two scrape intervals');
    }

    // OpenSRE before v2026.4.28 crashes in run_diagnostic_code on every run
    const [year, month, day] = lab.agents.opensre.ref.slice(1).split('.').map(Number);
    if (year * 10_000 + month * 100 + day < 20_260_428) {
      issue(['agents', 'opensre', 'ref'], 'must be v2026.4.28 or later: earlier OpenSRE releases crash in run_diagnostic_code on every investigation');
    }
    if (lab.agents.opensre.llm.provider === 'ollama' && lab.agents.opensre.llm.model !== lab.agents.ollama.model) {
      issue(['agents', 'opensre', 'llm', 'model'], `must be the model Ollama serves (agents.ollama.model = ${lab.agents.ollama.model})`);
    }

    const dsUids = Object.values(lab.grafana.datasources).map((d) => d.uid);
    if (new Set(dsUids).size !== dsUids.length) issue(['grafana', 'datasources'], 'datasource uids must differ');
  });

export type LabModelInput = z.input<typeof LabModelSchema>;
export type LabModel = z.output<typeof LabModelSchema> & { readonly alertRules: readonly AlertRule[] };

export class LabModelError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the lab model is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'LabModelError';
  }
}

/** Problems of the alert rules against the rest of the model (services, contract metrics, PromQL syntax, durations). */
export function alertRuleProblems(rules: readonly AlertRule[]): string[] {
  const problems: string[] = [];
  const known = new Set<string>([...METRICS.map((m) => m.name), ...RUNTIME_METRICS, 'up']);
  const bucketed = new Set<string>(METRICS.filter((m) => m.type === 'histogram').flatMap((m) => [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`]));
  const uids = new Set<string>();
  rules.forEach((rule, i) => {
    const at = `alertRules[${i}] (${rule.uid})`;
    if (uids.has(rule.uid)) problems.push(`${at}.uid: duplicate rule uid`);
    uids.add(rule.uid);
    if (!/^[a-z][a-z0-9-]*$/.test(rule.uid)) problems.push(`${at}.uid: must be lowercase words joined by '-'`);
    if (!isPromDuration(rule.for)) problems.push(`${at}.for: '${rule.for}' is not a duration such as 30s or 1m`);
    const syntax = promqlSyntaxError(rule.expr);
    if (syntax) problems.push(`${at}.expr: ${syntax.message}`);
    else {
      for (const metric of selectedMetrics(rule.expr)) {
        if (!known.has(metric) && !bucketed.has(metric)) problems.push(`${at}.expr: metric '${metric}' is not in the telemetry contract`);
      }
    }
    for (const service of rule.services) {
      if (!(SERVICE_NAMES as readonly string[]).includes(service)) problems.push(`${at}.services: unknown service '${service}'`);
    }
    if (rule.pipelineName.from === 'static' && !(SERVICE_NAMES as readonly string[]).includes(rule.pipelineName.service)) {
      problems.push(`${at}.pipelineName.service: unknown service '${rule.pipelineName.service}'`);
    }
  });
  return problems;
}

/** Validates a model, throwing a LabModelError that lists every problem with its field path. */
export function validateLabModel(input: unknown, rules: readonly AlertRule[] = ALERT_RULES): LabModel {
  const parsed = LabModelSchema.safeParse(input);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  problems.push(...alertRuleProblems(rules));
  if (problems.length || !parsed.success) throw new LabModelError(problems);
  return { ...parsed.data, alertRules: rules };
}

/** The default lab. Override fields through buildLabModel() rather than editing this object. */
export const DEFAULT_LAB: LabModelInput = {
  name: 'cms-lab',
  bindAddress: '127.0.0.1',
  network: { name: 'cms-lab', subnet: '172.30.80.0/24' },
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
};

type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

function merge<T>(base: T, overrides: DeepPartial<T> | undefined): T {
  if (overrides === undefined) return base;
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return overrides as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(overrides as Record<string, unknown>)) {
    out[key] = merge((base as Record<string, unknown>)[key], value as never);
  }
  return out as T;
}

/** The default lab with overrides (arrays replace, objects merge), validated. */
export function buildLabModel(overrides?: DeepPartial<LabModelInput>, rules: readonly AlertRule[] = ALERT_RULES): LabModel {
  return validateLabModel(merge(DEFAULT_LAB, overrides), rules);
}

/** Containers with a fixed address on the lab network, in address order (.11 onwards, gaps between groups). */
const ADDRESS_ORDER = [
  ...SERVICE_NAMES,
  null,
  'prometheus',
  'loki',
  'tempo',
  'otel-collector',
  'grafana',
  'alert-sink',
  null,
  'opensre',
  'ollama',
] as const;

/**
 * The fixed IPv4 address of a lab container. Fixed addresses let a scenario
 * reconnect a detached container exactly as it was, so the lab stack shows
 * no drift after the scenario is destroyed.
 */
export function containerAddress(lab: LabModel, container: string): string {
  const index = (ADDRESS_ORDER as readonly (string | null)[]).indexOf(container);
  if (index < 0) throw new Error(`container '${container}' has no fixed address in the lab network`);
  const [a, b, c] = lab.network.subnet.split('/')[0].split('.');
  return `${a}.${b}.${c}.${11 + index}`;
}

export function cmsServiceSettings(lab: LabModel, name: ServiceName): LabModel['cms']['services'][number] {
  const settings = lab.cms.services.find((s) => s.name === name);
  if (!settings) throw new Error(`service '${name}' is not in the lab model`);
  return settings;
}

/** The Docker volume holding a stateful observability component's data. */
export function dataVolumeName(lab: LabModel, component: 'prometheus' | 'loki' | 'tempo'): string {
  return `${lab.name}-${component}-data`;
}
