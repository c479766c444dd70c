import { execFileSync } from 'node:child_process';
import path from 'node:path';

describe('Otel shutdown', () => {
  it('gives up flushing to an unreachable Collector, so a stopping service exits inside its stop timeout', () => {
    // nothing listens on port 1: unbounded, the exporters retry with back-off for about 8 s
    const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'fixtures', 'otel-shutdown.ts')], {
      env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1', TS_NODE_PROJECT: path.join(__dirname, '../../../tsconfig.json') },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(Number(out.trim())).toBeLessThan(4000);
  });
});
