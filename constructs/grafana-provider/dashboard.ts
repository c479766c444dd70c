import type { Construct } from 'constructs';
import { GrafanaResource, type GrafanaResourceOptions, defined, escapeInterpolation } from './base';

export interface GrafanaDashboardConfig extends GrafanaResourceOptions {
  /** `config_json`: the dashboard model; its `uid` field is the dashboard uid (changing it replaces the dashboard). */
  readonly dashboard: { readonly uid?: string } & Record<string, unknown>;
  /** `folder`: uid of the folder. @default the General folder */
  readonly folder?: string;
  /** `overwrite` a dashboard of the same uid made outside Terraform. @default true */
  readonly overwrite?: boolean;
  /** `message` in the version history. @default none */
  readonly message?: string;
}

/** `grafana_dashboard`: a change to a panel is an in-place update of this resource. */
export class GrafanaDashboard extends GrafanaResource {
  static readonly tfResourceType = 'grafana_dashboard';
  static readonly coveredAttributes = ['config_json', 'folder', 'overwrite', 'message'] as const;

  constructor(
    scope: Construct,
    id: string,
    private readonly config: GrafanaDashboardConfig,
  ) {
    super(scope, id, GrafanaDashboard.tfResourceType, config);
    if (!config.dashboard.uid) throw new Error(`dashboard ${id}: the model needs a uid (it is the dashboard's identity)`);
  }

  get url(): string {
    return this.getStringAttribute('url');
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return defined({
      config_json: escapeInterpolation(JSON.stringify(this.config.dashboard)),
      folder: this.config.folder,
      overwrite: this.config.overwrite ?? true,
      message: this.config.message,
    });
  }
}
