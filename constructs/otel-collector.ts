/** The OpenTelemetry Collector: the only OTLP ingress of the lab (traces → Tempo, logs → Loki, metrics → Prometheus). */
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { type LabModel, containerAddress } from '../model/lab';
import { collectorConfig } from '../model/render/collector';
import { toYaml } from '../model/render/prometheus';
import { LabContainer } from './lab-container';
import { ReadinessGate } from './readiness-gate';

export const COLLECTOR_CONFIG_PATH = '/etc/otelcol-contrib/config.yaml';

export interface OtelCollectorProps {
  readonly lab: LabModel;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export class OtelCollector extends Construct {
  readonly container: LabContainer;
  /** Ready once its health_check extension answers. */
  readonly ready: ReadinessGate;

  constructor(scope: Construct, id: string, props: OtelCollectorProps) {
    super(scope, id);
    const c = props.lab.observability.collector;
    this.container = new LabContainer(this, 'collector', {
      name: 'otel-collector',
      image: props.lab.images.collector,
      network: props.lab.network.name,
      ipv4Address: containerAddress(props.lab, 'otel-collector'),
      bindAddress: props.lab.bindAddress,
      component: 'otel-collector',
      command: [`--config=${COLLECTOR_CONFIG_PATH}`],
      uploads: [{ path: COLLECTOR_CONFIG_PATH, content: toYaml(collectorConfig(props.lab)) }],
      publish: [
        { container: c.otlpGrpcPort, host: c.hostPorts.otlpGrpc },
        { container: c.otlpHttpPort, host: c.hostPorts.otlpHttp },
        { container: c.healthPort, host: c.hostPorts.health },
      ],
      dependsOn: props.dependsOn,
    });
    this.ready = new ReadinessGate(this, 'ready', {
      what: 'the OpenTelemetry Collector',
      url: `http://${props.lab.bindAddress}:${c.hostPorts.health}/`,
      dependsOn: [this.container.container],
    });
  }
}
