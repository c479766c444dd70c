/** The CMS folder with the overview and runbooks dashboards (a panel change is an in-place update). */
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { overviewDashboard, runbooksDashboard } from '../grafana/dashboards';
import type { LabModel } from '../model/lab';
import { GrafanaDashboard, GrafanaFolder } from './grafana-provider';

export interface GrafanaDashboardsProps {
  readonly lab: LabModel;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export class GrafanaDashboards extends Construct {
  readonly folder: GrafanaFolder;
  readonly overview: GrafanaDashboard;
  readonly runbooks: GrafanaDashboard;

  constructor(scope: Construct, id: string, props: GrafanaDashboardsProps) {
    super(scope, id);
    this.folder = new GrafanaFolder(this, 'folder', { title: props.lab.grafana.folder.title, uid: props.lab.grafana.folder.uid, dependsOn: props.dependsOn });
    this.overview = new GrafanaDashboard(this, 'overview', { dashboard: overviewDashboard(props.lab), folder: this.folder.uid, message: 'rendered from the lab model' });
    this.runbooks = new GrafanaDashboard(this, 'runbooks', { dashboard: runbooksDashboard(props.lab), folder: this.folder.uid, message: 'rendered from the lab model' });
  }
}
