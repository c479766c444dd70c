import { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import { GRAFANA_PROVIDER_SOURCE, GRAFANA_PROVIDER_VERSION, defined } from './base';

export interface GrafanaProviderConfig {
  /** Root URL of the Grafana server (`url`). */
  readonly url: string;
  /**
   * `auth`: a token or `user:password`. Sensitive: pass an expression that
   * reads it at plan time (for example `Fn.file`), never the secret itself.
   */
  readonly auth: string;
  /** `retries` on transient errors. @default the provider's default */
  readonly retries?: number;
  /** Provider alias. @default none */
  readonly alias?: string;
}

/** The `grafana/grafana` provider, pinned to an exact version. */
export class GrafanaProvider extends TerraformProvider {
  static readonly tfResourceType = 'grafana';
  static readonly coveredAttributes = ['url', 'auth', 'retries'] as const;

  constructor(
    scope: Construct,
    id: string,
    private readonly config: GrafanaProviderConfig,
  ) {
    super(scope, id, {
      terraformResourceType: 'grafana',
      terraformGeneratorMetadata: { providerName: 'grafana', providerVersion: GRAFANA_PROVIDER_VERSION, providerVersionConstraint: GRAFANA_PROVIDER_VERSION },
      terraformProviderSource: GRAFANA_PROVIDER_SOURCE,
    });
    this.alias = config.alias;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return defined({ url: this.config.url, auth: this.config.auth, retries: this.config.retries, alias: this.alias });
  }
}
