/**
 * npm run investigate -- --alert alert.json --prometheus http://127.0.0.1:19090 [--loki URL] [--tempo URL]
 * npm run investigate -- --alert alert.json --grafana http://127.0.0.1:13000 --token-file ~/.cms-chaos-lab/agent-token
 *
 * Runs the baseline investigator once and writes its result (JSON) and its
 * readable report (markdown). Through Grafana it reads Prometheus, Loki and
 * Tempo via the datasource proxy with the agents' read-only token, exactly
 * the access an AI agent gets. Exit codes: 0 done, 2 bad input, 3 a backend
 * could not be read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildLabModel } from '../model/lab';
import { AlertInputError } from './alert';
import { investigate } from './investigate';
import { type HttpEndpoint, LokiHttp, PrometheusHttp, SourceError, type Sources, TempoHttp } from './sources';

const USAGE = `usage: investigate --alert <file|-> (--prometheus <url> [--loki <url>] [--tempo <url>] | --grafana <url> --token-file <file>)
                   [--out <result.json>] [--report <report.md>] [--now <ISO time>]`;

class UsageError extends Error {}

function readAlert(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the alert file ${file}: ${(error as Error).message}`);
  }
}

export function sourcesFromArgs(values: Record<string, string | undefined>): Sources {
  const lab = buildLabModel();
  if (values.grafana) {
    if (!values['token-file']) throw new UsageError('--grafana needs --token-file (the agents\' read-only service-account token)');
    let token: string;
    try {
      token = readFileSync(values['token-file'], 'utf8').trim();
    } catch (error) {
      throw new UsageError(`cannot read the token file: ${(error as Error).message}`);
    }
    const proxy = (uid: string): HttpEndpoint => ({ url: `${values.grafana?.replace(/\/$/, '')}/api/datasources/proxy/uid/${uid}`, token });
    const ds = lab.grafana.datasources;
    return { metrics: new PrometheusHttp(proxy(ds.prometheus.uid)), logs: new LokiHttp(proxy(ds.loki.uid)), traces: new TempoHttp(proxy(ds.tempo.uid)) };
  }
  if (!values.prometheus) throw new UsageError('give --prometheus <url> or --grafana <url>');
  return {
    metrics: new PrometheusHttp({ url: values.prometheus }),
    logs: values.loki ? new LokiHttp({ url: values.loki }) : undefined,
    traces: values.tempo ? new TempoHttp({ url: values.tempo }) : undefined,
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        alert: { type: 'string' },
        prometheus: { type: 'string' },
        loki: { type: 'string' },
        tempo: { type: 'string' },
        grafana: { type: 'string' },
        'token-file': { type: 'string' },
        out: { type: 'string' },
        report: { type: 'string' },
        now: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | undefined>;
  } catch (error) {
    process.stderr.write(`investigate: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  try {
    if (!values.alert) throw new UsageError('--alert is required');
    const now = values.now === undefined ? undefined : Date.parse(values.now) / 1000;
    if (now !== undefined && Number.isNaN(now)) throw new UsageError(`--now '${values.now}' is not a time`);
    const result = await investigate(readAlert(values.alert), { lab: buildLabModel(), sources: sourcesFromArgs(values), now, grafanaUrl: values.grafana });
    const json = `${JSON.stringify(result, null, 2)}\n`;
    if (values.out) writeFileSync(values.out, json);
    else process.stdout.write(json);
    if (values.report) writeFileSync(values.report, result.report);
    process.stderr.write(`investigate: ${result.rootCause.service ?? 'no root cause'} (${result.rootCause.category}), confidence ${result.confidence}, ${result.queries} queries in ${(result.durationMs / 1000).toFixed(2)} s\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof AlertInputError) {
      process.stderr.write(`investigate: ${error.message}\n${error instanceof UsageError ? `${USAGE}\n` : ''}`);
      return 2;
    }
    if (error instanceof SourceError) {
      process.stderr.write(`investigate: cannot read ${error.message}\n`);
      return 3;
    }
    throw error;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
