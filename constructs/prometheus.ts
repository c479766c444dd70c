/** Prometheus: scrapes every CMS service under job cms-services, receives the Collector's remote write, keeps the model's retention. */
import { Volume } from '@cdktf/provider-docker/lib/volume';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { type LabModel, containerAddress, dataVolumeName } from '../model/lab';
import { prometheusConfig, toYaml } from '../model/render/prometheus';
import { LabContainer } from './lab-container';

export const PROMETHEUS_CONFIG_PATH = '/etc/prometheus/prometheus.yml';

export interface PrometheusProps {
  readonly lab: LabModel;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export class Prometheus extends Construct {
  readonly container: LabContainer;
  readonly volume: Volume;

  constructor(scope: Construct, id: string, props: PrometheusProps) {
    super(scope, id);
    const p = props.lab.observability.prometheus;
    this.volume = new Volume(this, 'data', { name: dataVolumeName(props.lab, 'prometheus') });
    this.container = new LabContainer(this, 'prometheus', {
      name: 'prometheus',
      image: props.lab.images.prometheus,
      network: props.lab.network.name,
      ipv4Address: containerAddress(props.lab, 'prometheus'),
      bindAddress: props.lab.bindAddress,
      component: 'prometheus',
      command: [
        `--config.file=${PROMETHEUS_CONFIG_PATH}`,
        '--storage.tsdb.path=/prometheus',
        `--storage.tsdb.retention.time=${p.retention}`,
        '--web.enable-remote-write-receiver',
        '--web.enable-lifecycle',
        `--web.listen-address=0.0.0.0:${p.port}`,
      ],
      uploads: [{ path: PROMETHEUS_CONFIG_PATH, content: toYaml(prometheusConfig(props.lab)) }],
      volumes: [{ volume: this.volume.name, path: '/prometheus' }],
      publish: [{ container: p.port, host: p.hostPort }],
      healthcheck: ['CMD', 'wget', '-q', '--spider', `http://127.0.0.1:${p.port}/-/ready`],
      dependsOn: props.dependsOn,
    });
  }
}
