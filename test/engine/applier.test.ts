import { applyOrder, dockerfileBases, interpolateSelf } from '../../engine/applier';
import { tarOneFile } from '../../engine/docker-api';
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
