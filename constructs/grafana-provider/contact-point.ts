import type { Construct } from 'constructs';
import { GrafanaResource, type GrafanaResourceOptions, defined } from './base';

export interface GrafanaWebhookConfig {
  /** `url` Grafana posts notifications to. */
  readonly url: string;
  /** `http_method`. @default 'POST' */
  readonly httpMethod?: 'POST' | 'PUT';
  /** `max_alerts` per notification, 0 for no limit. @default 0 */
  readonly maxAlerts?: number;
  /** `disable_resolve_message`. @default false */
  readonly disableResolveMessage?: boolean;
}

export interface GrafanaContactPointConfig extends GrafanaResourceOptions {
  /** `name` (changing it replaces the contact point). */
  readonly name: string;
  /** `webhook` block. */
  readonly webhook: GrafanaWebhookConfig;
}

/** `grafana_contact_point` with one webhook notifier. */
export class GrafanaContactPoint extends GrafanaResource {
  static readonly tfResourceType = 'grafana_contact_point';
  static readonly coveredAttributes = ['name', 'webhook.url', 'webhook.http_method', 'webhook.max_alerts', 'webhook.disable_resolve_message'] as const;

  constructor(
    scope: Construct,
    id: string,
    private readonly config: GrafanaContactPointConfig,
  ) {
    super(scope, id, GrafanaContactPoint.tfResourceType, config);
  }

  get name(): string {
    return this.getStringAttribute('name');
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    const w = this.config.webhook;
    return {
      name: this.config.name,
      webhook: [
        defined({
          url: w.url,
          http_method: w.httpMethod ?? 'POST',
          max_alerts: w.maxAlerts ?? 0,
          disable_resolve_message: w.disableResolveMessage ?? false,
        }),
      ],
    };
  }
}
