import type { Construct } from 'constructs';
import { GrafanaResource, type GrafanaResourceOptions, defined, escapeInterpolation } from './base';

export interface GrafanaDataSourceConfig extends GrafanaResourceOptions {
  /** `name` (required, unique). */
  readonly name: string;
  /** `type`, the plugin id: prometheus, loki, tempo… */
  readonly type: string;
  /** `uid` (changing it replaces the data source). */
  readonly uid: string;
  /** `url` of the backend as Grafana's server sees it. */
  readonly url: string;
  /** `access_mode`. @default 'proxy' */
  readonly accessMode?: 'proxy' | 'direct';
  /** `is_default`. @default false */
  readonly isDefault?: boolean;
  /** `json_data_encoded`, given as an object and JSON-encoded. @default none */
  readonly jsonData?: Record<string, unknown>;
}

/** `grafana_data_source`. */
export class GrafanaDataSource extends GrafanaResource {
  static readonly tfResourceType = 'grafana_data_source';
  static readonly coveredAttributes = ['name', 'type', 'uid', 'url', 'access_mode', 'is_default', 'json_data_encoded'] as const;

  constructor(
    scope: Construct,
    id: string,
    private readonly config: GrafanaDataSourceConfig,
  ) {
    super(scope, id, GrafanaDataSource.tfResourceType, config);
  }

  get uid(): string {
    return this.getStringAttribute('uid');
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return defined({
      name: this.config.name,
      type: this.config.type,
      uid: this.config.uid,
      url: this.config.url,
      access_mode: this.config.accessMode ?? 'proxy',
      is_default: this.config.isDefault ?? false,
      json_data_encoded: this.config.jsonData ? escapeInterpolation(JSON.stringify(this.config.jsonData)) : undefined,
    });
  }
}
