/**
 * Mints (create) or revokes (revoke) the agents' Grafana service-account
 * token, out of Terraform's state: the token goes to a host file with mode
 * 0600, which the agent containers mount read-only. `create` also proves,
 * with the new token, that the agent can list the lab's datasources (the
 * first thing an agent does), and fails with the fix if it cannot.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expandHome } from '../../lib/host-paths';
import { ToolError, options, required, run } from './cli';

export const TOKEN_NAME = 'cms-lab-agent';

interface GrafanaCall {
  readonly url: string;
  readonly auth: string;
}

async function call(g: GrafanaCall, method: string, pathname: string, body?: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${g.url}${pathname}`, {
      method,
      headers: { authorization: g.auth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new ToolError(`Grafana is not reachable at ${g.url} (${(error as Error).message})`);
  }
  const text = await response.text();
  if (!response.ok) throw new ToolError(`Grafana ${method} ${pathname} answered HTTP ${response.status}: ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}

/** `grafana_service_account.id` is `<orgId>:<serviceAccountId>`; the API wants the second part. */
export function serviceAccountNumber(id: string): string {
  const last = id.split(':').at(-1) ?? '';
  if (!/^\d+$/.test(last)) throw new ToolError(`'${id}' is not a Grafana service account id`);
  return last;
}

function adminAuth(user: string, passwordFile: string): string {
  if (!existsSync(passwordFile)) throw new ToolError(`the Grafana admin password file ${passwordFile} is missing`);
  const password = readFileSync(passwordFile, 'utf8').trim();
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

async function deleteLabTokens(g: GrafanaCall, account: string): Promise<number> {
  const tokens = (await call(g, 'GET', `/api/serviceaccounts/${account}/tokens`)) as Array<{ id: number; name: string }>;
  const ours = tokens.filter((t) => t.name === TOKEN_NAME);
  for (const t of ours) await call(g, 'DELETE', `/api/serviceaccounts/${account}/tokens/${t.id}`);
  return ours.length;
}

function writeSecret(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

export async function createToken(o: {
  grafanaUrl: string;
  adminUser: string;
  adminPasswordFile: string;
  serviceAccountId: string;
  tokenFile: string;
  requireDatasources: readonly string[];
}): Promise<void> {
  const g = { url: o.grafanaUrl.replace(/\/$/, ''), auth: adminAuth(o.adminUser, o.adminPasswordFile) };
  const account = serviceAccountNumber(o.serviceAccountId);
  // idempotent: a re-run replaces the lab's token instead of piling up new ones
  await deleteLabTokens(g, account);
  const created = (await call(g, 'POST', `/api/serviceaccounts/${account}/tokens`, { name: TOKEN_NAME })) as { key?: string };
  if (!created?.key) throw new ToolError('Grafana created a token but returned no key');
  writeSecret(o.tokenFile, created.key);
  const listed = (await call({ url: g.url, auth: `Bearer ${created.key}` }, 'GET', '/api/datasources').catch((error: Error) => {
    throw new ToolError(
      `the agent token cannot list datasources (${error.message}). Agents discover Loki, Tempo and Prometheus that way: ` +
        "give the agent service account a role that can (grafana.agentServiceAccount.role in the lab model, e.g. 'Editor') and re-deploy",
    );
  })) as Array<{ uid: string }>;
  const missing = o.requireDatasources.filter((uid) => !listed.some((d) => d.uid === uid));
  if (missing.length) throw new ToolError(`the agent token does not see datasource(s) ${missing.join(', ')}`);
}

export async function revokeToken(o: { grafanaUrl: string; adminUser: string; adminPasswordFile: string; serviceAccountId: string; tokenFile: string }): Promise<string> {
  rmSync(o.tokenFile, { force: true });
  try {
    const g = { url: o.grafanaUrl.replace(/\/$/, ''), auth: adminAuth(o.adminUser, o.adminPasswordFile) };
    const removed = await deleteLabTokens(g, serviceAccountNumber(o.serviceAccountId));
    return `revoked ${removed} token(s)`;
  } catch (error) {
    // a destroy must not stall on a Grafana that is already gone: the token dies with it
    return `token file removed; Grafana not reachable to revoke (${(error as Error).message})`;
  }
}

if (require.main === module) {
  run('agent-token', async () => {
    const mode = process.argv[2];
    const opts = options(process.argv.slice(3));
    const common = {
      grafanaUrl: required(opts, 'grafana-url'),
      adminUser: required(opts, 'admin-user'),
      // the stacks hold home-relative paths (~/…): expanded on this host
      adminPasswordFile: expandHome(required(opts, 'admin-password-file')),
      serviceAccountId: required(opts, 'service-account-id'),
      tokenFile: expandHome(required(opts, 'token-file')),
    };
    if (mode === 'create') {
      await createToken({ ...common, requireDatasources: (opts.get('require-datasources') ?? '').split(',').filter(Boolean) });
      process.stdout.write(`agent token written to ${common.tokenFile} (mode 0600); it lists every lab datasource\n`);
    } else if (mode === 'revoke') {
      process.stdout.write(`${await revokeToken(common)}\n`);
    } else {
      throw new ToolError(`unknown mode '${mode}': create | revoke`);
    }
  });
}
