import type { Construct } from 'constructs';
import { GrafanaResource, type GrafanaResourceOptions, defined } from './base';

export interface GrafanaFolderConfig extends GrafanaResourceOptions {
  /** `title`. */
  readonly title: string;
  /** `uid` (changing it replaces the folder). */
  readonly uid: string;
}

/** `grafana_folder`. */
export class GrafanaFolder extends GrafanaResource {
  static readonly tfResourceType = 'grafana_folder';
  static readonly coveredAttributes = ['title', 'uid'] as const;

  constructor(
    scope: Construct,
    id: string,
    private readonly config: GrafanaFolderConfig,
  ) {
    super(scope, id, GrafanaFolder.tfResourceType, config);
  }

  get uid(): string {
    return this.getStringAttribute('uid');
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return defined({ title: this.config.title, uid: this.config.uid });
  }
}
