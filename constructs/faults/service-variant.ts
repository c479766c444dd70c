/**
 * A fault that needs a different container (environment, a memory cap, a
 * CPU limit): the canonical container is stopped and a variant runs in its
 * place, with the same network alias, hostname, image and labels — the
 * scrape instance and service.name are the service's, so an agent cannot
 * tell it apart. Limits the Docker provider can only set by replacement are
 * put on the running variant once it is healthy. Destroying removes the
 * variant, then starts the canonical container again — untouched, exactly
 * as the lab stack declares it — and waits until it is back in the data flow.
 */
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { LabModel } from '../../model/lab';
import type { ServiceName } from '../../model/services';
import { variantContainerName } from '../../scenarios/docker-commands';
import { CmsService } from '../cms-service';
import { DockerFault } from './docker-fault';

export { variantContainerName } from '../../scenarios/docker-commands';

export interface ServiceVariantProps {
  readonly lab: LabModel;
  readonly service: ServiceName;
  /** Environment of the variant (the chaos hooks). @default none beyond the service's own */
  readonly env?: Readonly<Record<string, string>>;
  /** Memory cap of the variant, MB. @default the model's limit for the service */
  readonly memoryLimitMb?: number;
  /** Commands run on the variant once it is healthy (a CPU limit on the running process). @default none */
  readonly onVariant?: readonly string[];
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export class ServiceVariant extends Construct {
  readonly stopCanonical: DockerFault;
  readonly variant: CmsService;
  readonly limitVariant?: DockerFault;

  constructor(scope: Construct, id: string, props: ServiceVariantProps) {
    super(scope, id);
    const o = props.lab.observability;
    this.stopCanonical = new DockerFault(this, 'stop-canonical', {
      description: `stop canonical ${props.service}; a variant takes its place`,
      inject: [`docker stop ${props.service}`],
      revert: [`docker start ${props.service}`],
      waitBack: { service: props.service, prometheusUrl: `http://${props.lab.bindAddress}:${o.prometheus.hostPort}` },
      dependsOn: props.dependsOn,
    });
    this.variant = new CmsService(this, 'variant', {
      lab: props.lab,
      service: props.service,
      containerName: variantContainerName(props.service),
      // the image the lab stack built, by its tag: scenario stacks hold no cross-stack reference
      image: props.lab.cms.image,
      env: props.env,
      memoryLimitMb: props.memoryLimitMb,
      dependsOn: [this.stopCanonical.resource],
    });
    if (props.onVariant?.length) {
      this.limitVariant = new DockerFault(this, 'limit-variant', {
        description: `limit the variant of ${props.service}`,
        inject: props.onVariant,
        revertedBy: `removing ${variantContainerName(props.service)}, which destroy does next`,
        dependsOn: [this.variant.container.container],
      });
    }
  }
}
