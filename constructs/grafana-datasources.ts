/** The lab's Grafana datasources (Prometheus, Loki, Tempo) as provider resources. */
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { datasources } from '../grafana/datasources';
import type { LabModel } from '../model/lab';
import { GrafanaDataSource } from './grafana-provider';

export interface GrafanaDatasourcesProps {
  readonly lab: LabModel;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export class GrafanaDatasources extends Construct {
  readonly byKey: Readonly<Record<'prometheus' | 'loki' | 'tempo', GrafanaDataSource>>;

  constructor(scope: Construct, id: string, props: GrafanaDatasourcesProps) {
    super(scope, id);
    const made = Object.fromEntries(
      datasources(props.lab).map((d) => [
        d.key,
        new GrafanaDataSource(this, d.key, { name: d.name, type: d.type, uid: d.uid, url: d.url, isDefault: d.isDefault, jsonData: d.jsonData, dependsOn: props.dependsOn }),
      ]),
    );
    this.byKey = made as GrafanaDatasources['byKey'];
  }

  get all(): GrafanaDataSource[] {
    return Object.values(this.byKey);
  }
}
