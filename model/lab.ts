/**
 * The lab model: one typed, validated object from which every construct,
 * config file, alert rule, dashboard, doc and test is rendered. The CMS
 * roster, QoS, world and telemetry contract live in their own modules and
 * are referenced from here; the lab adds what the Docker lab needs (images,
 * host ports, observability, Grafana, agents) and checks the whole at once,
 * naming the offending field. Its parts: the shape (lab-schema.ts), the
 * cross-field rules (lab-rules.ts), the defaults (lab-defaults.ts), the
 * merge of overrides (merge.ts) and lookups into a built lab
 * (lab-addresses.ts).
 */
import type { z } from 'zod';
import { ALERT_RULES, type AlertRule } from './alerts';
import { DEFAULT_LAB } from './lab-defaults';
import { alertRuleProblems, crossFieldRules } from './lab-rules';
import { LabModelShape } from './lab-schema';
import { type DeepPartial, merge } from './merge';

export { DEFAULT_LAB } from './lab-defaults';
export { alertRuleProblems } from './lab-rules';
export { agentNetworkAddress, cmsServiceSettings, containerAddress, dataVolumeName } from './lab-addresses';

export const LabModelSchema = LabModelShape.superRefine(crossFieldRules);

export type LabModelInput = z.input<typeof LabModelSchema>;
export type LabModel = z.output<typeof LabModelSchema> & { readonly alertRules: readonly AlertRule[] };

export class LabModelError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the lab model is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'LabModelError';
  }
}

/** Validates a model, throwing a LabModelError that lists every problem with its field path. */
export function validateLabModel(input: unknown, rules: readonly AlertRule[] = ALERT_RULES): LabModel {
  const parsed = LabModelSchema.safeParse(input);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  problems.push(...alertRuleProblems(rules));
  if (problems.length || !parsed.success) throw new LabModelError(problems);
  return { ...parsed.data, alertRules: rules };
}

/** The default lab with overrides (arrays replace, objects merge), validated. */
export function buildLabModel(overrides?: DeepPartial<LabModelInput>, rules: readonly AlertRule[] = ALERT_RULES): LabModel {
  return validateLabModel(merge(DEFAULT_LAB, overrides), rules);
}
