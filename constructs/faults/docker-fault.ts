/**
 * A fault the Docker provider cannot express in place (stopping a process,
 * a CPU quota on a running container, detaching it): a null_resource whose
 * create-time commands inject and whose destroy-time commands revert, then
 * wait until the container is healthy again. Its triggers carry the
 * commands, so `cdktf diff scenario-<name>` shows exactly what it does.
 */
import { Resource } from '@cdktf/provider-null/lib/resource';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { hostToolCommand } from '../host-tool';

export interface DockerFaultProps {
  /** What the fault does, in words (shown in the plan). */
  readonly description: string;
  /** Shell commands run at `cdktf deploy`. */
  readonly inject: readonly string[];
  /** Shell commands run at `cdktf destroy`. */
  readonly revert: readonly string[];
  /** Container to wait for after reverting. @default none */
  readonly waitHealthy?: string;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export class DockerFault extends Construct {
  readonly resource: Resource;

  constructor(scope: Construct, id: string, props: DockerFaultProps) {
    super(scope, id);
    if (props.inject.length === 0 || props.revert.length === 0) throw new Error(`fault '${props.description}' needs inject and revert commands`);
    const revert = [...props.revert, ...(props.waitHealthy ? [hostToolCommand('lab-status', ['wait-healthy', '--container', props.waitHealthy])] : [])].join(' && ');
    this.resource = new Resource(this, 'fault', {
      triggers: { description: props.description, inject: props.inject.join(' && '), revert },
      provisioners: [
        { type: 'local-exec', command: '${self.triggers.inject}' },
        { type: 'local-exec', when: 'destroy', command: '${self.triggers.revert}' },
      ],
      dependsOn: props.dependsOn,
    });
  }
}
