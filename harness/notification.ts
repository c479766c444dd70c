/**
 * The Grafana notification of what Prometheus has actually firing. The
 * native harness has no Grafana: it renders the same webhook payload the
 * Docker lab's contact point posts, from the real firing instances (their
 * series labels, value and start), with the same renderer as the scenarios'
 * alert.json.
 */
import { alertRule } from '../model/alerts';
import type { LabModel } from '../model/lab';
import { durationSeconds } from '../model/promql';
import { alertLabels } from '../model/render/prometheus';
import { type GrafanaNotification, grafanaNotification } from '../scenarios/render';
import type { PromAlert } from './native-prometheus';

export function notificationFromPrometheus(lab: LabModel, ruleUid: string, firing: readonly PromAlert[]): GrafanaNotification {
  const rule = alertRule(ruleUid);
  const ruleLabels = new Set(['alertname', ...Object.keys(alertLabels(rule))]);
  const instances = firing
    .filter((a) => a.labels.alertname === rule.uid && a.state === 'firing')
    .map((a) => ({
      seriesLabels: Object.fromEntries(Object.entries(a.labels).filter(([k]) => !ruleLabels.has(k))),
      value: Number(a.value),
      // Grafana's startsAt is when the instance began firing: pending start + the rule's `for`
      startsAt: new Date(Date.parse(a.activeAt) + durationSeconds(rule.for) * 1000).toISOString(),
    }));
  if (instances.length === 0) throw new Error(`no firing instance of ${rule.uid} to notify about`);
  return grafanaNotification(lab, rule, instances);
}
