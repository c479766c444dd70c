/**
 * One CMS service container: the shared image with SERVICE_NAME set, OTLP
 * to the Collector, its metrics port on the lab network (and on the host
 * where the model publishes it), and a /healthz health check. Scenario
 * variants reuse this construct with the same name, alias and labels, so an
 * agent cannot tell a variant from the canonical container.
 */
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { type LabModel, cmsServiceSettings, containerAddress } from '../model/lab';
import { type ServiceName, serviceSpec } from '../model/services';
import { LabContainer } from './lab-container';

export interface CmsServiceProps {
  readonly lab: LabModel;
  readonly service: ServiceName;
  /** Image id of the CMS service image. */
  readonly image: string;
  /** Extra environment (the chaos hooks of scenario variants). @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** Memory limit in MB. @default the model's limit for the service */
  readonly memoryLimitMb?: number;
  /** OTLP/HTTP endpoint. @default the lab's Collector */
  readonly otlpEndpoint?: string;
  /**
   * Docker container name. A scenario variant takes a different one while
   * keeping the service's alias and hostname, so nothing an agent reads
   * (scrape instance, service.name) tells it apart from the canonical one.
   * @default the service name (the canonical container, with its fixed address)
   */
  readonly containerName?: string;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The container health check: an HTTP GET of /healthz from bash's /dev/tcp.
 * Docker runs it inside the container's cgroup every 5 s; a `node -e fetch(…)`
 * probe cost 170 ms of CPU each time (measured), more than the whole quota of
 * a CPU-starved service over the interval, and a quarter of a core across the
 * lab. This one costs about 2 ms.
 */
export function healthcheckCommand(port: number): string[] {
  return [
    'CMD',
    'bash',
    '-c',
    `exec 3<>/dev/tcp/127.0.0.1/${port} && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && read -r -t 3 status <&3 && [[ $status == HTTP/1.?' 200 '* ]]`,
  ];
}

export class CmsService extends Construct {
  readonly container: LabContainer;

  constructor(scope: Construct, id: string, props: CmsServiceProps) {
    super(scope, id);
    const spec = serviceSpec(props.service);
    const settings = cmsServiceSettings(props.lab, props.service);
    const o = props.lab.observability;
    const canonical = (props.containerName ?? props.service) === props.service;
    this.container = new LabContainer(this, 'service', {
      name: props.containerName ?? props.service,
      alias: props.service,
      ipv4Address: canonical ? containerAddress(props.lab, props.service) : undefined,
      image: props.image,
      network: props.lab.network.name,
      bindAddress: props.lab.bindAddress,
      component: 'cms-service',
      env: {
        SERVICE_NAME: props.service,
        OTEL_EXPORTER_OTLP_ENDPOINT: props.otlpEndpoint ?? `http://otel-collector:${o.collector.otlpHttpPort}`,
        OTEL_METRIC_EXPORT_INTERVAL: String(o.scrapeIntervalS * 3 * 1000),
        ...(props.env ?? {}),
      },
      publish: settings.hostPort ? [{ container: spec.metricsPort, host: settings.hostPort }] : [],
      healthcheck: healthcheckCommand(spec.metricsPort),
      memoryLimitMb: props.memoryLimitMb ?? settings.memoryLimitMb,
      dependsOn: props.dependsOn,
    });
  }
}
