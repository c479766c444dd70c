/**
 * The Docker commands that inject and revert each kind of fault. The
 * scenario stacks run them from null_resource provisioners and the expected
 * RCA documents and README show them, from this one definition.
 *
 * Every revert must leave the lab exactly as the `lab` stack declares it.
 * Two Docker mechanisms cannot, so they changed (both proven on a real
 * engine, see test/engine/scenarios.system.test.ts):
 * - `docker update --cpus 0` (or `--cpu-quota 0`) does not lift a CPU quota
 *   (the engine takes a zero as "leave unchanged"), so the quota is put on a variant of the
 *   service, which destroy removes, instead of on the canonical container.
 * - a container reconnected after `docker network disconnect` answers its
 *   health check, but its DDS sockets stay bound to the interface that went
 *   away and none of its samples reach fusion again; the revert reconnects
 *   it and restarts it.
 */
import { type LabModel, containerAddress } from '../model/lab';
import type { ServiceName } from '../model/services';
import { cfsQuotaOf } from './faults';
import type { FaultSpec } from './types';

/** Container name of a variant: neutral, so it says nothing about the fault. */
export function variantContainerName(service: ServiceName): string {
  return `${service}-b`;
}

export interface DockerFaultCommands {
  /** Run at `cdktf deploy`, before any variant is created. */
  readonly inject: readonly string[];
  /** Variant faults: run on the variant once it is healthy. */
  readonly onVariant: readonly string[];
  /** Run at `cdktf destroy`, after any variant is removed. */
  readonly revert: readonly string[];
  /** Whether the canonical container is replaced by a variant. */
  readonly variant: boolean;
}

export function dockerFaultCommands(fault: FaultSpec, lab: LabModel): DockerFaultCommands {
  const c = fault.service;
  switch (fault.kind) {
    case 'stop-service':
      return { inject: [`docker stop ${c}`], onVariant: [], revert: [`docker start ${c}`], variant: false };
    case 'cpu-quota': {
      // --cpus cannot set the period; --cpu-period with --cpu-quota is the same CFS limit with its period explicit
      const { periodUs, quotaUs } = cfsQuotaOf(fault);
      return { inject: [`docker stop ${c}`], onVariant: [`docker update --cpu-period ${periodUs} --cpu-quota ${quotaUs} ${variantContainerName(c)}`], revert: [`docker start ${c}`], variant: true };
    }
    case 'network-detach':
      return {
        inject: [`docker network disconnect ${lab.network.name} ${c}`],
        onVariant: [],
        revert: [`docker network connect --ip ${containerAddress(lab, c)} --alias ${c} ${lab.network.name} ${c}`, `docker restart ${c}`],
        variant: false,
      };
    case 'freeze':
      return { inject: [`docker pause ${c}`], onVariant: [], revert: [`docker unpause ${c}`], variant: false };
    case 'restart-with':
      // the variant is a Terraform resource of the scenario stack; only the canonical container is stopped and started here
      return { inject: [`docker stop ${c}`], onVariant: [], revert: [`docker start ${c}`], variant: true };
  }
}
