/** The lab's Docker bridge network; every container joins it under its service alias. */
import { Network } from '@cdktf/provider-docker/lib/network';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { LabModel } from '../model/lab';

export interface LabNetworkProps {
  readonly lab: LabModel;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export class LabNetwork extends Construct {
  readonly network: Network;

  constructor(scope: Construct, id: string, props: LabNetworkProps) {
    super(scope, id);
    this.network = new Network(this, 'network', {
      name: props.lab.network.name,
      driver: 'bridge',
      ipamConfig: [{ subnet: props.lab.network.subnet }],
      labels: [{ label: 'org.cms-lab.component', value: 'network' }],
      dependsOn: props.dependsOn,
    });
  }

  get name(): string {
    return this.network.name;
  }
}
