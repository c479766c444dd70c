/**
 * Time budgets derived from the rules' windows instead of one fixed wait:
 * the theoretical floor from injection to firing is the fault's signal delay
 * plus the primary rule's `for`; every expected alert must fire, so the
 * budget starts from the latest expected alert's floor and adds one scrape
 * interval, two evaluation intervals (pending, then firing), the scenario's
 * slack and a 30 s margin. Recovery allows the longest range window of the expected rules.
 */
import { alertRule } from '../model/alerts';
import type { LabModel } from '../model/lab';
import { durationSeconds } from '../model/promql';
import { STEADY_STATE } from '../model/simulation';
import type { BudgetContext, ScenarioSpec } from './types';

export const MARGIN_S = 30;

export interface Budget {
  /** Fastest possible injection-to-firing time. */
  readonly floorS: number;
  /** Injection-to-firing time allowed before the run is declared invalid (the fault did not manifest). */
  readonly budgetS: number;
  /** Cleanup-to-resolution time allowed. */
  readonly recoveryS: number;
  /** The longest range window among the expected rules: how long a fault's traces stay in what they read. */
  readonly windowS: number;
  readonly derivation: readonly string[];
}

export function budgetContext(lab: LabModel): BudgetContext {
  return {
    scrapeIntervalS: lab.observability.scrapeIntervalS,
    evaluationIntervalS: lab.observability.evaluationIntervalS,
    sourceTrackRatePerS: STEADY_STATE.sourceTrackRatePerS,
  };
}

/** Longest range window (`[1m]`) in an expression, seconds. */
export function longestRangeS(expr: string): number {
  return Math.max(0, ...[...expr.matchAll(/\[(\d+(?:ms|s|m|h|d))\]/g)].map((m) => durationSeconds(m[1])));
}

export function budgetOf(spec: ScenarioSpec, lab: LabModel): Budget {
  const context = budgetContext(lab);
  const primary = spec.signalDelayS(context);
  // each expected alert's floor: its signal delay plus its rule's `for`; the primary's is the run's floor, the latest bounds the budget
  const floors = spec.expectedAlerts.map((uid, index) => {
    const rule = alertRule(uid);
    const later = index > 0 ? spec.laterSignalDelaysS?.[uid]?.(context) : undefined;
    const signal = later ?? primary;
    return { rule, signal, floorS: signal.seconds + durationSeconds(rule.for) };
  });
  const floorS = floors[0].floorS;
  const latest = floors.reduce((a, b) => (b.floorS > a.floorS ? b : a));
  const cadenceS = context.scrapeIntervalS + 2 * context.evaluationIntervalS;
  const slackS = spec.slackS ?? 0;
  const budgetS = latest.floorS + cadenceS + slackS + MARGIN_S;
  // every expected alert must resolve: the longest window among them
  const windowS = Math.max(...spec.expectedAlerts.map((uid) => longestRangeS(alertRule(uid).expr)));
  const recoveryS = windowS + cadenceS + MARGIN_S;
  const laterLine = latest === floors[0] ? [] : [`${latest.rule.uid} must fire too: signal ${latest.signal.seconds} s (${latest.signal.why}) + for ${latest.rule.for} = ${latest.floorS} s, later than the primary's`];
  return {
    floorS,
    budgetS,
    recoveryS,
    windowS,
    derivation: [
      `signal ${primary.seconds} s (${primary.why})`,
      `+ for ${floors[0].rule.for} of ${floors[0].rule.uid} = floor ${floorS} s`,
      ...laterLine,
      `${latest === floors[0] ? '' : `${latest.floorS} s `}+ scrape ${context.scrapeIntervalS} s + 2 × evaluation ${context.evaluationIntervalS} s${slackS ? ` + slack ${slackS} s` : ''} + margin ${MARGIN_S} s = budget ${budgetS} s`,
      `recovery: longest window of the expected rules ${windowS} s + ${cadenceS} s + margin ${MARGIN_S} s = ${recoveryS} s`,
    ],
  };
}
