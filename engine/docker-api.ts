/**
 * A small client of the Docker Engine API over its unix socket — the calls
 * the kreuzwerker/docker provider itself makes (ContainerCreate,
 * NetworkConnect, CopyToContainer, ContainerStart, ContainerInspect, …), so
 * the applier drives the engine the way `terraform apply` would.
 */
import { request } from 'node:http';

export class DockerApiError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly apiPath: string,
    message: string,
  ) {
    super(`Docker Engine ${method} ${apiPath}: ${status} ${message}`);
  }
}

/** The engine's socket, from DOCKER_HOST (unix:// only) or the default. */
export function dockerSocket(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const host = env.DOCKER_HOST;
  if (!host) return '/var/run/docker.sock';
  if (!host.startsWith('unix://')) throw new Error(`DOCKER_HOST=${host}: only unix:// sockets are supported by the applier`);
  return host.slice('unix://'.length);
}

export interface DockerApi {
  call<T = unknown>(method: string, apiPath: string, body?: unknown, options?: { readonly raw?: Buffer; readonly timeoutMs?: number }): Promise<T>;
}

/** Awaits an Engine call, taking the given HTTP statuses (404: already gone) as success. */
export async function tolerating(statuses: readonly number[], call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof DockerApiError) || !statuses.includes(error.status)) throw error;
  }
}

/** An object's inspect answer, or undefined when the engine has no such object (404). */
export async function inspectOrAbsent<T>(api: DockerApi, apiPath: string): Promise<T | undefined> {
  try {
    return await api.call<T>('GET', apiPath);
  } catch (error) {
    if (error instanceof DockerApiError && error.status === 404) return undefined;
    throw error;
  }
}

export function dockerApi(socketPath: string = dockerSocket()): DockerApi {
  return {
    call<T>(method: string, apiPath: string, body?: unknown, options: { raw?: Buffer; timeoutMs?: number } = {}): Promise<T> {
      const payload = options.raw ?? (body === undefined ? undefined : Buffer.from(JSON.stringify(body)));
      return new Promise<T>((resolve, reject) => {
        const req = request(
          {
            socketPath,
            method,
            path: apiPath,
            headers: payload ? { 'Content-Type': options.raw ? 'application/x-tar' : 'application/json', 'Content-Length': payload.length } : {},
            timeout: options.timeoutMs ?? 120_000,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              const status = res.statusCode ?? 0;
              if (status >= 400) {
                let message = text.trim();
                try {
                  message = (JSON.parse(text) as { message?: string }).message ?? message;
                } catch {
                  // not JSON: keep the text
                }
                reject(new DockerApiError(status, method, apiPath, message));
                return;
              }
              if (!text) resolve(undefined as T);
              else {
                try {
                  resolve(JSON.parse(text) as T);
                } catch {
                  resolve(text as T);
                }
              }
            });
          },
        );
        req.on('timeout', () => req.destroy(new Error(`Docker Engine ${method} ${apiPath}: no answer in time`)));
        req.on('error', (error: NodeJS.ErrnoException) =>
          reject(error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? new Error(`no Docker engine answers on ${socketPath} (${error.code}): start one, or set DOCKER_HOST`) : error),
        );
        if (payload) req.write(payload);
        req.end();
      });
    },
  };
}

/** One regular file as a tar archive (ustar), as the provider's upload builds it with archive/tar. */
export function tarOneFile(name: string, content: string | Buffer, mode: number, mtime: Date = new Date()): Buffer {
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const entry = name.replace(/^\/+/, '');
  if (Buffer.byteLength(entry) > 100) throw new Error(`upload path '${name}' is longer than 100 bytes`);
  const header = Buffer.alloc(512, 0);
  const octal = (value: number, width: number) => value.toString(8).padStart(width - 1, '0') + '\0';
  header.write(entry, 0, 100, 'utf8');
  header.write(octal(mode, 8), 100, 8, 'ascii');
  header.write(octal(0, 8), 108, 8, 'ascii');
  header.write(octal(0, 8), 116, 8, 'ascii');
  header.write(octal(data.length, 12), 124, 12, 'ascii');
  header.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 12, 'ascii');
  header.write(' '.repeat(8), 148, 8, 'ascii');
  header.write('0', 156, 1, 'ascii');
  header.write('ustar\0', 257, 6, 'ascii');
  header.write('00', 263, 2, 'ascii');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512, 0);
  return Buffer.concat([header, data, padding, Buffer.alloc(1024, 0)]);
}
