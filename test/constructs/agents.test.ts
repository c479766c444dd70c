/** AgentAccess, Ollama and OpenSre. */
import { AgentAccess } from '../../constructs/agent-access';
import { Ollama } from '../../constructs/ollama';
import { OpenSre } from '../../constructs/opensre';
import { buildLabModel } from '../../model/lab';
import { lab, resources, synth } from './support';

describe('agent constructs', () => {
  it('AgentAccess manages the service account as a resource and mints its token out of the state, revoking it on destroy', () => {
    const { json, tf } = synth((s) => new AgentAccess(s, 'access', { lab, grafanaHostUrl: 'http://127.0.0.1:13000', adminPasswordFile: '/s/pw', tokenFile: '/s/token' }));
    expect(resources(tf, 'grafana_service_account')).toEqual([expect.objectContaining({ name: 'sre-agent', role: 'Viewer' })]);
    expect(json).not.toContain('grafana_service_account_token');
    const token = resources(tf, 'null_resource')[0] as { triggers: Record<string, string>; provisioner: Array<{ 'local-exec': { command: string; when?: string } }> };
    expect(token.triggers).toMatchObject({ admin_password_file: '/s/pw', token_file: '/s/token', datasource_uids: 'cms-prometheus,cms-loki,cms-tempo' });
    expect(token.provisioner.map((p) => p['local-exec'].when ?? 'create')).toEqual(['create', 'destroy']);
    expect(token.provisioner[0]['local-exec'].command).toContain('agent-token.ts create');
    expect(token.provisioner[1]['local-exec'].command).toContain('agent-token.ts revoke');
  });

  it('Ollama on the host: containers reach host.docker.internal, and the deploy checks the model with the pull command at hand', () => {
    const o = synth((s) => new Ollama(s, 'ollama', { lab }));
    expect(resources(o.tf, 'docker_container')).toEqual([]);
    expect(resources(o.tf, 'null_resource')[0]).toMatchObject({ triggers: { url: 'http://127.0.0.1:11434', model: 'qwen2.5:7b' } });
    expect(o.json).toContain("--pull-hint 'ollama pull qwen2.5:7b'");
  });

  it('Ollama in a container, with GPUs when asked', () => {
    const gpuLab = buildLabModel({ agents: { ollama: { mode: 'container', gpu: true } } });
    const { tf } = synth((s) => new Ollama(s, 'ollama', { lab: gpuLab }));
    expect(resources(tf, 'docker_container')[0]).toMatchObject({ name: 'ollama', gpus: 'all', image: 'ollama/ollama:0.20.2', ports: [{ internal: 11434, external: 13434, ip: '127.0.0.1' }] });
    expect(JSON.stringify(resources(tf, 'null_resource')[0])).toContain('docker exec ollama ollama pull qwen2.5:7b');
  });

  it('OpenSre builds from the pinned commit, mounts the token read-only, and sets the LLM from the model', () => {
    const { tf } = synth((s) => new OpenSre(s, 'opensre', { lab, grafanaUrl: 'http://grafana:3000', ollamaUrl: 'http://host.docker.internal:11434', extraHosts: [{ host: 'host.docker.internal', ip: 'host-gateway' }], tokenFile: '/s/token', workDir: '/w' }));
    const image = resources(tf, 'docker_image')[0] as { build: { build_args: Record<string, string> } };
    expect(image.build.build_args).toEqual({ PYTHON_IMAGE: 'python:3.12.12-slim-bookworm', OPENSRE_REPOSITORY: 'https://github.com/Tracer-Cloud/opensre.git', OPENSRE_COMMIT: '544025cf3e7198ca256cf09319128f9f1fb2386a' });
    const container = resources(tf, 'docker_container')[0] as { env: string[]; volumes: unknown[]; host: unknown[] };
    expect(container.env).toEqual(['GRAFANA_URL=http://grafana:3000', 'LLM_PROVIDER=ollama', 'OLLAMA_HOST=http://host.docker.internal:11434', 'OLLAMA_MODEL=qwen2.5:7b']);
    expect(container.volumes).toEqual(expect.arrayContaining([{ host_path: '/s/token', container_path: '/run/secrets/grafana-token', read_only: true }]));
    expect(container.host).toEqual([{ host: 'host.docker.internal', ip: 'host-gateway' }]);
  });

  it('OpenSre with a cloud LLM needs an API key file and never puts the key in the environment', () => {
    const cloudLab = buildLabModel({ agents: { opensre: { llm: { provider: 'anthropic', model: 'claude-sonnet-4-6' } } } });
    expect(() => synth((s) => new OpenSre(s, 'o', { lab: cloudLab, grafanaUrl: 'g', ollamaUrl: 'o', tokenFile: '/t', workDir: '/w' }))).toThrow(/an API key file is required/);
    const { tf } = synth((s) => new OpenSre(s, 'o', { lab: cloudLab, grafanaUrl: 'g', ollamaUrl: 'o', tokenFile: '/t', workDir: '/w', llmApiKeyFile: '/s/key' }));
    const env = (resources(tf, 'docker_container')[0].env as string[]).join('\n');
    expect(env).toContain('LLM_API_KEY_VARIABLE=ANTHROPIC_API_KEY');
    expect(env).not.toMatch(/ANTHROPIC_API_KEY=/);
  });
});
