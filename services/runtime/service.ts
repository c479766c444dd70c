/**
 * The lifecycle every CMS service shares: configuration, telemetry, the DDS
 * participant with its status signals, the HTTP surface, and a graceful
 * SIGTERM. A service implementation only declares its readers, writers and
 * behaviour through the ServiceContext.
 */
import type { Span, Tracer } from '@opentelemetry/api';
import type { IncomingMessage, Server } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Registry } from 'prom-client';
import { type CmsServiceSpec, type ServiceName, serviceSpec } from '../../model/services';
import { type TopicName, describeHistory } from '../../model/topics';
import { ConfigError, type ServiceConfig, readConfig, readServiceName } from './config';
import { type DdsObserver, DdsParticipant, type DdsWriter, type SampleMeta, type TopicMessage } from './dds/participant';
import { startHttpSurface } from './http';
import { ServiceLogger } from './logging';
import { type ServiceMetrics, createServiceMetrics } from './metrics';
import { Otel } from './otel';
import { projectRoot } from './paths';

/**
 * Samples a service takes from one reader per waitset wake-up, where it
 * differs from the facade's 256. The display serves the operator's picture
 * (and its metrics) over HTTP: taking a few at a time, a slow handler holds
 * that API for a moment, not for a whole backlog. The pipeline services
 * drain deep: taking 16 at a time, a CPU-starved fusion dropped a sensor
 * from its tracks on the engine (fusion-contributors-dropped fired).
 */
const SAMPLES_PER_WAKE: Partial<Record<ServiceName, number>> = { 'tactical-display': 16 };

/** Exit code for a configuration error (sysexits EX_CONFIG). */
export const EXIT_CONFIG = 78;

export interface ServiceContext<S extends ServiceName> {
  readonly name: S;
  readonly spec: CmsServiceSpec;
  readonly config: ServiceConfig;
  readonly log: ServiceLogger<S>;
  readonly metrics: ServiceMetrics<S>;
  readonly tracer: Tracer;
  /** Creates a writer with the canonical QoS (or the CMS_FORCE_QOS override) and reports it ready. */
  writer<N extends TopicName>(topic: N): DdsWriter<TopicMessage<N>>;
  /** Subscribes with the canonical QoS and reports it ready. */
  reader<N extends TopicName>(topic: N, onSample: (sample: TopicMessage<N>, meta: SampleMeta) => void): void;
  /** Adds a JSON route to the service's HTTP surface. */
  route(pathname: string, handler: (request: IncomingMessage) => { status: number; body: unknown }): void;
  /** Runs at shutdown, before DDS closes (stop timers here). */
  onStop(hook: () => void | Promise<void>): void;
  /** Repeats `fn` every `ms` until shutdown. */
  every(ms: number, fn: () => void): void;
}

export type ServiceImplementation<S extends ServiceName> = (context: ServiceContext<S>) => void | Promise<void>;

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** The instruments every service has (ServiceMetrics over the whole union keeps only those). */
function commonMetrics<S extends ServiceName>(metrics: ServiceMetrics<S>): ServiceMetrics<ServiceName> {
  return metrics as unknown as ServiceMetrics<ServiceName>;
}

/** Turns DDS status changes into the contract's log events and counters (exported for tests of the failure paths). */
export function ddsObserver<S extends ServiceName>(l: ServiceLogger<S>, metrics: ServiceMetrics<S>): DdsObserver {
  const m = commonMetrics(metrics);
  return {
    incompatibleQos(e) {
      if (e.change > 0) m.cms_dds_incompatible_qos_total.inc({ topic: e.topic, policy: e.policy, side: e.side }, e.change);
      l.emit('dds_incompatible_qos', {
        topic: e.topic,
        side: e.side,
        policy: e.policy,
        dds_status: e.side === 'reader' ? 'REQUESTED_INCOMPATIBLE_QOS' : 'OFFERED_INCOMPATIBLE_QOS',
        total_count: e.totalCount,
      });
    },
    matched(e) {
      m.cms_dds_matched_endpoints.set({ topic: e.topic, side: e.side }, e.currentCount);
      l.emit('dds_endpoint_matched', {
        topic: e.topic,
        side: e.side,
        current_count: e.currentCount,
        current_count_change: e.currentCountChange,
      });
    },
    liveliness(e) {
      l.emit('dds_liveliness_changed', {
        topic: e.topic,
        alive_count: e.aliveCount,
        not_alive_count: e.notAliveCount,
        alive_count_change: e.aliveCountChange,
        not_alive_count_change: e.notAliveCountChange,
      });
    },
    rejected(e) {
      m.cms_dds_samples_rejected_total.inc({ topic: e.topic, side: e.side, reason: e.reason });
      l.emit('dds_sample_rejected', { topic: e.topic, side: e.side, reason: e.reason, field: e.field });
    },
    writeFailed(e) {
      l.emit('dds_write_failed', { topic: e.topic, error: e.error });
    },
    receiveFailed(e) {
      l.emit('dds_receive_failed', { topic: e.topic, error: e.error });
    },
  };
}

function reportConfigError<S extends ServiceName>(log: ServiceLogger<S>, error: ConfigError): void {
  log.emit('service_config_invalid', {
    variable: error.variable,
    value: error.value,
    reason: error.reason,
  });
  process.stderr.write(`${log.service}: ${error.message}\n`);
}

export async function runService<S extends ServiceName>(expected: S, implementation: ServiceImplementation<S>): Promise<void> {
  let name: ServiceName;
  try {
    name = readServiceName();
  } catch (error) {
    process.stderr.write(`cms service: ${(error as Error).message}\n`);
    process.exit(EXIT_CONFIG);
  }
  if (name !== expected) {
    process.stderr.write(`cms service: SERVICE_NAME=${name} but this entrypoint runs ${expected}\n`);
    process.exit(EXIT_CONFIG);
  }
  const log = new ServiceLogger(expected);
  const registry = new Registry();
  const metrics = createServiceMetrics(expected, registry);
  const version = packageVersion();

  let config: ServiceConfig;
  try {
    config = readConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // ship the refusal over OTLP too when an endpoint is set: an SRE sees it in Loki, not only in docker logs
    const otel = new Otel({ serviceName: expected, serviceVersion: version, registry, exportEnabled: Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT) });
    log.attach(otel.logger);
    reportConfigError(log, error);
    await otel.shutdown();
    process.exit(EXIT_CONFIG);
  }

  const otel = new Otel({
    serviceName: expected,
    serviceVersion: version,
    registry,
    exportEnabled: config.otlpEnabled,
    metricExportIntervalMs: config.metricExportIntervalMs,
  });
  log.attach(otel.logger);
  log.emit('service_starting', { version, pid: process.pid, node_version: process.version });

  const participant = new DdsParticipant({ domainId: config.ddsDomainId, observer: ddsObserver(log, metrics), maxSamplesPerWake: SAMPLES_PER_WAKE[config.serviceName] });
  const stopHooks: Array<() => void | Promise<void>> = [];
  const routes: Record<string, (request: IncomingMessage) => { status: number; body: unknown }> = {};
  let ready = false;
  let server: Server | undefined;

  const context: ServiceContext<S> = {
    name: expected,
    spec: serviceSpec(expected),
    config,
    log,
    metrics,
    tracer: otel.tracer,
    writer(topic) {
      const writer = participant.createWriter(topic, config.forceQos);
      log.emit('dds_writer_ready', {
        topic,
        reliability: writer.qos.reliability,
        history: describeHistory(writer.qos.history),
        durability: writer.qos.durability,
        qos_profile: config.forceQos ?? 'canonical',
        env_qos_override: config.forceQos !== undefined,
      });
      return writer;
    },
    reader(topic, onSample) {
      const qos = participant.createReader(topic, onSample);
      log.emit('dds_subscriber_ready', {
        topic,
        reliability: qos.reliability,
        history: describeHistory(qos.history),
        durability: qos.durability,
      });
    },
    route(pathname, handler) {
      routes[pathname] = handler;
    },
    onStop(hook) {
      stopHooks.push(hook);
    },
    every(ms, fn) {
      const timer = setInterval(fn, ms);
      stopHooks.push(() => clearInterval(timer));
    },
  };

  let stopping = false;
  const stop = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    for (const hook of stopHooks) {
      try {
        await hook();
      } catch {
        // shutdown goes on: a failing hook must not keep DDS or telemetry open
      }
    }
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await participant.close();
    log.emit('service_stopping', { reason });
    await otel.shutdown();
    process.exit(exitCode);
  };

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      log.emit('signal_received', { signal });
      void stop(`signal ${signal}`, 0);
    });
  }
  // an operator's (or a tool's) diagnostics request: the service's state into its log in one burst, nothing else changes
  process.on('SIGUSR2', () => {
    void registry.getMetricsAsJSON().then((families) => {
      log.emit('diagnostics_requested', { signal: 'SIGUSR2', metric_families: families.length });
      for (const family of families) {
        // a histogram's buckets and sum would add up to nonsense: its observations are its _count series
        const samples = family.values.filter((v) => String(family.type) !== 'histogram' || (v as { metricName?: string }).metricName?.endsWith('_count'));
        log.emit('diagnostics_dump', { metric: family.name, series: samples.length, value: samples.reduce((sum, v) => sum + v.value, 0) });
      }
    });
  });
  process.on('uncaughtException', (error) => {
    process.stderr.write(`${expected}: uncaught ${error.stack ?? error.message}\n`);
    void stop(`fatal: ${error.message}`, 1);
  });
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`${expected}: unhandled rejection ${String(reason)}\n`);
    void stop(`fatal: ${String(reason)}`, 1);
  });

  await implementation(context);
  participant.start();
  server = await startHttpSurface({
    port: config.metricsPort,
    host: config.metricsHost,
    registry,
    routes,
    health: () => ({ ready, detail: { service: expected, version } }),
  });
  ready = true;
}

/** Runs `fn` inside a span that always ends, returning its result. */
export function inSpan<T>(span: Span, fn: (span: Span) => T): T {
  try {
    return fn(span);
  } finally {
    span.end();
  }
}
