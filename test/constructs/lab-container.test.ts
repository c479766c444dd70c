import { Container } from '@cdktf/provider-docker/lib/container';
import { LabContainer } from '../../constructs/lab-container';
import { resources, synth } from './support';

describe('LabContainer', () => {
  const base = { name: 'demo', image: 'img:1', network: 'cms-lab', bindAddress: '127.0.0.1', component: 'demo' };

  it('binds published ports to the loopback address, joins the network under its name, and waits for health', () => {
    const { json } = synth((s) => new LabContainer(s, 'c', { ...base, publish: [{ container: 80, host: 19999 }], healthcheck: ['CMD', 'true'] }));
    expect(json).toHaveResourceWithProperties(Container, {
      name: 'demo',
      hostname: 'demo',
      ports: [{ internal: 80, external: 19999, ip: '127.0.0.1' }],
      networks_advanced: [{ name: 'cms-lab', aliases: ['demo'] }],
      restart: 'unless-stopped',
      wait: true,
      healthcheck: { test: ['CMD', 'true'], interval: '5s', timeout: '4s', retries: 12, start_period: '10s' },
      labels: [
        { label: 'org.cms-lab.component', value: 'demo' },
        { label: 'org.cms-lab.managed-by', value: 'cdktf' },
      ],
    });
  });

  it('does not wait for health it cannot check, and leaves empty lists out of the configuration', () => {
    const { tf } = synth((s) => new LabContainer(s, 'c', base));
    const container = resources(tf, 'docker_container')[0];
    expect(container.wait).toBe(false);
    for (const key of ['ports', 'upload', 'volumes', 'env']) expect(container).not.toHaveProperty(key);
  });

  it('refuses a container name that is not a plain service name', () => {
    expect(() => synth((s) => new LabContainer(s, 'c', { ...base, name: 'Demo_1' }))).toThrow(/must be lowercase words joined by '-'/);
  });
});
