/** The lab model's cross-field rules, and the alert rules checked against the rest of the model. */
import type { z } from 'zod';
import type { AlertRule } from './alerts';
import type { LabModelShapeOutput } from './lab-schema';
import { durationSeconds, isPromDuration, promqlSyntaxError, selectedMetrics } from './promql';
import { noiseProblems } from './noise';
import { SERVICE_NAMES } from './services';
import { METRICS, RUNTIME_METRICS } from './telemetry';

/** Rules that span fields (unique host ports, every service once, retention, versions, datasource uids), each naming its field. */
export function crossFieldRules(lab: LabModelShapeOutput, ctx: z.RefinementCtx): void {
  const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });

  // every host port once
  const hostPorts: Array<[PropertyKey[], number]> = [
    [['observability', 'prometheus', 'hostPort'], lab.observability.prometheus.hostPort],
    [['observability', 'loki', 'hostPort'], lab.observability.loki.hostPort],
    [['observability', 'tempo', 'hostPort'], lab.observability.tempo.hostPort],
    [['observability', 'collector', 'hostPorts', 'otlpGrpc'], lab.observability.collector.hostPorts.otlpGrpc],
    [['observability', 'collector', 'hostPorts', 'otlpHttp'], lab.observability.collector.hostPorts.otlpHttp],
    [['observability', 'collector', 'hostPorts', 'health'], lab.observability.collector.hostPorts.health],
    [['observability', 'alertSink', 'hostPort'], lab.observability.alertSink.hostPort],
    [['grafana', 'hostPort'], lab.grafana.hostPort],
    ...lab.cms.services.flatMap((s, i): Array<[PropertyKey[], number]> => (s.hostPort === undefined ? [] : [[['cms', 'services', i, 'hostPort'], s.hostPort]])),
    ...(lab.agents.ollama.mode === 'container' ? [[['agents', 'ollama', 'hostPort'], lab.agents.ollama.hostPort] as [PropertyKey[], number]] : []),
  ];
  const seen = new Map<number, string>();
  for (const [path, value] of hostPorts) {
    const other = seen.get(value);
    if (other) issue(path, `duplicate host port ${value} (also ${other})`);
    else seen.set(value, path.join('.'));
  }

  // every CMS service exactly once, with its model port unique
  const names = lab.cms.services.map((s) => s.name);
  for (const name of SERVICE_NAMES) if (!names.includes(name)) issue(['cms', 'services'], `service '${name}' is missing`);
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) issue(['cms', 'services', i, 'name'], `service '${name}' is listed twice`);
  });

  const lokiRetention = durationSeconds(isPromDuration(lab.observability.loki.retention) ? lab.observability.loki.retention : '0s');
  if (lokiRetention > 0 && lokiRetention < 86_400) issue(['observability', 'loki', 'retention'], 'Loki retention must be at least 24h');
  if (lab.observability.lookbackS < 2 * lab.observability.scrapeIntervalS) {
    issue(['observability', 'lookbackS'], 'must cover at least two scrape intervals');
  }

  // OpenSRE before v2026.4.28 crashes in run_diagnostic_code on every run
  const [year, month, day] = lab.agents.opensre.ref.slice(1).split('.').map(Number);
  if (year * 10_000 + month * 100 + day < 20_260_428) {
    issue(['agents', 'opensre', 'ref'], 'must be v2026.4.28 or later: earlier OpenSRE releases crash in run_diagnostic_code on every investigation');
  }
  if (lab.agents.opensre.llm.provider === 'ollama' && lab.agents.opensre.llm.model !== lab.agents.ollama.model) {
    issue(['agents', 'opensre', 'llm', 'model'], `must be the model Ollama serves (agents.ollama.model = ${lab.agents.ollama.model})`);
  }

  if (lab.agentNetwork.name === lab.network.name) issue(['agentNetwork', 'name'], 'must differ from network.name: agents get a network of their own');
  if (lab.agentNetwork.subnet === lab.network.subnet) issue(['agentNetwork', 'subnet'], 'must differ from network.subnet');

  const dsUids = Object.values(lab.grafana.datasources).map((d) => d.uid);
  if (new Set(dsUids).size !== dsUids.length) issue(['grafana', 'datasources'], 'datasource uids must differ');

  for (const problem of noiseProblems(lab.noise.ambient)) issue(['noise', 'ambient', ...problem.path], problem.message);
}

/** Problems of the alert rules against the rest of the model (services, contract metrics, PromQL syntax, durations). */
export function alertRuleProblems(rules: readonly AlertRule[]): string[] {
  const problems: string[] = [];
  const known = new Set<string>([...METRICS.map((m) => m.name), ...RUNTIME_METRICS, 'up']);
  const bucketed = new Set<string>(METRICS.filter((m) => m.type === 'histogram').flatMap((m) => [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`]));
  const uids = new Set<string>();
  rules.forEach((rule, i) => {
    const at = `alertRules[${i}] (${rule.uid})`;
    if (uids.has(rule.uid)) problems.push(`${at}.uid: duplicate rule uid`);
    uids.add(rule.uid);
    if (!/^[a-z][a-z0-9-]*$/.test(rule.uid)) problems.push(`${at}.uid: must be lowercase words joined by '-'`);
    if (!isPromDuration(rule.for)) problems.push(`${at}.for: '${rule.for}' is not a duration such as 30s or 1m`);
    const syntax = promqlSyntaxError(rule.expr);
    if (syntax) problems.push(`${at}.expr: ${syntax.message}`);
    else {
      for (const metric of selectedMetrics(rule.expr)) {
        if (!known.has(metric) && !bucketed.has(metric)) problems.push(`${at}.expr: metric '${metric}' is not in the telemetry contract`);
      }
    }
    for (const service of rule.services) {
      if (!(SERVICE_NAMES as readonly string[]).includes(service)) problems.push(`${at}.services: unknown service '${service}'`);
    }
    if (rule.pipelineName.from === 'static' && !(SERVICE_NAMES as readonly string[]).includes(rule.pipelineName.service)) {
      problems.push(`${at}.pipelineName.service: unknown service '${rule.pipelineName.service}'`);
    }
  });
  return problems;
}
