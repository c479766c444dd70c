/**
 * OpenTelemetry bootstrap: one resource (service.name = the CMS service),
 * traces and logs exported over OTLP/HTTP, and the prom-client registry
 * pushed as OTLP metrics. Endpoints come from the standard
 * OTEL_EXPORTER_OTLP_* environment, read by the exporters themselves; with
 * no endpoint configured nothing is exported but spans still carry context.
 */
import type { Tracer } from '@opentelemetry/api';
import type { Logger as OtelLogger } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Registry } from 'prom-client';
import { hostname } from 'node:os';
import { PromClientMetricProducer } from './prom-bridge';

export const SERVICE_NAMESPACE = 'cms';
export const INSTRUMENTATION_SCOPE = 'cms-chaos-lab';

export interface OtelOptions {
  readonly serviceName: string;
  readonly serviceVersion: string;
  readonly registry: Registry;
  /** Export over OTLP. @default false */
  readonly exportEnabled?: boolean;
  /** Period of the OTLP metric push. @default 15000 */
  readonly metricExportIntervalMs?: number;
}

export class Otel {
  readonly resource: Resource;
  readonly tracer: Tracer;
  readonly logger: OtelLogger;
  private readonly tracerProvider: TracerProvider;
  private readonly loggerProvider: LoggerProvider;
  private readonly meterProvider?: MeterProvider;

  constructor(options: OtelOptions) {
    this.resource = resourceFromAttributes({
      'service.name': options.serviceName,
      'service.namespace': SERVICE_NAMESPACE,
      'service.version': options.serviceVersion,
      'service.instance.id': `${options.serviceName}@${hostname()}`,
    });
    const exportEnabled = options.exportEnabled ?? false;
    this.tracerProvider = new TracerProvider({
      resource: this.resource,
      spanProcessors: exportEnabled ? [new BatchSpanProcessor({ exporter: new OTLPTraceExporter(), scheduledDelayMillis: 1000, maxQueueSize: 8192 })] : [],
    });
    this.loggerProvider = new LoggerProvider({
      resource: this.resource,
      processors: exportEnabled ? [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter(), scheduledDelayMillis: 1000, maxQueueSize: 8192 })] : [],
    });
    if (exportEnabled) {
      this.meterProvider = new MeterProvider({
        resource: this.resource,
        readers: [
          new PeriodicExportingMetricReader({
            exporter: new OTLPMetricExporter(),
            exportIntervalMillis: options.metricExportIntervalMs ?? 15_000,
            metricProducers: [new PromClientMetricProducer(options.registry)],
          }),
        ],
      });
    }
    this.tracer = this.tracerProvider.getTracer(INSTRUMENTATION_SCOPE, options.serviceVersion);
    this.logger = this.loggerProvider.getLogger(INSTRUMENTATION_SCOPE, options.serviceVersion);
  }

  /**
   * Flushes and stops every exporter; never throws (shutdown must go on), and
   * gives up after `timeoutMs`: an unreachable Collector (the exporters retry
   * with back-off) must not hold a stopping service past its orchestrator's
   * stop timeout, which would turn every `docker stop` into a SIGKILL.
   */
  async shutdown(timeoutMs = 2000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    await Promise.race([Promise.allSettled([this.tracerProvider.shutdown(), this.loggerProvider.shutdown(), this.meterProvider?.shutdown()]), deadline]);
    clearTimeout(timer);
  }
}
