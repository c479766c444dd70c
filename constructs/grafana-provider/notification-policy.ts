import type { Construct } from 'constructs';
import { GrafanaResource, type GrafanaResourceOptions, defined } from './base';

export interface GrafanaNotificationPolicyConfig extends GrafanaResourceOptions {
  /** `contact_point`: name of the default receiver. */
  readonly contactPoint: string;
  /** `group_by` labels. */
  readonly groupBy: readonly string[];
  /** `group_wait`. @default Grafana's 30s */
  readonly groupWait?: string;
  /** `group_interval`. @default Grafana's 5m */
  readonly groupInterval?: string;
  /** `repeat_interval`. @default Grafana's 4h */
  readonly repeatInterval?: string;
}

/** `grafana_notification_policy`: the organisation's whole policy tree (a singleton). */
export class GrafanaNotificationPolicy extends GrafanaResource {
  static readonly tfResourceType = 'grafana_notification_policy';
  static readonly coveredAttributes = ['contact_point', 'group_by', 'group_wait', 'group_interval', 'repeat_interval'] as const;

  constructor(
    scope: Construct,
    id: string,
    private readonly config: GrafanaNotificationPolicyConfig,
  ) {
    super(scope, id, GrafanaNotificationPolicy.tfResourceType, config);
    if (config.groupBy.length === 0) throw new Error('notification policy: group_by needs at least one label');
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return defined({
      contact_point: this.config.contactPoint,
      group_by: [...this.config.groupBy],
      group_wait: this.config.groupWait,
      group_interval: this.config.groupInterval,
      repeat_interval: this.config.repeatInterval,
    });
  }
}
