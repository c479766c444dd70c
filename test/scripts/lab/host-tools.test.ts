/** ollama-check, wait-ready and agent-token against local HTTP servers. */
import { type Server, createServer } from 'node:http';
import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { TOKEN_NAME, createToken, revokeToken, serviceAccountNumber } from '../../../scripts/lab/agent-token';
import { checkOllamaModel } from '../../../scripts/lab/ollama-check';
import { waitReady } from '../../../scripts/lab/wait-ready';

async function serve(handler: (method: string, url: string, body: string, auth: string) => { status: number; body?: unknown }): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const out = handler(req.method ?? '', req.url ?? '', body, String(req.headers.authorization ?? ''));
      res.writeHead(out.status, { 'content-type': 'application/json' });
      res.end(out.body === undefined ? '' : JSON.stringify(out.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('ollama-check (against the documented /api/tags shape)', () => {
  it('accepts a present model (an untagged name means :latest) and names the pull command when it is missing', async () => {
    const { url, server } = await serve(() => ({ status: 200, body: { models: [{ name: 'qwen2.5:7b' }, { name: 'llama3.2:latest' }] } }));
    try {
      await expect(checkOllamaModel(url, 'qwen2.5:7b', 'ollama pull qwen2.5:7b')).resolves.toEqual(['qwen2.5:7b', 'llama3.2:latest']);
      await expect(checkOllamaModel(url, 'llama3.2', 'x')).resolves.toBeDefined();
      await expect(checkOllamaModel(url, 'qwen2.5:14b', 'ollama pull qwen2.5:14b')).rejects.toThrow(/'qwen2.5:14b' is not present .*\n\n {4}ollama pull qwen2.5:14b/s);
    } finally {
      server.close();
    }
  });

  it('says how to fix an Ollama that is not running', async () => {
    await expect(checkOllamaModel('http://127.0.0.1:9', 'm', 'p')).rejects.toThrow(/Ollama is not reachable at http:\/\/127.0.0.1:9 .*Start Ollama on this host/s);
  });
});

describe('wait-ready', () => {
  it('returns once the URL answers 2xx and times out with the container hint otherwise', async () => {
    let calls = 0;
    const { url, server } = await serve(() => ({ status: ++calls < 3 ? 503 : 200 }));
    try {
      await expect(waitReady(url, 10, 'demo', 50)).resolves.toBeGreaterThanOrEqual(0);
      expect(calls).toBe(3);
    } finally {
      server.close();
    }
    await expect(waitReady('http://127.0.0.1:9/ready', 0.3, 'Tempo', 50)).rejects.toThrow(/Tempo did not become ready at http:\/\/127.0.0.1:9\/ready within 0.3 s .*docker logs/s);
  });
});

describe('agent-token (against a stub of Grafana documented service-account API)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cms-token-'));
  const passwordFile = path.join(dir, 'pw');
  writeFileSync(passwordFile, 's3cret-admin-pass');
  const tokenFile = path.join(dir, 'secrets', 'agent-token');

  function fakeGrafana(options: { datasourcesFor: (auth: string) => { status: number; body?: unknown } }) {
    const tokens: Array<{ id: number; name: string }> = [{ id: 7, name: TOKEN_NAME }, { id: 8, name: 'someone-elses' }];
    const log: string[] = [];
    return serve((method, url, body, auth) => {
      log.push(`${method} ${url}`);
      if (url === '/api/datasources') return options.datasourcesFor(auth);
      if (auth !== `Basic ${Buffer.from('lab-admin:s3cret-admin-pass').toString('base64')}`) return { status: 401 };
      if (method === 'GET' && url === '/api/serviceaccounts/2/tokens') return { status: 200, body: tokens };
      const del = /^\/api\/serviceaccounts\/2\/tokens\/(\d+)$/.exec(url);
      if (method === 'DELETE' && del) {
        tokens.splice(tokens.findIndex((t) => t.id === Number(del[1])), 1);
        return { status: 200, body: {} };
      }
      if (method === 'POST' && url === '/api/serviceaccounts/2/tokens') {
        tokens.push({ id: 9, name: JSON.parse(body).name });
        return { status: 200, body: { id: 9, name: TOKEN_NAME, key: 'glsa_agent_key' } };
      }
      return { status: 404 };
    }).then((s) => ({ ...s, tokens, log }));
  }

  it('replaces the lab token (leaving others), writes it mode 0600, and proves it can list the datasources', async () => {
    const g = await fakeGrafana({ datasourcesFor: (auth) => (auth === 'Bearer glsa_agent_key' ? { status: 200, body: [{ uid: 'cms-prometheus' }, { uid: 'cms-loki' }, { uid: 'cms-tempo' }] } : { status: 401 }) });
    try {
      await createToken({ grafanaUrl: g.url, adminUser: 'lab-admin', adminPasswordFile: passwordFile, serviceAccountId: '1:2', tokenFile, requireDatasources: ['cms-prometheus', 'cms-loki', 'cms-tempo'] });
      expect(readFileSync(tokenFile, 'utf8')).toBe('glsa_agent_key');
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      expect(g.tokens.map((t) => t.name).sort()).toEqual([TOKEN_NAME, 'someone-elses']);
      expect(await revokeToken({ grafanaUrl: g.url, adminUser: 'lab-admin', adminPasswordFile: passwordFile, serviceAccountId: '1:2', tokenFile })).toBe('revoked 1 token(s)');
      expect(existsSync(tokenFile)).toBe(false);
    } finally {
      g.server.close();
    }
  });

  it('fails with the fix when the role cannot list datasources', async () => {
    const g = await fakeGrafana({ datasourcesFor: () => ({ status: 403, body: { message: 'permission denied' } }) });
    try {
      await expect(createToken({ grafanaUrl: g.url, adminUser: 'lab-admin', adminPasswordFile: passwordFile, serviceAccountId: '1:2', tokenFile, requireDatasources: ['cms-loki'] })).rejects.toThrow(
        /cannot list datasources .*grafana\.agentServiceAccount\.role/s,
      );
    } finally {
      g.server.close();
    }
  });

  it('does not stall a destroy when Grafana is already gone', async () => {
    writeFileSync(tokenFile, 'x');
    await expect(revokeToken({ grafanaUrl: 'http://127.0.0.1:9', adminUser: 'lab-admin', adminPasswordFile: passwordFile, serviceAccountId: '1:2', tokenFile })).resolves.toMatch(/Grafana not reachable to revoke/);
    expect(existsSync(tokenFile)).toBe(false);
  });

  it('reads the numeric id out of grafana_service_account.id', () => {
    expect(serviceAccountNumber('1:42')).toBe('42');
    expect(() => serviceAccountNumber('1:abc')).toThrow(/is not a Grafana service account id/);
  });
});
