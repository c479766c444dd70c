/** The investigate CLI's exit codes and messages for bad input and unreachable backends. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../investigator/cli';
import { fixture } from './support';

let stderr = '';
beforeEach(() => {
  stderr = '';
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());

const file = (content: string) => {
  const p = path.join(mkdtempSync(path.join(os.tmpdir(), 'cms-inv-cli-')), 'alert.json');
  writeFileSync(p, content);
  return p;
};

describe('investigate CLI', () => {
  it('refuses a malformed alert with exit 2', async () => {
    expect(await main(['--alert', file('{"alerts": []}'), '--prometheus', 'http://127.0.0.1:9'])).toBe(2);
    expect(stderr).toContain('malformed alert: alerts: it has no alerts');
  });

  it('refuses missing options with exit 2 and the usage', async () => {
    expect(await main(['--prometheus', 'http://127.0.0.1:9'])).toBe(2);
    expect(stderr).toMatch(/--alert is required[\s\S]*usage: investigate/);
    expect(await main(['--alert', file('{}'), '--grafana', 'http://127.0.0.1:13000'])).toBe(2);
    expect(stderr).toContain('--grafana needs --token-file');
    expect(await main(['--alert', '/no/such/alert.json', '--prometheus', 'http://127.0.0.1:9'])).toBe(2);
    expect(stderr).toContain('cannot read the alert file /no/such/alert.json');
  });

  it('reports an unreachable backend with exit 3', async () => {
    expect(await main(['--alert', file(JSON.stringify(fixture('sensor-down').alert)), '--prometheus', 'http://127.0.0.1:9'])).toBe(3);
    expect(stderr).toMatch(/cannot read prometheus: unreachable at http:\/\/127\.0\.0\.1:9/);
  });
});
