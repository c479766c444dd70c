import type { Construct } from 'constructs';
import { GrafanaResource, type GrafanaResourceOptions, defined } from './base';

export interface GrafanaServiceAccountConfig extends GrafanaResourceOptions {
  /** `name`. */
  readonly name: string;
  /** `role`: the basic role. */
  readonly role: 'Viewer' | 'Editor' | 'Admin' | 'None';
  /** `is_disabled`. @default false */
  readonly isDisabled?: boolean;
}

/**
 * `grafana_service_account`. Its tokens are deliberately not Terraform
 * resources: `grafana_service_account_token.key` would be stored in the
 * state in clear text (see constructs/agent-token.ts).
 */
export class GrafanaServiceAccount extends GrafanaResource {
  static readonly tfResourceType = 'grafana_service_account';
  static readonly coveredAttributes = ['name', 'role', 'is_disabled'] as const;

  constructor(
    scope: Construct,
    id: string,
    private readonly config: GrafanaServiceAccountConfig,
  ) {
    super(scope, id, GrafanaServiceAccount.tfResourceType, config);
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return defined({ name: this.config.name, role: this.config.role, is_disabled: this.config.isDisabled ?? false });
  }
}
