/**
 * A TCP port for a native service or Prometheus to listen on. Not from the
 * kernel's ephemeral range: a port the kernel hands out (`listen(0)`) and we
 * close again is free only until the next outgoing connection picks it as
 * its local port, and then the service's own bind fails with EADDRINUSE
 * (seen in CI). Ports below the ephemeral range are never picked that way.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The lowest port the kernel assigns to outgoing connections (Linux default 32768). */
export function ephemeralRangeStart(rangeFile = '/proc/sys/net/ipv4/ip_local_port_range'): number {
  try {
    const low = Number(readFileSync(rangeFile, 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 1024 ? low : 32768;
  } catch {
    return 32768;
  }
}

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** A random port from `low` up to the ephemeral range that `host` can listen on now. */
export async function freePort(host = '127.0.0.1', below = ephemeralRangeStart(), low = 10_000): Promise<number> {
  if (below <= low) throw new Error(`no port range below the ephemeral range (it starts at ${below})`);
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = low + Math.floor(Math.random() * (below - low));
    if (await canListen(port, host)) return port;
  }
  throw new Error(`no free port on ${host} between ${low} and ${below} after 50 tries`);
}
