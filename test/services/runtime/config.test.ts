import { ConfigError, readConfig } from '../../../services/runtime/config';

const base = { SERVICE_NAME: 'radar-sensor' };

function errorOf(env: Record<string, string>): ConfigError {
  try {
    readConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('readConfig', () => {
  it('defaults to the model: sensor rate, metrics port, no chaos hooks, no OTLP export', () => {
    const config = readConfig(base);
    expect(config).toMatchObject({
      serviceName: 'radar-sensor',
      metricsPort: 9101,
      publishRateHz: 10,
      leakRateBytes: 0,
      positionBiasM: 0,
      forceQos: undefined,
      otlpEnabled: false,
      ddsDomainId: 0,
    });
  });

  it('reads the chaos hooks where they apply', () => {
    expect(readConfig({ ...base, PUBLISH_RATE_HZ: '200' }).publishRateHz).toBe(200);
    expect(readConfig({ SERVICE_NAME: 'track-fusion', CMS_LEAK_RATE_BYTES: '32768' }).leakRateBytes).toBe(32768);
    expect(readConfig({ SERVICE_NAME: 'esm-sensor', CMS_FORCE_QOS: 'EXCLUSIVE_OWNERSHIP' }).forceQos).toBe('EXCLUSIVE_OWNERSHIP');
    expect(readConfig({ ...base, CMS_SENSOR_BIAS_M: '-6000' }).positionBiasM).toBe(-6000);
    expect(readConfig({ SERVICE_NAME: 'tactical-display', CMS_DISPLAY_REDRAW_MS: '90' }).displayRedrawMs).toBe(90);
  });

  it('turns OTLP export on only with an endpoint and without OTEL_SDK_DISABLED', () => {
    expect(readConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).otlpEnabled).toBe(true);
    expect(readConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }).otlpEnabled).toBe(false);
  });

  it.each([
    [{ SERVICE_NAME: '' }, 'SERVICE_NAME', /is required/],
    [{ SERVICE_NAME: 'sonar-sensor' }, 'SERVICE_NAME', /unknown service; one of radar-sensor/],
    [{ ...base, PUBLISH_RATE_HZ: 'fast' }, 'PUBLISH_RATE_HZ', /must be a number from 0.1 to 1000/],
    [{ ...base, PUBLISH_RATE_HZ: '0' }, 'PUBLISH_RATE_HZ', /from 0.1 to 1000/],
    [{ ...base, PUBLISH_RATE_HZ: '10hz' }, 'PUBLISH_RATE_HZ', /must be a number/],
    [{ SERVICE_NAME: 'track-fusion', PUBLISH_RATE_HZ: '5' }, 'PUBLISH_RATE_HZ', /applies to sensors only/],
    [{ SERVICE_NAME: 'track-fusion', CMS_LEAK_RATE_BYTES: '-1' }, 'CMS_LEAK_RATE_BYTES', /integer from 0/],
    [{ SERVICE_NAME: 'track-fusion', CMS_LEAK_RATE_BYTES: '1.5' }, 'CMS_LEAK_RATE_BYTES', /integer/],
    [{ ...base, CMS_LEAK_RATE_BYTES: '100' }, 'CMS_LEAK_RATE_BYTES', /track-fusion only/],
    [{ ...base, CMS_FORCE_QOS: 'RELIABLE_KEEP_LAST' }, 'CMS_FORCE_QOS', /satisfies a BEST_EFFORT reader/],
    [{ ...base, CMS_FORCE_QOS: 'WHATEVER' }, 'CMS_FORCE_QOS', /unknown QoS profile; one of EXCLUSIVE_OWNERSHIP/],
    [{ SERVICE_NAME: 'tactical-display', CMS_FORCE_QOS: 'EXCLUSIVE_OWNERSHIP' }, 'CMS_FORCE_QOS', /no DDS writer/],
    [{ SERVICE_NAME: 'track-fusion', CMS_SENSOR_BIAS_M: '100' }, 'CMS_SENSOR_BIAS_M', /sensors only/],
    [{ ...base, CMS_SENSOR_BIAS_M: '90000' }, 'CMS_SENSOR_BIAS_M', /from -50000 to 50000/],
    [{ SERVICE_NAME: 'track-fusion', CMS_DISPLAY_REDRAW_MS: '90' }, 'CMS_DISPLAY_REDRAW_MS', /tactical-display only/],
    [{ SERVICE_NAME: 'tactical-display', CMS_DISPLAY_REDRAW_MS: '5000' }, 'CMS_DISPLAY_REDRAW_MS', /from 0 to 1000 ms/],
    [{ ...base, CMS_METRICS_PORT: '70000' }, 'CMS_METRICS_PORT', /from 1 to 65535/],
    [{ ...base, CMS_DDS_DOMAIN_ID: '233' }, 'CMS_DDS_DOMAIN_ID', /from 0 to 232/],
    [{ ...base, OTEL_METRIC_EXPORT_INTERVAL: '10' }, 'OTEL_METRIC_EXPORT_INTERVAL', /from 1000/],
  ])('rejects %p naming %s', (env, variable, reason) => {
    const error = errorOf(env as Record<string, string>);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(reason);
    expect(error.message).toContain(variable);
  });
});
