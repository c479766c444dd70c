/**
 * The no-fault control: the lab runs healthy, nothing is injected, and the
 * agent is handed a page anyway (a spurious fusion-latency alert, the
 * commonest flapping page of a pipeline like this one). The right answer is
 * that nothing is wrong; naming any root cause is a false positive.
 */
import { alertRule } from '../model/alerts';
import type { LabModel } from '../model/lab';
import { budgetOf } from './budget';
import { exampleSeriesLabelsFor, type GrafanaNotification, grafanaNotification } from './render';
import { SCENARIOS } from './index';

export const CONTROL_NAME = 'control';

export const CONTROL = {
  name: CONTROL_NAME,
  title: 'No-fault control',
  oneLiner: 'Nothing injected; a spurious page arrives while every signal is healthy',
  /** The rule whose (spurious) page the agent is handed. */
  alertRule: 'fusion-latency-high',
  exampleAlertValue: 0.62,
} as const;

/** How long the control watches the healthy lab: as long as the longest scenario budget, so a rule that would flap gets the same chance to. */
export function controlWatchS(lab: LabModel): number {
  return Math.max(...SCENARIOS.map((s) => budgetOf(s, lab).budgetS));
}

/** The spurious page handed to the agent in the control. */
export function controlAlert(lab: LabModel, startsAt: string): GrafanaNotification {
  const rule = alertRule(CONTROL.alertRule);
  return grafanaNotification(lab, rule, [{ seriesLabels: exampleSeriesLabelsFor(rule, rule.services[0]), value: CONTROL.exampleAlertValue, startsAt }]);
}
