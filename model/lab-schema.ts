/** The lab model's shape: every field, its type and its own bounds (cross-field rules are in lab-rules.ts). */
import { z } from 'zod';
import { isPromDuration } from './promql';
import { NoiseProfileShape } from './noise';
import { SERVICE_NAMES } from './services';

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

export const LabModelShape = z
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
    /** The agents' own network: agent containers live here alone; Grafana joins it too, so Grafana is all they can reach of the lab. */
    agentNetwork: z.strictObject({
      name: z.string().regex(/^[a-z][a-z0-9_-]+$/),
      subnet: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/24$/, 'must be an IPv4 /24 such as 172.30.81.0/24 (containers get fixed addresses in it)'),
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
    /** The background noise a run may go with (`--noise ambient`): the healthy-but-busy lab, applied by both drivers for the whole run. */
    noise: z.strictObject({ ambient: NoiseProfileShape }),
  });

export type LabModelShapeOutput = z.output<typeof LabModelShape>;
