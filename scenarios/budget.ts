/**
 * Time budgets derived from the rules' windows instead of one fixed wait:
 * the theoretical floor from injection to firing is the fault's signal delay
 * plus the primary rule's `for`; the budget adds one scrape interval, two
 * evaluation intervals (pending, then firing), the scenario's slack and a
 * 30 s margin. Recovery allows the longest range window of the expected rules.
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
  const rule = alertRule(spec.expectedAlerts[0]);
  const forS = durationSeconds(rule.for);
  const signal = spec.signalDelayS(context);
  const floorS = signal.seconds + forS;
  const cadenceS = context.scrapeIntervalS + 2 * context.evaluationIntervalS;
  const slackS = spec.slackS ?? 0;
  const budgetS = floorS + cadenceS + slackS + MARGIN_S;
  // every expected alert must resolve: the longest window among them
  const windowS = Math.max(...spec.expectedAlerts.map((uid) => longestRangeS(alertRule(uid).expr)));
  const recoveryS = windowS + cadenceS + MARGIN_S;
  return {
    floorS,
    budgetS,
    recoveryS,
    windowS,
    derivation: [
      `signal ${signal.seconds} s (${signal.why})`,
      `+ for ${rule.for} of ${rule.uid} = floor ${floorS} s`,
      `+ scrape ${context.scrapeIntervalS} s + 2 × evaluation ${context.evaluationIntervalS} s${slackS ? ` + slack ${slackS} s` : ''} + margin ${MARGIN_S} s = budget ${budgetS} s`,
      `recovery: longest window of the expected rules ${windowS} s + ${cadenceS} s + margin ${MARGIN_S} s = ${recoveryS} s`,
    ],
  };
}
