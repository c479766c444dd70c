/**
 * The Docker commands that inject and revert each kind of fault, for the
 * kinds the Docker provider cannot express in place (a CPU quota on a
 * running container, detaching it, stopping its process). The scenario
 * stacks run them from null_resource provisioners and the expected RCA
 * documents show them, from this one definition.
 */
import { type LabModel, containerAddress } from '../model/lab';
import type { FaultSpec } from './types';

export interface DockerFaultCommands {
  readonly inject: readonly string[];
  readonly revert: readonly string[];
}

export function dockerFaultCommands(fault: FaultSpec, lab: LabModel): DockerFaultCommands {
  const c = fault.service;
  switch (fault.kind) {
    case 'stop-service':
      return { inject: [`docker stop ${c}`], revert: [`docker start ${c}`] };
    case 'cpu-quota':
      // --cpus 0 removes the quota
      return { inject: [`docker update --cpus ${fault.cpus} ${c}`], revert: [`docker update --cpus 0 ${c}`] };
    case 'network-detach':
      return {
        inject: [`docker network disconnect ${lab.network.name} ${c}`],
        revert: [`docker network connect --ip ${containerAddress(lab, c)} --alias ${c} ${lab.network.name} ${c}`],
      };
    case 'restart-with':
      // the variant is a Terraform resource of the scenario stack; only the canonical container is stopped and started here
      return { inject: [`docker stop ${c}`], revert: [`docker start ${c}`] };
  }
}
