/**
 * The LLM behind the agents. In `host` mode Ollama runs on the Docker host
 * (GPU drivers stay native) and containers reach it as host.docker.internal;
 * in `container` mode the lab runs it, with GPUs when asked. Either way the
 * deploy checks that the model is present and prints the pull command when
 * it is not.
 */
import { Resource } from '@cdktf/provider-null/lib/resource';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { type LabModel, agentNetworkAddress } from '../model/lab';
import { hostToolCommand } from './host-tool';
import { LabContainer } from './lab-container';

export const HOST_GATEWAY = { host: 'host.docker.internal', ip: 'host-gateway' } as const;

export interface OllamaProps {
  readonly lab: LabModel;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export class Ollama extends Construct {
  /** URL of Ollama for containers on the lab network (with its scheme, as OpenSRE requires). */
  readonly networkUrl: string;
  /** Extra hosts containers need to reach it. */
  readonly extraHosts: ReadonlyArray<{ host: string; ip: string }>;
  readonly modelCheck: Resource;
  readonly container?: LabContainer;

  constructor(scope: Construct, id: string, props: OllamaProps) {
    super(scope, id);
    const o = props.lab.agents.ollama;
    let checkUrl: string;
    let pullHint: string;
    const dependsOn: ITerraformDependable[] = [...(props.dependsOn ?? [])];
    if (o.mode === 'host') {
      this.networkUrl = `http://${HOST_GATEWAY.host}:${o.port}`;
      this.extraHosts = [HOST_GATEWAY];
      checkUrl = `http://127.0.0.1:${o.port}`;
      pullHint = `ollama pull ${o.model}`;
    } else {
      const volume = new Volume(this, 'models', { name: `${props.lab.name}-ollama-models` });
      this.container = new LabContainer(this, 'ollama', {
        name: 'ollama',
        image: props.lab.images.ollama,
        network: props.lab.agentNetwork.name,
        ipv4Address: agentNetworkAddress(props.lab, 'ollama'),
        bindAddress: props.lab.bindAddress,
        component: 'ollama',
        volumes: [{ volume: volume.name, path: '/root/.ollama' }],
        publish: [{ container: o.port, host: o.hostPort }],
        gpus: o.gpu ? 'all' : undefined,
        healthcheck: ['CMD', 'ollama', 'list'],
        dependsOn: props.dependsOn,
      });
      dependsOn.push(this.container.container);
      this.networkUrl = `http://ollama:${o.port}`;
      this.extraHosts = [];
      checkUrl = `http://${props.lab.bindAddress}:${o.hostPort}`;
      pullHint = `docker exec ollama ollama pull ${o.model}`;
    }
    this.modelCheck = new Resource(this, 'model-check', {
      triggers: { url: checkUrl, model: o.model },
      provisioners: [{ type: 'local-exec', command: hostToolCommand('ollama-check', ['--url', checkUrl, '--model', o.model, '--pull-hint', pullHint]) }],
      dependsOn,
    });
  }
}
