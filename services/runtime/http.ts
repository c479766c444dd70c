/**
 * The one HTTP listener of a service: Prometheus `/metrics`, `/healthz` for
 * the container health check, and any routes the service adds (the tactical
 * display's live picture).
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { Registry } from 'prom-client';

export type RouteHandler = (request: IncomingMessage) => { status: number; body: unknown };

export interface HttpSurfaceOptions {
  readonly port: number;
  /** @default '0.0.0.0' */
  readonly host?: string;
  readonly registry: Registry;
  /** Reports readiness for /healthz. @default always ready */
  readonly health?: () => { ready: boolean; detail: Record<string, unknown> };
  /** Extra JSON routes by exact path. @default none */
  readonly routes?: Readonly<Record<string, RouteHandler>>;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export async function startHttpSurface(options: HttpSurfaceOptions): Promise<Server> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method !== 'GET') {
      sendJson(response, 405, { error: 'only GET is served' });
      return;
    }
    if (url.pathname === '/metrics') {
      options.registry.metrics().then(
        (text) => {
          response.writeHead(200, { 'content-type': options.registry.contentType });
          response.end(text);
        },
        (error: unknown) => sendJson(response, 500, { error: String(error) }),
      );
      return;
    }
    if (url.pathname === '/healthz') {
      const health = options.health?.() ?? { ready: true, detail: {} };
      sendJson(response, health.ready ? 200 : 503, { status: health.ready ? 'ok' : 'starting', ...health.detail });
      return;
    }
    const route = options.routes?.[url.pathname];
    if (route) {
      const { status, body } = route(request);
      sendJson(response, status, body);
      return;
    }
    sendJson(response, 404, { error: `no route ${url.pathname}` });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
