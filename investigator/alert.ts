/**
 * Reads the alert an investigation starts from: a Grafana webhook
 * notification (the shape the scenarios render and Grafana sends). Anything
 * else is refused with the reason. The runner-only `scenario` annotation is
 * never read: the investigator works from what a real notification carries.
 */
import { z } from 'zod';
import { ALERT_RULES, type AlertRule } from '../model/alerts';

export class AlertInputError extends Error {
  constructor(message: string) {
    super(`malformed alert: ${message}`);
    this.name = 'AlertInputError';
  }
}

const NotificationSchema = z.object({
  alerts: z
    .array(
      z.object({
        status: z.string().optional(),
        labels: z.record(z.string(), z.string()),
        annotations: z.record(z.string(), z.string()).optional(),
        startsAt: z.string(),
        generatorURL: z.string().optional(),
      }),
    )
    .min(1, 'it has no alerts'),
  commonLabels: z.record(z.string(), z.string()).optional(),
});

export interface AlertContext {
  /** The lab's rule the notification is about, when it can be told (title or generator URL). */
  readonly rule?: AlertRule;
  readonly alertName: string;
  /** Seconds since the epoch. */
  readonly startsAt: number;
  /** Labels of the firing instances. */
  readonly instances: ReadonlyArray<Readonly<Record<string, string>>>;
  /** The service the alert names (`pipeline_name`), if any. */
  readonly pipelineName?: string;
}

export function parseAlert(input: unknown): AlertContext {
  let payload = input;
  if (typeof input === 'string') {
    try {
      payload = JSON.parse(input);
    } catch (error) {
      throw new AlertInputError(`not JSON (${(error as Error).message})`);
    }
  }
  const parsed = NotificationSchema.safeParse(payload);
  if (!parsed.success) {
    throw new AlertInputError(parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; '));
  }
  const first = parsed.data.alerts[0];
  const startsAt = Date.parse(first.startsAt);
  if (Number.isNaN(startsAt)) throw new AlertInputError(`alerts[0].startsAt '${first.startsAt}' is not a time`);
  const alertName = first.labels.alertname ?? parsed.data.commonLabels?.alertname ?? '';
  const fromUrl = /\/alerting\/grafana\/([^/]+)\/view/.exec(first.generatorURL ?? '')?.[1];
  const rule = ALERT_RULES.find((r) => r.uid === fromUrl) ?? ALERT_RULES.find((r) => r.title === alertName || r.uid === alertName);
  return {
    rule,
    alertName,
    startsAt: startsAt / 1000,
    instances: parsed.data.alerts.map((a) => a.labels),
    pipelineName: parsed.data.commonLabels?.pipeline_name ?? first.labels.pipeline_name,
  };
}
