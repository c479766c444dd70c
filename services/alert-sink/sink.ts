/**
 * Keeps the notifications Grafana's webhook contact point posts, so the
 * runner can hand an agent the payload Grafana really sent. Lab
 * infrastructure for the runner, not part of the CMS.
 *
 *   POST /grafana                      store one notification (the Grafana webhook body)
 *   GET  /notifications?since=<ms>     those received at or after `since`, oldest first
 *   GET  /healthz
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredNotification {
  readonly receivedAt: number;
  readonly payload: unknown;
}

export interface AlertSinkOptions {
  /** @default 9095 */
  readonly port?: number;
  /** @default '0.0.0.0' */
  readonly host?: string;
  /** Oldest notifications are forgotten beyond this count. @default 1000 */
  readonly capacity?: number;
  /** Largest accepted body, bytes. @default 1 MiB */
  readonly maxBodyBytes?: number;
}

export class AlertSinkServer {
  readonly notifications: StoredNotification[] = [];
  private server?: Server;

  constructor(private readonly options: AlertSinkOptions = {}) {}

  async start(): Promise<number> {
    const capacity = this.options.capacity ?? 1000;
    const maxBody = this.options.maxBodyBytes ?? 1024 * 1024;
    this.server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://sink');
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (request.method === 'GET' && url.pathname === '/healthz') return reply(200, { status: 'ok', stored: this.notifications.length });
      if (request.method === 'GET' && url.pathname === '/notifications') {
        const since = Number(url.searchParams.get('since') ?? 0);
        if (!Number.isFinite(since)) return reply(400, { error: 'since must be a number of milliseconds since the epoch' });
        return reply(200, this.notifications.filter((n) => n.receivedAt >= since));
      }
      if (request.method === 'POST' && url.pathname === '/grafana') {
        const chunks: Buffer[] = [];
        let size = 0;
        request.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= maxBody) chunks.push(chunk);
        });
        request.on('end', () => {
          if (size > maxBody) return reply(413, { error: `body over ${maxBody} bytes` });
          let payload: unknown;
          try {
            payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            return reply(400, { error: 'body is not JSON' });
          }
          if (typeof payload !== 'object' || payload === null || !Array.isArray((payload as { alerts?: unknown }).alerts)) {
            return reply(400, { error: 'not a Grafana webhook notification: no alerts array' });
          }
          this.notifications.push({ receivedAt: Date.now(), payload });
          if (this.notifications.length > capacity) this.notifications.splice(0, this.notifications.length - capacity);
          return reply(200, { stored: true });
        });
        return undefined;
      }
      return reply(404, { error: `no route ${request.method} ${url.pathname}` });
    });
    await new Promise<void>((resolve) => this.server?.listen(this.options.port ?? 9095, this.options.host ?? '0.0.0.0', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
