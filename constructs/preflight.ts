/**
 * Fails a deploy early, with what to do, when the host cannot run the lab:
 * no reachable Docker engine, or host ports already taken by something
 * other than this lab. Everything else in the stack depends on it.
 */
import { Resource } from '@cdktf/provider-null/lib/resource';
import { Construct } from 'constructs';
import { hostToolCommand } from './host-tool';

export interface PreflightProps {
  /** Address the lab publishes on. */
  readonly bindAddress: string;
  /** Host ports the lab will publish. */
  readonly hostPorts: readonly number[];
}

export class Preflight extends Construct {
  readonly resource: Resource;

  constructor(scope: Construct, id: string, props: PreflightProps) {
    super(scope, id);
    const ports = [...props.hostPorts].sort((a, b) => a - b).join(',');
    this.resource = new Resource(this, 'check', {
      triggers: { bind: props.bindAddress, ports },
      provisioners: [{ type: 'local-exec', command: hostToolCommand('preflight', ['--bind', props.bindAddress, '--ports', ports]) }],
    });
  }
}
