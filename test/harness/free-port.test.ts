import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ephemeralRangeStart, freePort } from '../../harness/free-port';

describe('freePort', () => {
  it('reads where the ephemeral range starts, and falls back to Linux’s default on an unreadable or odd file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cms-port-range-'));
    writeFileSync(path.join(dir, 'range'), '40000\t60999\n');
    writeFileSync(path.join(dir, 'odd'), 'nonsense\n');
    expect(ephemeralRangeStart(path.join(dir, 'range'))).toBe(40000);
    expect(ephemeralRangeStart(path.join(dir, 'odd'))).toBe(32768);
    expect(ephemeralRangeStart(path.join(dir, 'absent'))).toBe(32768);
  });

  it('gives ports below the ephemeral range that can be listened on', async () => {
    const below = ephemeralRangeStart();
    for (let i = 0; i < 20; i++) {
      const port = await freePort('127.0.0.1', below);
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(below);
      const server = createServer();
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('skips a port that is taken', async () => {
    // a one-port range whose only port is held: every try fails, and says so
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const held = (holder.address() as { port: number }).port;
    try {
      await expect(freePort('127.0.0.1', held + 1, held)).rejects.toThrow(`no free port on 127.0.0.1 between ${held} and ${held + 1} after 50 tries`);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('refuses an ephemeral range that leaves nothing below it', async () => {
    await expect(freePort('127.0.0.1', 9000)).rejects.toThrow('no port range below the ephemeral range (it starts at 9000)');
  });
});
