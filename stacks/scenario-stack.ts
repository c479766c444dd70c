/**
 * A `scenario-<name>` stack: only its fault. `cdktf deploy scenario-<name>`
 * checks that the lab is up and injects; `cdktf destroy scenario-<name>`
 * reverts; `cdktf diff scenario-<name>` is the reviewable description of the
 * fault. It refers to the lab's containers, network and image by their
 * model names, never by cross-stack references, so it deploys on its own
 * once the lab is up.
 */
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { DockerFault } from '../constructs/faults/docker-fault';
import { LabUpCheck } from '../constructs/faults/lab-up-check';
import { ServiceVariant } from '../constructs/faults/service-variant';
import type { LabModel } from '../model/lab';
import { SERVICE_NAMES } from '../model/services';
import { dockerFaultCommands } from '../scenarios/docker-commands';
import { faultsOf } from '../scenarios/faults';
import type { FaultSpec, ScenarioSpec } from '../scenarios/types';
import { pinnedProviders } from './providers';

export interface ScenarioStackProps {
  readonly lab: LabModel;
  readonly scenario: ScenarioSpec;
}

export function scenarioStackName(scenario: ScenarioSpec): string {
  return `scenario-${scenario.name}`;
}

export class ScenarioStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: ScenarioStackProps) {
    super(scope, id);
    const { lab, scenario } = props;
    pinnedProviders(this, id);
    const labUp = new LabUpCheck(this, 'lab-up', { lab, containers: [...SERVICE_NAMES, 'prometheus', 'grafana', 'otel-collector'] });
    const faults = faultsOf(scenario);
    // the primary fault keeps the id `fault`; further ones are named by their service
    faults.forEach((fault, i) => this.addFault(i === 0 ? 'fault' : `fault-${fault.service}`, fault, lab, labUp));
    new TerraformOutput(this, 'injected_fault', { value: faults.map((f) => `${f.kind} on ${f.service}`).join('; '), description: 'The injected fault(s) (the stack holds nothing else)' });
  }

  private addFault(id: string, fault: FaultSpec, lab: LabModel, labUp: LabUpCheck): void {
    const commands = dockerFaultCommands(fault, lab);
    if (fault.kind === 'restart-with' || fault.kind === 'cpu-quota') {
      new ServiceVariant(this, id, {
        lab,
        service: fault.service,
        env: fault.kind === 'restart-with' ? fault.env : undefined,
        memoryLimitMb: fault.kind === 'restart-with' ? fault.memoryLimitMb : undefined,
        onVariant: commands.onVariant,
        dependsOn: [labUp.resource],
      });
    } else {
      const description = fault.kind === 'stop-service' ? `stop ${fault.service}` : fault.kind === 'freeze' ? `pause ${fault.service}` : `detach ${fault.service} from ${lab.network.name}`;
      new DockerFault(this, id, {
        description,
        inject: commands.inject,
        revert: commands.revert,
        waitBack: { service: fault.service, prometheusUrl: `http://${lab.bindAddress}:${lab.observability.prometheus.hostPort}` },
        dependsOn: [labUp.resource],
      });
    }
  }
}
