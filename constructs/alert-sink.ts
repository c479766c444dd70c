/**
 * The alert sink: Grafana's webhook contact point posts every notification
 * here, and the runner reads them back from the host, so an agent is handed
 * the notification Grafana really sent.
 */
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { type LabModel, containerAddress } from '../model/lab';
import { healthcheckCommand } from './cms-service';
import { LabContainer } from './lab-container';

export interface AlertSinkProps {
  readonly lab: LabModel;
  /** Image id of the CMS service image (it carries the sink). */
  readonly image: string;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export class AlertSink extends Construct {
  readonly container: LabContainer;
  /** URL Grafana posts to, on the lab network. */
  readonly webhookUrl: string;

  constructor(scope: Construct, id: string, props: AlertSinkProps) {
    super(scope, id);
    const s = props.lab.observability.alertSink;
    this.webhookUrl = `http://alert-sink:${s.port}/grafana`;
    this.container = new LabContainer(this, 'sink', {
      name: 'alert-sink',
      image: props.image,
      network: props.lab.network.name,
      ipv4Address: containerAddress(props.lab, 'alert-sink'),
      bindAddress: props.lab.bindAddress,
      component: 'alert-sink',
      entrypoint: ['node', 'dist/services/alert-sink/main.js'],
      env: { ALERT_SINK_PORT: String(s.port) },
      publish: [{ container: s.port, host: s.hostPort }],
      healthcheck: healthcheckCommand(s.port),
      memoryLimitMb: 128,
      dependsOn: props.dependsOn,
    });
  }
}
