/**
 * Waits, from the Docker host, until an HTTP endpoint answers 2xx: the
 * readiness check of images that carry no shell to run a Docker health
 * check (the Collector is FROM scratch; Tempo 2.x is distroless).
 */
import { Resource } from '@cdktf/provider-null/lib/resource';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { hostToolCommand } from './host-tool';

export interface ReadinessGateProps {
  /** URL probed from the host (a loopback-published port). */
  readonly url: string;
  /** Give up after this many seconds. @default 180 */
  readonly timeoutS?: number;
  /** What becomes ready, for the error message. */
  readonly what: string;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export class ReadinessGate extends Construct {
  readonly resource: Resource;

  constructor(scope: Construct, id: string, props: ReadinessGateProps) {
    super(scope, id);
    const timeout = props.timeoutS ?? 180;
    if (!/^https?:\/\//.test(props.url)) throw new Error(`readiness gate for ${props.what}: '${props.url}' is not an http(s) URL`);
    this.resource = new Resource(this, 'gate', {
      triggers: { url: props.url },
      provisioners: [{ type: 'local-exec', command: hostToolCommand('wait-ready', ['--url', props.url, '--timeout', String(timeout), '--what', props.what]) }],
      dependsOn: props.dependsOn,
    });
  }
}
