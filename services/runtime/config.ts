/**
 * Environment configuration of a CMS service. Every variable is checked at
 * start-up; a malformed or misplaced value stops the service with a message
 * naming the variable, instead of running with a silent default.
 */
import {
  COMPATIBLE_OVERRIDES_REJECTED,
  FORCED_WRITER_QOS_NAMES,
  type ForcedWriterQos,
} from '../../model/topics';
import { SERVICE_NAMES, type ServiceName, isServiceName, serviceSpec } from '../../model/services';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly value: string,
    readonly reason: string,
  ) {
    super(`invalid ${variable}=${JSON.stringify(value)}: ${reason}`);
    this.name = 'ConfigError';
  }
}

export interface ServiceConfig {
  readonly serviceName: ServiceName;
  readonly metricsPort: number;
  readonly metricsHost: string;
  readonly ddsDomainId: number;
  /** Sensors only: scans per second. */
  readonly publishRateHz?: number;
  /** track-fusion only: chaos hook, bytes retained per ingested SourceTrack. */
  readonly leakRateBytes: number;
  /** A sensor's position calibration offset east (x), metres: every measurement it reports is shifted by it. 0 when calibrated. */
  readonly positionBiasM: number;
  /** threat-evaluator only: points added to every threat-level threshold (chaos hook: a drifted configuration). 0 as specified. */
  readonly threatThresholdShift: number;
  /** tactical-display only: milliseconds of synchronous redraw per tactical-track update (chaos hook: a display that redraws the whole picture on every update). 0 as specified. */
  readonly displayRedrawMs: number;
  /** Writer QoS override (chaos hook), a genuine incompatibility with the canonical readers. */
  readonly forceQos?: ForcedWriterQos;
  readonly randomSeed?: number;
  /** OTLP export is on when an OTLP endpoint is configured and the SDK is not disabled. */
  readonly otlpEnabled: boolean;
  readonly metricExportIntervalMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function present(env: Env, variable: string): string | undefined {
  const raw = env[variable];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

function parseNumber(
  variable: string,
  raw: string,
  options: { min: number; max: number; integer?: boolean; unit?: string },
): number {
  const kind = options.integer ? 'an integer' : 'a number';
  const range = `${kind} from ${options.min} to ${options.max}${options.unit ? ` ${options.unit}` : ''}`;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(raw)) throw new ConfigError(variable, raw, `must be ${range}`);
  const value = Number(raw);
  if (!Number.isFinite(value) || value < options.min || value > options.max || (options.integer && !Number.isInteger(value))) {
    throw new ConfigError(variable, raw, `must be ${range}`);
  }
  return value;
}

/** Reads SERVICE_NAME alone, first, so even a config error can be reported under the right service. */
export function readServiceName(env: Env = process.env): ServiceName {
  const raw = present(env, 'SERVICE_NAME');
  if (raw === undefined) throw new ConfigError('SERVICE_NAME', '', `is required; one of ${SERVICE_NAMES.join(', ')}`);
  if (!isServiceName(raw)) throw new ConfigError('SERVICE_NAME', raw, `unknown service; one of ${SERVICE_NAMES.join(', ')}`);
  return raw;
}

export function readConfig(env: Env = process.env): ServiceConfig {
  const serviceName = readServiceName(env);
  const spec = serviceSpec(serviceName);

  const portRaw = present(env, 'CMS_METRICS_PORT');
  const metricsPort = portRaw ? parseNumber('CMS_METRICS_PORT', portRaw, { min: 1, max: 65535, integer: true }) : spec.metricsPort;

  const domainRaw = present(env, 'CMS_DDS_DOMAIN_ID');
  const ddsDomainId = domainRaw ? parseNumber('CMS_DDS_DOMAIN_ID', domainRaw, { min: 0, max: 232, integer: true }) : 0;

  const rateRaw = present(env, 'PUBLISH_RATE_HZ');
  let publishRateHz: number | undefined;
  if (rateRaw !== undefined) {
    if (!spec.sensor) throw new ConfigError('PUBLISH_RATE_HZ', rateRaw, `applies to sensors only, not ${serviceName}`);
    publishRateHz = parseNumber('PUBLISH_RATE_HZ', rateRaw, { min: 0.1, max: 1000, unit: 'scans per second' });
  } else if (spec.sensor) {
    publishRateHz = spec.sensor.rateHz;
  }

  const leakRaw = present(env, 'CMS_LEAK_RATE_BYTES');
  let leakRateBytes = 0;
  if (leakRaw !== undefined) {
    if (serviceName !== 'track-fusion') throw new ConfigError('CMS_LEAK_RATE_BYTES', leakRaw, `applies to track-fusion only, not ${serviceName}`);
    leakRateBytes = parseNumber('CMS_LEAK_RATE_BYTES', leakRaw, { min: 0, max: 10 * 1024 * 1024, integer: true, unit: 'bytes' });
  }

  const biasRaw = present(env, 'CMS_SENSOR_BIAS_M');
  let positionBiasM = 0;
  if (biasRaw !== undefined) {
    if (!spec.sensor) throw new ConfigError('CMS_SENSOR_BIAS_M', biasRaw, `applies to sensors only, not ${serviceName}`);
    positionBiasM = parseNumber('CMS_SENSOR_BIAS_M', biasRaw, { min: -50_000, max: 50_000, unit: 'metres' });
  }

  const shiftRaw = present(env, 'CMS_THREAT_THRESHOLD_SHIFT');
  let threatThresholdShift = 0;
  if (shiftRaw !== undefined) {
    if (serviceName !== 'threat-evaluator') throw new ConfigError('CMS_THREAT_THRESHOLD_SHIFT', shiftRaw, `applies to threat-evaluator only, not ${serviceName}`);
    threatThresholdShift = parseNumber('CMS_THREAT_THRESHOLD_SHIFT', shiftRaw, { min: -100, max: 200, unit: 'points' });
  }

  const redrawRaw = present(env, 'CMS_DISPLAY_REDRAW_MS');
  let displayRedrawMs = 0;
  if (redrawRaw !== undefined) {
    if (serviceName !== 'tactical-display') throw new ConfigError('CMS_DISPLAY_REDRAW_MS', redrawRaw, `applies to tactical-display only, not ${serviceName}`);
    displayRedrawMs = parseNumber('CMS_DISPLAY_REDRAW_MS', redrawRaw, { min: 0, max: 1000, unit: 'ms' });
  }

  const qosRaw = present(env, 'CMS_FORCE_QOS');
  let forceQos: ForcedWriterQos | undefined;
  if (qosRaw !== undefined) {
    if (spec.publishes.length === 0) throw new ConfigError('CMS_FORCE_QOS', qosRaw, `${serviceName} has no DDS writer to override`);
    const compatible = COMPATIBLE_OVERRIDES_REJECTED[qosRaw];
    if (compatible) {
      throw new ConfigError('CMS_FORCE_QOS', qosRaw, `${compatible}; use one of ${FORCED_WRITER_QOS_NAMES.join(', ')}`);
    }
    if (!(FORCED_WRITER_QOS_NAMES as readonly string[]).includes(qosRaw)) {
      throw new ConfigError('CMS_FORCE_QOS', qosRaw, `unknown QoS profile; one of ${FORCED_WRITER_QOS_NAMES.join(', ')}`);
    }
    forceQos = qosRaw as ForcedWriterQos;
  }

  const seedRaw = present(env, 'CMS_RANDOM_SEED');
  const randomSeed = seedRaw ? parseNumber('CMS_RANDOM_SEED', seedRaw, { min: 0, max: 2 ** 32 - 1, integer: true }) : undefined;

  const intervalRaw = present(env, 'OTEL_METRIC_EXPORT_INTERVAL');
  const metricExportIntervalMs = intervalRaw
    ? parseNumber('OTEL_METRIC_EXPORT_INTERVAL', intervalRaw, { min: 1000, max: 3_600_000, integer: true, unit: 'ms' })
    : 15_000;

  const sdkDisabled = present(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true';
  const otlpEnabled =
    !sdkDisabled &&
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'].some(
      (v) => present(env, v) !== undefined,
    );

  return {
    serviceName,
    metricsPort,
    metricsHost: present(env, 'CMS_METRICS_HOST') ?? '0.0.0.0',
    ddsDomainId,
    publishRateHz,
    leakRateBytes,
    positionBiasM,
    threatThresholdShift,
    displayRedrawMs,
    forceQos,
    randomSeed,
    otlpEnabled,
    metricExportIntervalMs,
  };
}
