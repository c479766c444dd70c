/**
 * Refuses to inject a fault into a lab that is not up. Scenario stacks refer
 * to the lab by the names in the model (no cross-stack references), so this
 * check is what makes `cdktf deploy scenario-<name>` say clearly that the
 * lab must be deployed first.
 */
import { Resource } from '@cdktf/provider-null/lib/resource';
import { Construct } from 'constructs';
import type { LabModel } from '../../model/lab';
import { hostToolCommand } from '../host-tool';

export interface LabUpCheckProps {
  readonly lab: LabModel;
  /** Containers that must be running and healthy. */
  readonly containers: readonly string[];
}

export class LabUpCheck extends Construct {
  readonly resource: Resource;

  constructor(scope: Construct, id: string, props: LabUpCheckProps) {
    super(scope, id);
    const containers = [...props.containers].join(',');
    this.resource = new Resource(this, 'check', {
      triggers: { network: props.lab.network.name, containers },
      provisioners: [{ type: 'local-exec', command: hostToolCommand('lab-status', ['check-up', '--network', props.lab.network.name, '--containers', containers]) }],
    });
  }
}
