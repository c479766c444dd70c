/**
 * Markdown tables of the README, rendered from the model so the docs cannot
 * drift from what the lab runs. `npm run docs` writes them between the
 * `<!-- BEGIN GENERATED:<name> -->` / `<!-- END GENERATED:<name> -->`
 * markers; a test fails when the README is stale.
 */
import { telemetryCatalogue } from '../runner/catalogue';
import { agreementTable, corpusAgreement, corpusDir, loadCorpus } from '../runner/scorer-agreement';
import * as grafana from '../constructs/grafana-provider';
import { buildLabModel } from '../model/lab';
import { noiseInWords } from '../model/noise';
import { CMS_SERVICES } from '../model/services';
import { STEADY_STATE, TARGETS } from '../model/simulation';
import { LOG_EVENTS, METRICS, SPANS } from '../model/telemetry';
import { FORCED_WRITER_QOS, TOPICS, type TopicSpec, describeHistory } from '../model/topics';
import { SCENARIOS } from '../scenarios';
import { budgetOf } from '../scenarios/budget';
import { dockerFaultCommands } from '../scenarios/docker-commands';
import { faultsOf, isDecoy, rootCausesOf } from '../scenarios/faults';
import { PROVIDER_VERSIONS, labHostPorts } from '../stacks/lab-stack';

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(escape).join(' | ')} |`),
  ].join('\n');
}

function servicesOf(services: readonly string[]): string {
  return services.length === CMS_SERVICES.length ? 'all' : services.join(', ');
}

export const DOC_SECTIONS: Readonly<Record<string, () => string>> = {
  services: () =>
    table(
      ['Service', 'Port', 'Role', 'Publishes', 'Subscribes'],
      CMS_SERVICES.map((s) => [
        `\`${s.name}\``,
        String(s.metricsPort),
        s.sensor
          ? `${s.description} (\`${s.sensor.sensorId}\`, detection ${s.sensor.detectionProbability}, σ ${s.sensor.positionSigmaM} m)`
          : s.description,
        s.publishes.join(', ') || '—',
        s.subscribes.length === 5 ? 'every topic' : s.subscribes.join(', ') || '—',
      ]),
    ) +
    `\n\nWorld: ${TARGETS.map((t) => `${t.id} (${t.classification}, ${t.speedMps} m/s at ${t.altitudeM} m)`).join(', ')}. ` +
    `Steady state: ${STEADY_STATE.activeTracks} tactical tracks, about ${STEADY_STATE.sourceTrackRatePerS.toFixed(0)} source tracks per second into fusion.`,
  qos: () =>
    table(
      ['Topic', 'Type', 'Reliability', 'History', 'Durability'],
      (TOPICS as readonly TopicSpec[]).map((t) => [`\`${t.name}\``, `cms::${t.type}`, t.qos.reliability, describeHistory(t.qos.history) + (t.qos.maxSamples === undefined ? '' : `, at most ${t.qos.maxSamples} samples`), t.qos.durability]),
    ) +
    '\n\n`CMS_FORCE_QOS` (writer-only override; each is a genuine requested/offered incompatibility with the canonical reader): ' +
    Object.entries(FORCED_WRITER_QOS)
      .map(([name, policy]) => `\`${name}\` (${JSON.stringify(policy).replace(/"/g, '')})`)
      .join(', ') +
    '.',
  metrics: () =>
    table(
      ['Metric', 'Type', 'Labels', 'Services', 'Meaning'],
      METRICS.map((m) => [`\`${m.name}\``, m.type, m.labels.join(', ') || '—', servicesOf(m.services), m.help]),
    ),
  logs: () =>
    table(
      ['Log event', 'Level', 'Fields', 'Services', 'Meaning'],
      LOG_EVENTS.map((e) => [`\`${e.event}\``, e.level, e.fields.join(', '), servicesOf(e.services), e.description]),
    ),
  'host-ports': () => {
    const lab = buildLabModel();
    const o = lab.observability;
    const rows: Array<[string, number, string]> = [
      ['Grafana', lab.grafana.hostPort, 'UI and API; user `lab-admin`, password in `$CMS_LAB_HOME/secrets/grafana-admin-password`'],
      ['Prometheus', o.prometheus.hostPort, 'UI and API'],
      ['Loki', o.loki.hostPort, 'API'],
      ['Tempo', o.tempo.hostPort, 'API'],
      ['Collector OTLP gRPC', o.collector.hostPorts.otlpGrpc, 'send telemetry from the host'],
      ['Collector OTLP HTTP', o.collector.hostPorts.otlpHttp, 'send telemetry from the host'],
      ['Collector health', o.collector.hostPorts.health, 'health_check extension'],
      ['Alert sink', o.alertSink.hostPort, 'notifications Grafana sent (`GET /notifications?since=<ms>`)'],
      ...lab.cms.services.flatMap((s): Array<[string, number, string]> => (s.hostPort ? [[s.name, s.hostPort, 'live tactical picture `GET /api/picture`, metrics']] : [])),
    ];
    if (rows.length !== labHostPorts(lab).length) throw new Error('the host-port table misses a port the stack publishes');
    return table(['What', `Port on ${lab.bindAddress}`, 'Use'], rows.map(([what, port, use]) => [what, String(port), use]));
  },
  scenarios: () => {
    const lab = buildLabModel();
    return table(
      ['Scenario', 'Layer', 'Difficulty: what makes it so', 'Fault (Docker)', 'Must fire', 'May fire', 'Floor / budget', 'Root cause (category)'],
      SCENARIOS.map((sc) => {
        const b = budgetOf(sc, lab);
        const fault = faultsOf(sc)
          .map((f) => {
            const docker = dockerFaultCommands(f, lab);
            const commands = docker.inject.map((c) => `\`${c}\``);
            const decoy = isDecoy(sc, f) ? 'decoy (benign): ' : '';
            return decoy + (f.kind === 'restart-with'
              ? `${commands.join(', ')}, then a variant with ${Object.entries(f.env).map(([k, v]) => `\`${k}=${v}\``).join(', ')}${f.memoryLimitMb ? ` and ${f.memoryLimitMb} MiB` : ''}`
              : docker.variant
                ? `${commands.join(', ')}, then a variant, then ${docker.onVariant.map((c) => `\`${c}\``).join(', ')}`
                : commands.join(', '));
          })
          .join('; and at once ');
        const noise = sc.noise ? `; and from the noise (the runner, not the stack): ${noiseInWords(sc.noise)}` : '';
        return [
          `[\`${sc.name}\`](scenarios/${sc.name}/expected_rca.md)`,
          sc.layer,
          `**${sc.difficulty.level}**: ${sc.difficulty.why}`,
          fault + noise,
          sc.expectedAlerts.map((a) => `\`${a}\``).join(', '),
          sc.allowedAlerts.map((a) => `\`${a}\``).join(', ') || '—',
          `${b.floorS} s / ${b.budgetS} s`,
          `${rootCausesOf(sc).map((c) => `\`${c.service}\``).join(' + ')} (${sc.groundTruth.category})`,
        ];
      }),
    );
  },
  'ambient-noise': () => {
    const { ambient } = buildLabModel().noise;
    const rows: string[][] = [];
    if (ambient.restarts) rows.push(['Benign restarts', `\`${ambient.restarts.service}\` (publishes nothing: no consumer notices)`, `about every ${ambient.restarts.everyS} s`, `\`docker restart ${ambient.restarts.service}\``, 'a new process']);
    if (ambient.logBursts) rows.push(['Log bursts', ambient.logBursts.services.map((s) => `\`${s}\``).join(', '), `about every ${ambient.logBursts.everyS} s`, `\`docker kill --signal SIGUSR2 <service>\`: a diagnostics dump (\`diagnostics_requested\`, one \`diagnostics_dump\` per metric family)`, 'SIGUSR2 to the process']);
    if (ambient.cpuNeighbour) rows.push(['CPU neighbour', `\`${ambient.cpuNeighbour.name}\``, `${ambient.cpuNeighbour.cpus} of a core, in 100 ms slices`, 'a container of the service image with no network', 'a node process carrying the lab marker']);
    return `${table(['Noise', 'On', 'How often / how much', 'Docker engine', 'Native'], rows)}\n\nIntervals are jittered (0.8-1.2 × the period, seeded: seed ${ambient.seed ?? 1}).`;
  },
  'alert-rules': () =>
    table(
      ['Rule (uid)', 'PromQL', 'for', 'Severity', 'pipeline_name'],
      buildLabModel().alertRules.map((r) => [
        `\`${r.uid}\``,
        `\`${r.expr}\``,
        r.for,
        r.severity,
        r.pipelineName.from === 'static' ? r.pipelineName.service : r.pipelineName.from === 'series' ? 'the series\' `service_name`' : 'from `sensor_id`',
      ]),
    ),
  'grafana-provider': () =>
    table(
      ['Resource', 'Attributes covered'],
      [grafana.GrafanaProvider, grafana.GrafanaDataSource, grafana.GrafanaFolder, grafana.GrafanaDashboard, grafana.GrafanaRuleGroup, grafana.GrafanaContactPoint, grafana.GrafanaNotificationPolicy, grafana.GrafanaServiceAccount].map((c) => [
        `\`${c.tfResourceType}\``,
        c.coveredAttributes.map((a) => `\`${a}\``).join(', '),
      ]),
    ) +
    `\n\nProvider \`${grafana.GRAFANA_PROVIDER_SOURCE}\` ${grafana.GRAFANA_PROVIDER_VERSION}; also kreuzwerker/docker ${PROVIDER_VERSIONS.docker} and hashicorp/null ${PROVIDER_VERSIONS.null}, all pinned exactly.`,
  'scorer-agreement': () => agreementTable(corpusAgreement(loadCorpus(corpusDir()), telemetryCatalogue(buildLabModel()))),
  spans: () =>
    table(
      ['Span', 'Attributes', 'Parent', 'Services'],
      SPANS.map((s) => [`\`${s.name}\``, s.attributes.join(', '), s.parents.join(' or ') || 'root', servicesOf(s.services)]),
    ),
};

/** Replaces every generated section of `markdown`; throws if a marker pair is missing. */
export function renderGeneratedSections(markdown: string): string {
  let out = markdown;
  for (const [name, render] of Object.entries(DOC_SECTIONS)) {
    const begin = `<!-- BEGIN GENERATED:${name} -->`;
    const end = `<!-- END GENERATED:${name} -->`;
    const start = out.indexOf(begin);
    const stop = out.indexOf(end);
    if (start < 0 || stop < start) throw new Error(`README is missing the markers ${begin} … ${end}`);
    out = `${out.slice(0, start + begin.length)}\n${render()}\n${out.slice(stop)}`;
  }
  return out;
}
