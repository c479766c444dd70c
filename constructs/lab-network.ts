/**
 * One of the lab's Docker bridge networks: the lab network, which every lab
 * container joins under its service alias, or the agents' network, where
 * agent containers live alone with Grafana (the one lab service they reach).
 */
import { Network } from '@cdktf/provider-docker/lib/network';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { LabModel } from '../model/lab';

export interface LabNetworkProps {
  readonly lab: LabModel;
  /** Which of the lab's networks. @default 'lab' */
  readonly role?: 'lab' | 'agents';
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export class LabNetwork extends Construct {
  readonly network: Network;

  constructor(scope: Construct, id: string, props: LabNetworkProps) {
    super(scope, id);
    const role = props.role ?? 'lab';
    const settings = role === 'lab' ? props.lab.network : props.lab.agentNetwork;
    this.network = new Network(this, 'network', {
      name: settings.name,
      driver: 'bridge',
      ipamConfig: [{ subnet: settings.subnet }],
      labels: [{ label: 'org.cms-lab.component', value: role === 'lab' ? 'network' : 'agent-network' }],
      dependsOn: props.dependsOn,
    });
  }

  get name(): string {
    return this.network.name;
  }
}
