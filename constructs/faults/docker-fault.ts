/**
 * A fault the Docker provider cannot express in place (stopping a process,
 * detaching a container, a limit on a running variant): a null_resource
 * whose create-time commands inject and whose destroy-time commands revert,
 * then wait until the service is healthy and back in the data flow (its
 * output counted by its consumers again), so a destroy that exits 0 means
 * the lab works again. Its triggers carry the commands, so
 * `cdktf diff scenario-<name>` shows exactly what it does.
 */
import { Resource } from '@cdktf/provider-null/lib/resource';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { dataFlowQuery } from '../../model/data-flow';
import type { ServiceName } from '../../model/services';
import { hostToolCommand } from '../host-tool';

export interface DockerFaultProps {
  /** What the fault does, in words (shown in the plan). */
  readonly description: string;
  /** Shell commands run at `cdktf deploy`. */
  readonly inject: readonly string[];
  /** Shell commands run at `cdktf destroy`. @default none, and then `revertedBy` must say what undoes the fault */
  readonly revert?: readonly string[];
  /** What undoes the fault when it has no revert commands of its own (e.g. the variant it limits is removed). @default none */
  readonly revertedBy?: string;
  /** After reverting, wait until this service's container is healthy and its output reaches its consumers again. @default none */
  readonly waitBack?: { readonly service: ServiceName; readonly prometheusUrl: string };
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export class DockerFault extends Construct {
  readonly resource: Resource;

  constructor(scope: Construct, id: string, props: DockerFaultProps) {
    super(scope, id);
    const revertCommands = props.revert ?? [];
    if (props.inject.length === 0) throw new Error(`fault '${props.description}' needs inject commands`);
    if (revertCommands.length === 0 && !props.revertedBy) throw new Error(`fault '${props.description}' needs revert commands, or revertedBy to say what undoes it`);
    if (revertCommands.length > 0 && props.revertedBy) throw new Error(`fault '${props.description}': revert commands and revertedBy exclude each other`);
    const wait = props.waitBack
      ? [
          hostToolCommand('lab-status', ['wait-healthy', '--container', props.waitBack.service]),
          hostToolCommand('lab-status', ['wait-flowing', '--container', props.waitBack.service, '--prometheus', props.waitBack.prometheusUrl, '--query', dataFlowQuery(props.waitBack.service)]),
        ]
      : [];
    const revert = revertCommands.length ? [...revertCommands, ...wait].join(' && ') : undefined;
    this.resource = new Resource(this, 'fault', {
      triggers: { description: props.description, inject: props.inject.join(' && '), ...(revert ? { revert } : { reverted_by: props.revertedBy! }) },
      provisioners: [
        { type: 'local-exec', command: '${self.triggers.inject}' },
        ...(revert ? [{ type: 'local-exec' as const, when: 'destroy' as const, command: '${self.triggers.revert}' }] : []),
      ],
      dependsOn: props.dependsOn,
    });
  }
}
