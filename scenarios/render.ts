/**
 * What each scenario renders besides its stack: the Grafana webhook
 * notification of its primary alert (alert.json) and its expected RCA with
 * the scoring rubric (expected_rca.md). The notification has exactly the
 * shape Grafana posts for these rules, plus `alert_source: "grafana"` (which
 * OpenSRE needs to use its Grafana tools) and, for the runner only,
 * `commonAnnotations.scenario` — which agentView() strips before an agent
 * sees the payload.
 */
import { createHash } from 'node:crypto';
import { type AlertRule, alertRule, pipelineNameFor } from '../model/alerts';
import type { LabModel } from '../model/lab';
import { expandAlertTemplate } from '../model/render/alert-template';
import { CMS_JOB, alertAnnotations } from '../model/render/prometheus';
import { type ServiceName, serviceSpec } from '../model/services';
import { budgetOf } from './budget';
import { dockerFaultCommands } from './docker-commands';
import { cfsQuotaOf, faultsOf, isDecoy, rootCausesOf } from './faults';
import { noiseInWords } from '../model/noise';
import type { FaultSpec, ScenarioSpec } from './types';

export interface AlertInstance {
  /** Labels of the series that fired (what the PromQL returned). */
  readonly seriesLabels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly startsAt: string;
}

export interface GrafanaAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
  silenceURL: string;
  dashboardURL: string;
  panelURL: string;
  values: Record<string, number>;
  valueString: string;
}

export interface GrafanaNotification {
  receiver: string;
  status: 'firing' | 'resolved';
  orgId: number;
  alerts: GrafanaAlert[];
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  version: string;
  groupKey: string;
  truncatedAlerts: number;
  title: string;
  state: 'alerting' | 'ok';
  message: string;
  /** Not sent by Grafana: OpenSRE only uses its Grafana tools for alerts that say so. */
  alert_source: 'grafana';
}

const NEVER = '0001-01-01T00:00:00Z';

function sortedEntries(labels: Readonly<Record<string, string>>): Array<[string, string]> {
  return Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
}

function common(records: ReadonlyArray<Record<string, string>>): Record<string, string> {
  if (records.length === 0) return {};
  return Object.fromEntries(Object.entries(records[0]).filter(([k, v]) => records.every((r) => r[k] === v)));
}

function rootUrl(lab: LabModel): string {
  return `http://${lab.bindAddress}:${lab.grafana.hostPort}/`;
}

/** The notification Grafana's webhook contact point posts for firing instances of a rule. */
export function grafanaNotification(lab: LabModel, rule: AlertRule, instances: readonly AlertInstance[]): GrafanaNotification {
  const root = rootUrl(lab);
  const alerts: GrafanaAlert[] = instances.map((instance) => {
    const labels: Record<string, string> = {
      alertname: rule.title,
      grafana_folder: lab.grafana.folder.title,
      ...instance.seriesLabels,
      severity: rule.severity,
      pipeline_name: pipelineNameFor(rule, instance.seriesLabels),
    };
    const annotations = Object.fromEntries(Object.entries(alertAnnotations(lab, rule)).map(([k, v]) => [k, expandAlertTemplate(v, labels, instance.value)]));
    const fingerprint = createHash('sha256').update(JSON.stringify(sortedEntries(labels))).digest('hex').slice(0, 16);
    const matchers = sortedEntries(labels).map(([k, v]) => `matcher=${encodeURIComponent(`${k}=${v}`)}`).join('&');
    const seriesText = sortedEntries(instance.seriesLabels).map(([k, v]) => `${k}=${v}`).join(', ');
    return {
      status: 'firing',
      labels,
      annotations,
      startsAt: instance.startsAt,
      endsAt: NEVER,
      generatorURL: `${root}alerting/grafana/${rule.uid}/view?orgId=1`,
      fingerprint,
      silenceURL: `${root}alerting/silence/new?alertmanager=grafana&${matchers}&orgId=1`,
      dashboardURL: '',
      panelURL: '',
      values: { A: instance.value, B: instance.value, C: 1 },
      valueString: ['A', 'B'].map((v) => `[ var='${v}' labels={${seriesText}} value=${instance.value} ]`).concat(`[ var='C' labels={${seriesText}} value=1 ]`).join(', '),
    };
  });
  const commonLabels = common(alerts.map((a) => a.labels));
  const commonAnnotations = common(alerts.map((a) => a.annotations));
  const title = `[FIRING:${alerts.length}] ${rule.title} ${lab.grafana.folder.title} (${sortedEntries(commonLabels)
    .filter(([k]) => k !== 'alertname' && k !== 'grafana_folder')
    .map(([, v]) => v)
    .join(' ')})`;
  return {
    receiver: lab.grafana.contactPoint,
    status: 'firing',
    orgId: 1,
    alerts,
    groupLabels: { alertname: rule.title },
    commonLabels,
    commonAnnotations,
    externalURL: root,
    version: '1',
    groupKey: `{}/{__grafana_autogenerated__="true"}/{__grafana_receiver__="${lab.grafana.contactPoint}"}:{alertname="${rule.title}"}`,
    truncatedAlerts: 0,
    title,
    state: 'alerting',
    message: alerts.map((a) => `**Firing**\n\nValue: ${a.valueString}\nLabels:\n${sortedEntries(a.labels).map(([k, v]) => ` - ${k} = ${v}`).join('\n')}\nAnnotations:\n${sortedEntries(a.annotations).map(([k, v]) => ` - ${k} = ${v}`).join('\n')}\nSource: ${a.generatorURL}\nSilence: ${a.silenceURL}`).join('\n\n'),
    alert_source: 'grafana',
  };
}

/** Labels of the series a rule returns when `service` is the one in trouble. */
export function exampleSeriesLabelsFor(rule: AlertRule, service: ServiceName): Record<string, string> {
  const target = (s: ServiceName) => ({ instance: `${s}:${serviceSpec(s).metricsPort}`, job: CMS_JOB, service_name: s });
  switch (rule.pipelineName.from) {
    case 'series':
      return target(rule.services.includes(service) ? service : rule.services[0]);
    case 'sensor_id':
      return { sensor_id: serviceSpec(service).sensor?.sensorId ?? service };
    case 'static':
      return {};
  }
}

/** Labels of the series the primary rule returns when this scenario's fault is on. */
export function exampleSeriesLabels(spec: ScenarioSpec): Record<string, string> {
  return exampleSeriesLabelsFor(alertRule(spec.expectedAlerts[0]), spec.fault.service);
}

/** The scenario's alert payload for the runner: the notification of its primary alert, tagged with the scenario. */
export function scenarioAlert(spec: ScenarioSpec, lab: LabModel, startsAt = '2026-01-01T00:00:00Z'): GrafanaNotification {
  const notification = grafanaNotification(lab, alertRule(spec.expectedAlerts[0]), [{ seriesLabels: exampleSeriesLabels(spec), value: spec.exampleAlertValue, startsAt }]);
  notification.commonAnnotations = { ...notification.commonAnnotations, scenario: spec.name };
  return notification;
}

/** What an agent is handed: the notification without the runner's scenario tag (the ground truth never reaches it). */
export function agentView(notification: GrafanaNotification): GrafanaNotification {
  const { scenario: _hidden, ...annotations } = notification.commonAnnotations;
  return { ...notification, commonAnnotations: annotations };
}

/** What a fault does to its container, in words. */
export function faultMechanism(fault: FaultSpec): string {
  switch (fault.kind) {
    case 'restart-with':
      return `\`${fault.service}\` is stopped and replaced by a variant container with the same alias, hostname and labels, started with ${Object.entries(fault.env)
        .map(([k, v]) => `\`${k}=${v}\``)
        .join(', ')}${fault.memoryLimitMb ? ` and a ${fault.memoryLimitMb} MiB memory cap` : ''}`;
    case 'cpu-quota':
      return `\`${fault.service}\` is stopped and replaced by a variant container with the same alias, hostname and labels, whose CPU is then limited to ${fault.cpus} CPUs${fault.periodMs === undefined ? '' : `, granted as ${cfsQuotaOf(fault).quotaUs / 1000} ms per ${fault.periodMs} ms period`}`;
    case 'stop-service':
      return `\`${fault.service}\` is stopped (SIGTERM); the container stays in place`;
    case 'freeze':
      return `\`${fault.service}\` is frozen (its every thread stopped by the cgroup freezer); the process and its container stay`;
    case 'network-detach':
      return `\`${fault.service}\` is detached from the lab network while it keeps running`;
  }
}

export function expectedRcaMarkdown(spec: ScenarioSpec, lab: LabModel): string {
  const gt = spec.groundTruth;
  const budget = budgetOf(spec, lab);
  const faults = faultsOf(spec);
  const several = faults.length > 1;
  const severalCauses = rootCausesOf(spec).length > 1;
  return [
    `# ${spec.title} — expected root cause`,
    '',
    `> ${spec.oneLiner}. Ground truth for scoring: the runner reads this; agents never see it.`,
    '',
    `Layer: ${spec.layer}. Difficulty: **${spec.difficulty.level}** — ${spec.difficulty.why}.`,
    '',
    '## Fault',
    ...faults.flatMap((fault) => {
      const commands = dockerFaultCommands(fault, lab);
      const on = several ? ` (${fault.service}${isDecoy(spec, fault) ? ', a decoy: benign, not a root cause' : ''})` : '';
      return [
        `- Mechanism${on}: ${faultMechanism(fault)}.`,
        `- Inject${on}: \`cdktf deploy scenario-${spec.name}\` (runs ${commands.inject.map((c) => `\`${c}\``).join(', ')}${commands.variant ? ', then creates the variant' : ''}${commands.onVariant.length ? `, then ${commands.onVariant.map((c) => `\`${c}\``).join(', ')}` : ''}).`,
        `- Clean up${on}: \`cdktf destroy scenario-${spec.name}\` (${commands.variant ? 'removes the variant, then runs ' : 'runs '}${commands.revert.map((c) => `\`${c}\``).join(', ')}, then waits until \`${fault.service}\` is healthy and its output reaches its consumers again).`,
      ];
    }),
    ...(spec.noise ? [`- Background noise from injection to revert (played by the runner, not the stack: a red herring, never a root cause): ${noiseInWords(spec.noise)}.`] : []),
    '',
    '## Alerts',
    `- Must fire: ${spec.expectedAlerts.map((a) => `\`${a}\``).join(', ')} (the first is handed to the agent).`,
    `- May fire as symptoms: ${spec.allowedAlerts.length ? spec.allowedAlerts.map((a) => `\`${a}\``).join(', ') : 'none'}.`,
    '- Every other rule must stay silent.',
    `- Time budget: ${budget.derivation.join('; ')}.`,
    '',
    severalCauses ? '## Root causes (all of them: scored on precision and recall over the services)' : '## Root cause',
    ...rootCausesOf(spec).flatMap((cause) => [
      `- Service: \`${cause.service}\` (also accepted: ${cause.aliases.filter((a) => a !== cause.service).map((a) => `\`${a}\``).join(', ')}).`,
      `- Faulty part: ${cause.component}.`,
    ]),
    `- Category: \`${gt.category}\`.`,
    `- In one sentence: ${gt.summary}`,
    '',
    '## Evidence that proves it',
    '| Kind | Signal | What it shows | Query |',
    '|---|---|---|---|',
    ...gt.evidence.map((e) => `| ${e.kind} | \`${e.signal}\` | ${e.shows} | \`${e.query.replace(/\|/g, '\\|')}\` |`),
    '',
    '## Remediation',
    gt.remediation.summary,
    '',
    '## Propagation',
    gt.propagation.map((p, i) => `${i + 1}. ${p}`).join('\n'),
    '',
    '## Scoring rubric',
    severalCauses
      ? `- +1 names the right services (${rootCausesOf(spec).map((c) => `\`${c.service}\``).join(' and ')}, or aliases), as the F1 of precision and recall over the services named.`
      : `- +1 names the right service (\`${gt.rootCause.service}\` or an alias).`,
    '- +1 cites the right evidence (at least one signal of the table above).',
    '- +1 proposes the right remediation.',
    ...gt.misattributions.map((m) => `- −${m.penalty} claims ${m.claim}.`),
    '',
  ].join('\n');
}
