/** Loki: OTLP log ingestion with service_name from service.name, on a named volume, with the model's retention. */
import { Volume } from '@cdktf/provider-docker/lib/volume';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { type LabModel, containerAddress, dataVolumeName } from '../model/lab';
import { lokiConfig } from '../model/render/loki';
import { toYaml } from '../model/render/prometheus';
import { LabContainer } from './lab-container';

export const LOKI_CONFIG_PATH = '/etc/loki/lab-config.yaml';

export interface LokiProps {
  readonly lab: LabModel;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export class Loki extends Construct {
  readonly container: LabContainer;
  readonly volume: Volume;

  constructor(scope: Construct, id: string, props: LokiProps) {
    super(scope, id);
    const l = props.lab.observability.loki;
    this.volume = new Volume(this, 'data', { name: dataVolumeName(props.lab, 'loki') });
    this.container = new LabContainer(this, 'loki', {
      name: 'loki',
      image: props.lab.images.loki,
      network: props.lab.network.name,
      ipv4Address: containerAddress(props.lab, 'loki'),
      bindAddress: props.lab.bindAddress,
      component: 'loki',
      command: [`-config.file=${LOKI_CONFIG_PATH}`],
      uploads: [{ path: LOKI_CONFIG_PATH, content: toYaml(lokiConfig(props.lab)) }],
      volumes: [{ volume: this.volume.name, path: '/loki' }],
      publish: [{ container: l.port, host: l.hostPort }],
      // the image is distroless; Loki 3.7+ can probe its own /ready
      healthcheck: ['CMD', '/usr/bin/loki', '-health', `-health.url=http://127.0.0.1:${l.port}/ready`],
      dependsOn: props.dependsOn,
    });
  }
}
