/**
 * A malformed, unknown or misplaced environment value stops a service at
 * start-up with exit code 78 (EX_CONFIG), a message naming the variable on
 * stderr, and a structured service_config_invalid record on stdout.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { EXIT_CONFIG } from '../../services/runtime/service';

const ENTRY = path.join(__dirname, '../../dist/services/main.js');

function run(env: Record<string, string>) {
  const result = spawnSync(process.execPath, [ENTRY], {
    env: { PATH: process.env.PATH ?? '', CMS_DDS_DOMAIN_ID: '231', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  const records = result.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { status: result.status, stderr: result.stderr, records };
}

describe('service start-up with bad configuration', () => {
  it.each([
    [{}, 'SERVICE_NAME', /SERVICE_NAME="": is required/],
    [{ SERVICE_NAME: 'sonar-sensor' }, 'SERVICE_NAME', /unknown service; one of radar-sensor/],
  ])('refuses %p before anything starts', (env, variable, message) => {
    const { status, stderr } = run(env as Record<string, string>);
    expect(status).toBe(EXIT_CONFIG);
    expect(stderr).toContain(variable);
    expect(stderr).toMatch(message);
  });

  it.each([
    ['radar-sensor', 'PUBLISH_RATE_HZ', 'fast', /must be a number from 0.1 to 1000/],
    ['radar-sensor', 'PUBLISH_RATE_HZ', '-5', /from 0.1 to 1000/],
    ['track-fusion', 'CMS_LEAK_RATE_BYTES', 'lots', /must be an integer from 0/],
    ['esm-sensor', 'CMS_FORCE_QOS', 'RELIABLE_KEEP_LAST', /satisfies a BEST_EFFORT reader .* use one of EXCLUSIVE_OWNERSHIP/],
    ['esm-sensor', 'CMS_FORCE_QOS', 'NOPE', /unknown QoS profile/],
    ['track-fusion', 'PUBLISH_RATE_HZ', '10', /applies to sensors only/],
  ])('%s with %s=%s stops with a clear message', (service, variable, value, message) => {
    const { status, stderr, records } = run({ SERVICE_NAME: service, [variable]: value });
    expect(status).toBe(EXIT_CONFIG);
    expect(stderr).toContain(`${service}: invalid ${variable}=${JSON.stringify(value)}`);
    expect(stderr).toMatch(message);
    expect(records.find((r) => r.event === 'service_config_invalid')).toMatchObject({
      level: 'error',
      service,
      variable,
      value,
      reason: expect.stringMatching(message),
    });
    // nothing came up: no DDS writer, no HTTP surface
    expect(records.map((r) => r.event)).not.toContain('dds_writer_ready');
  });
});
