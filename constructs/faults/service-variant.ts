/**
 * A fault that needs a different container configuration (environment, a
 * memory cap): the canonical container is stopped and a variant runs in its
 * place, with the same network alias, hostname, image and labels — the
 * scrape instance and service.name are the service's, so an agent cannot
 * tell it apart. Destroying removes the variant, then starts the canonical
 * container again.
 */
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { LabModel } from '../../model/lab';
import type { ServiceName } from '../../model/services';
import { CmsService } from '../cms-service';
import { DockerFault } from './docker-fault';

export interface ServiceVariantProps {
  readonly lab: LabModel;
  readonly service: ServiceName;
  /** Environment of the variant (the chaos hooks). */
  readonly env: Readonly<Record<string, string>>;
  /** Memory cap of the variant, MB. @default the model's limit for the service */
  readonly memoryLimitMb?: number;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/** Container name of a variant: neutral, so it says nothing about the fault. */
export function variantContainerName(service: ServiceName): string {
  return `${service}-b`;
}

export class ServiceVariant extends Construct {
  readonly stopCanonical: DockerFault;
  readonly variant: CmsService;

  constructor(scope: Construct, id: string, props: ServiceVariantProps) {
    super(scope, id);
    this.stopCanonical = new DockerFault(this, 'stop-canonical', {
      description: `stop canonical ${props.service}; a variant takes its place`,
      inject: [`docker stop ${props.service}`],
      revert: [`docker start ${props.service}`],
      waitHealthy: props.service,
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
  }
}
