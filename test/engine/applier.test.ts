import { applyOrder, dockerfileBases, interpolateSelf, removeNetwork } from '../../engine/applier';
import { type DockerApi, DockerApiError, tarOneFile } from '../../engine/docker-api';
import { repositoryOf } from '../../engine/images';

describe('the engine applier', () => {
  it('orders resources by depends_on and references, refusing a reference to an undeclared resource', () => {
    const order = applyOrder({
      resource: {
        docker_container: { c: { image: '${docker_image.i.image_id}', depends_on: ['docker_network.n'] } },
        docker_image: { i: {} },
        docker_network: { n: { depends_on: ['null_resource.p'] } },
        null_resource: { p: {} },
      },
    }).map((r) => r.address);
    expect(order.indexOf('null_resource.p')).toBeLessThan(order.indexOf('docker_network.n'));
    expect(order.indexOf('docker_network.n')).toBeLessThan(order.indexOf('docker_container.c'));
    expect(order.indexOf('docker_image.i')).toBeLessThan(order.indexOf('docker_container.c'));
    expect(() => applyOrder({ resource: { docker_container: { c: { depends_on: ['docker_network.gone'] } } } })).toThrow('docker_network.gone, which the stack does not declare');
  });

  it("fills a provisioner's self.triggers as Terraform does, and refuses any other expression", () => {
    expect(interpolateSelf('${self.triggers.inject}', { inject: 'docker stop x' }, 'null_resource.f')).toBe('docker stop x');
    expect(() => interpolateSelf('${self.triggers.missing}', {}, 'null_resource.f')).toThrow('self.triggers.missing is not set');
    expect(() => interpolateSelf('${path.module}/x', {}, 'null_resource.f')).toThrow("'${path.module}' has no evaluation in the applier");
  });

  it("finds a Dockerfile's base images and the ARG naming each, skipping its own stages", () => {
    const dockerfile = 'ARG NODE_IMAGE=node:20-slim\nFROM ${NODE_IMAGE} AS build\nRUN true\nFROM build AS test\nFROM ${NODE_IMAGE}\nFROM debian:bookworm\n';
    expect(dockerfileBases(dockerfile, {})).toEqual([{ image: 'node:20-slim', arg: 'NODE_IMAGE' }, { image: 'debian:bookworm', arg: undefined }]);
    expect(dockerfileBases(dockerfile, { NODE_IMAGE: 'other:1' })[0]).toEqual({ image: 'other:1', arg: 'NODE_IMAGE' });
  });

  it('writes a one-file ustar archive with the checksum tar expects', () => {
    const tar = tarOneFile('/etc/prometheus/prometheus.yml', 'global: {}\n', 0o644, new Date(0));
    expect(tar.length % 512).toBe(0);
    expect(tar.subarray(0, 29).toString()).toBe('etc/prometheus/prometheus.yml');
    expect(tar.subarray(257, 262).toString()).toBe('ustar');
    const header = Buffer.from(tar.subarray(0, 512));
    const stored = parseInt(header.subarray(148, 154).toString(), 8);
    header.fill(' ', 148, 156);
    expect(header.reduce((sum, b) => sum + b, 0)).toBe(stored);
    expect(tar.subarray(512, 523).toString()).toBe('global: {}\n');
  });

  it('reads an image reference’s repository', () => {
    expect(repositoryOf('prom/prometheus:v2.53.5')).toBe('prom/prometheus');
    expect(repositoryOf('node:20.20.2-bookworm-slim')).toBe('node');
    expect(repositoryOf('localhost:5000/x/y:1')).toBe('localhost:5000/x/y');
    expect(repositoryOf('grafana/grafana@sha256:abc')).toBe('grafana/grafana');
  });
});

describe('removeNetwork', () => {
  const activeEndpoints = () => new DockerApiError(403, 'DELETE', '/networks/cms-lab', 'error while removing network: network cms-lab id c64d has active endpoints');
  /** An engine whose DELETE answers with the given outcomes in turn, and whose inspect shows `containers`. */
  function engine(deletes: Array<Error | undefined>, containers: Record<string, { Name?: string }> | 'absent' = {}) {
    const calls: string[] = [];
    const api: DockerApi = {
      async call<T>(method: string, apiPath: string): Promise<T> {
        calls.push(`${method} ${apiPath}`);
        if (method === 'DELETE') {
          const outcome = deletes.shift();
          if (outcome) throw outcome;
          return undefined as T;
        }
        if (containers === 'absent') throw new DockerApiError(404, method, apiPath, 'network cms-lab not found');
        return { Containers: containers } as T;
      },
    };
    return { api, calls };
  }
  const quick = { attempts: 3, waitMs: 1 };

  it('takes an already removed network as removed, and retries while endpoints are still going away', async () => {
    await removeNetwork(engine([new DockerApiError(404, 'DELETE', '/networks/cms-lab', 'not found')]).api, 'cms-lab', quick);
    const { api, calls } = engine([activeEndpoints(), activeEndpoints(), undefined]);
    await removeNetwork(api, 'cms-lab', quick);
    expect(calls).toEqual(Array(3).fill('DELETE /networks/cms-lab'));
  });

  it('names the containers still attached, or says the count leaked and the daemon needs a restart', async () => {
    const attached = engine(Array(3).fill(activeEndpoints()), { abc123def4567890: { Name: 'stranger' } });
    await expect(removeNetwork(attached.api, 'cms-lab', quick)).rejects.toThrow('still has containers attached that this stack does not remove (stranger)');
    expect(attached.calls.at(-1)).toBe('GET /networks/cms-lab');
    await expect(removeNetwork(engine(Array(3).fill(activeEndpoints())).api, 'cms-lab', quick)).rejects.toThrow(/no container attached.*restarting the Docker daemon clears/);
    // gone by the time it is inspected: removed after all
    await removeNetwork(engine(Array(3).fill(activeEndpoints()), 'absent').api, 'cms-lab', quick);
  });

  it('passes any other engine error through at once', async () => {
    const { api, calls } = engine([new DockerApiError(500, 'DELETE', '/networks/cms-lab', 'boom')]);
    await expect(removeNetwork(api, 'cms-lab', quick)).rejects.toThrow('500 boom');
    expect(calls).toHaveLength(1);
  });
});
