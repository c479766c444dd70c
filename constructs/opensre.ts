/**
 * OpenSRE, run inside the lab: an image built from a pinned upstream commit
 * (agents/opensre/Dockerfile) and a long-running container the runner
 * executes `opensre investigate` in. It reads Grafana only, with the
 * agent's read-only token; its LLM settings come from the model.
 */
import { Image } from '@cdktf/provider-docker/lib/image';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import path from 'node:path';
import { type LabModel, agentNetworkAddress } from '../model/lab';
import { ROOT_FROM_STACK_DIR } from './host-tool';
import { LabContainer } from './lab-container';

export const OPENSRE_WORK_DIR = '/work';

/** Environment variable each cloud LLM provider reads its key from (the key itself comes from a mounted file). */
const API_KEY_VARIABLE: Record<'anthropic' | 'openai', string> = { anthropic: 'ANTHROPIC_API_KEY', openai: 'OPENAI_API_KEY' };

export interface OpenSreProps {
  readonly lab: LabModel;
  /** Grafana on the lab network. */
  readonly grafanaUrl: string;
  /** Ollama as containers reach it (with scheme). */
  readonly ollamaUrl: string;
  /** Extra /etc/hosts entries (host.docker.internal in host mode). @default none */
  readonly extraHosts?: ReadonlyArray<{ host: string; ip: string }>;
  /** Host file holding the agent's Grafana token. */
  readonly tokenFile: string;
  /** Host folder shared with the runner (alerts in, results out). */
  readonly workDir: string;
  /** Host file with a cloud LLM API key, mounted only when a cloud provider is configured. @default none */
  readonly llmApiKeyFile?: string;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export class OpenSre extends Construct {
  readonly image: Image;
  readonly container: LabContainer;

  constructor(scope: Construct, id: string, props: OpenSreProps) {
    super(scope, id);
    const agent = props.lab.agents.opensre;
    if (agent.llm.provider !== 'ollama' && !props.llmApiKeyFile) {
      throw new Error(`agents.opensre.llm.provider is ${agent.llm.provider}: an API key file is required (it is mounted, never put in the environment or state)`);
    }
    const tag = `${props.lab.name}/opensre:${agent.ref}`;
    this.image = new Image(this, 'image', {
      name: tag,
      keepLocally: true,
      buildAttribute: {
        context: path.posix.join(ROOT_FROM_STACK_DIR, 'agents', 'opensre'),
        dockerfile: 'Dockerfile',
        tag: [tag],
        buildArgs: { PYTHON_IMAGE: props.lab.images.python, OPENSRE_REPOSITORY: agent.repository, OPENSRE_COMMIT: agent.commit },
        label: { 'org.cms-lab.component': 'agent-image' },
      },
      triggers: { commit: agent.commit, python: props.lab.images.python },
    });
    const llmEnv: Record<string, string> =
      agent.llm.provider === 'ollama'
        ? { LLM_PROVIDER: 'ollama', OLLAMA_HOST: props.ollamaUrl, OLLAMA_MODEL: agent.llm.model }
        : {
            LLM_PROVIDER: agent.llm.provider,
            LLM_API_KEY_VARIABLE: API_KEY_VARIABLE[agent.llm.provider],
            [`${agent.llm.provider.toUpperCase()}_REASONING_MODEL`]: agent.llm.model,
            [`${agent.llm.provider.toUpperCase()}_TOOLCALL_MODEL`]: agent.llm.model,
          };
    this.container = new LabContainer(this, 'agent', {
      name: 'opensre',
      image: this.image.imageId,
      // on the agents' network alone: Grafana (read-only token) is all of the lab it reaches
      network: props.lab.agentNetwork.name,
      ipv4Address: agentNetworkAddress(props.lab, 'opensre'),
      bindAddress: props.lab.bindAddress,
      component: 'sre-agent',
      env: { GRAFANA_URL: props.grafanaUrl, ...llmEnv },
      extraHosts: props.extraHosts,
      bindMounts: [
        { host: props.tokenFile, path: '/run/secrets/grafana-token', readOnly: true },
        { host: props.workDir, path: OPENSRE_WORK_DIR, readOnly: false },
        ...(props.llmApiKeyFile ? [{ host: props.llmApiKeyFile, path: '/run/secrets/llm-api-key', readOnly: true }] : []),
      ],
      healthcheck: ['CMD', 'test', '-s', '/home/opensre/.tracer/integrations.json'],
      memoryLimitMb: 2048,
      dependsOn: props.dependsOn,
    });
  }
}
