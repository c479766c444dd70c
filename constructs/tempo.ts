/** Tempo: OTLP traces from the Collector, local blocks on a named volume, the model's retention. */
import { Volume } from '@cdktf/provider-docker/lib/volume';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { type LabModel, containerAddress, dataVolumeName } from '../model/lab';
import { toYaml } from '../model/render/prometheus';
import { tempoConfig } from '../model/render/tempo';
import { LabContainer } from './lab-container';
import { ReadinessGate } from './readiness-gate';

export const TEMPO_CONFIG_PATH = '/etc/tempo/lab.yaml';

export interface TempoProps {
  readonly lab: LabModel;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export class Tempo extends Construct {
  readonly container: LabContainer;
  readonly volume: Volume;
  /** Tempo 2.x images carry no shell: readiness is probed from the host. */
  readonly ready: ReadinessGate;

  constructor(scope: Construct, id: string, props: TempoProps) {
    super(scope, id);
    const t = props.lab.observability.tempo;
    this.volume = new Volume(this, 'data', { name: dataVolumeName(props.lab, 'tempo') });
    this.container = new LabContainer(this, 'tempo', {
      name: 'tempo',
      image: props.lab.images.tempo,
      network: props.lab.network.name,
      ipv4Address: containerAddress(props.lab, 'tempo'),
      bindAddress: props.lab.bindAddress,
      component: 'tempo',
      command: [`-config.file=${TEMPO_CONFIG_PATH}`],
      uploads: [{ path: TEMPO_CONFIG_PATH, content: toYaml(tempoConfig(props.lab)) }],
      volumes: [{ volume: this.volume.name, path: '/var/tempo' }],
      publish: [{ container: t.port, host: t.hostPort }],
      dependsOn: props.dependsOn,
    });
    this.ready = new ReadinessGate(this, 'ready', {
      what: 'Tempo',
      url: `http://${props.lab.bindAddress}:${t.hostPort}/ready`,
      dependsOn: [this.container.container],
    });
  }
}
