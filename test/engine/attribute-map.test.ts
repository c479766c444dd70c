import { CONTAINER_ATTRIBUTES, NETWORK_ATTRIBUTES, NULL_RESOURCE_ATTRIBUTES, emptyContainerPlan, emptyNetworkPlan, goDurationNs, mapAttributes } from '../../engine/attribute-map';

describe('the attribute map (kreuzwerker/docker 3.6.2 onto the Engine API)', () => {
  it('maps a lab container the way the provider does', () => {
    const plan = mapAttributes(
      CONTAINER_ATTRIBUTES,
      {
        '//': { metadata: {} },
        depends_on: ['docker_network.n'],
        name: 'track-fusion',
        image: 'sha256:abc',
        hostname: 'track-fusion',
        env: ['SERVICE_NAME=track-fusion'],
        healthcheck: { test: ['CMD', 'true'], interval: '5s', timeout: '4s', start_period: '10s', retries: 12 },
        labels: [{ label: 'org.cms-lab.component', value: 'cms-service' }],
        log_opts: { 'max-size': '10m', 'max-file': '3' },
        memory: 512,
        cpus: 0.5,
        networks_advanced: [{ name: 'cms-lab', aliases: ['track-fusion'], ipv4_address: '172.30.80.14' }],
        ports: [{ internal: 9108, external: 19108, ip: '127.0.0.1' }],
        upload: [{ file: '/etc/x.yml', content: 'a: 1' }],
        volumes: [
          { volume_name: 'data', container_path: '/data' },
          { host_path: '/host/secret', container_path: '/run/secret', read_only: true },
        ],
        restart: 'unless-stopped',
        stop_timeout: 10,
        wait: true,
        wait_timeout: 180,
      },
      emptyContainerPlan(),
      'docker_container.x',
    );
    expect(plan.hostConfig.Memory).toBe(512 * 1024 * 1024);
    // cpus is a CFS period and quota in the provider, never NanoCpus
    expect(plan.hostConfig).toMatchObject({ CpuPeriod: 100000, CpuQuota: 50000, RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 } });
    expect(plan.hostConfig.NanoCpus).toBeUndefined();
    expect(plan.hostConfig.PortBindings).toEqual({ '9108/tcp': [{ HostIp: '127.0.0.1', HostPort: '19108' }] });
    expect(plan.config.ExposedPorts).toEqual({ '9108/tcp': {} });
    expect(plan.hostConfig.Binds).toEqual(['data:/data:rw', '/host/secret:/run/secret:ro']);
    expect(plan.config.Healthcheck).toEqual({ Test: ['CMD', 'true'], Interval: 5e9, Timeout: 4e9, StartPeriod: 10e9, StartInterval: 0, Retries: 12 });
    expect(plan.networks).toEqual([{ name: 'cms-lab', aliases: ['track-fusion'], ipv4Address: '172.30.80.14' }]);
    expect(plan.uploads).toEqual([{ file: '/etc/x.yml', content: 'a: 1', mode: 0o644 }]);
    expect(plan.hostConfig.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } });
    expect(plan).toMatchObject({ name: 'track-fusion', wait: true, waitTimeoutS: 180 });
  });

  it('refuses any attribute it has no mapping for, top-level or nested, naming where to add it', () => {
    expect(() => mapAttributes(CONTAINER_ATTRIBUTES, { name: 'x', privileged: true }, emptyContainerPlan(), 'docker_container.x')).toThrow(
      "docker_container.x: attribute 'privileged' has no mapping onto the Docker Engine in the applier (engine/attribute-map.ts)",
    );
    expect(() => mapAttributes(CONTAINER_ATTRIBUTES, { healthcheck: { test: ['CMD'], start_timeout: '1s' } }, emptyContainerPlan(), 'docker_container.x')).toThrow('healthcheck.start_timeout has no mapping');
    expect(() => mapAttributes(CONTAINER_ATTRIBUTES, { networks_advanced: [{ name: 'n', ipv6_address: '::1' }] }, emptyContainerPlan(), 'docker_container.x')).toThrow('networks_advanced.ipv6_address');
    expect(() => mapAttributes(NETWORK_ATTRIBUTES, { ipam_config: [{ subnet: '10.0.0.0/24', aux_address: {} }] }, emptyNetworkPlan(), 'docker_network.n')).toThrow('ipam_config.aux_address');
    expect(() => mapAttributes(NULL_RESOURCE_ATTRIBUTES, { provisioner: [{ 'remote-exec': {} }] }, { triggers: {}, provisioners: [] }, 'null_resource.r')).toThrow("provisioner 'remote-exec'");
    expect(() => mapAttributes(NULL_RESOURCE_ATTRIBUTES, { provisioner: [{ 'local-exec': { command: 'x', interpreter: ['bash'] } }] }, { triggers: {}, provisioners: [] }, 'null_resource.r')).toThrow('local-exec.interpreter');
  });

  it('parses Go durations as the provider does', () => {
    expect(goDurationNs('5s')).toBe(5e9);
    expect(goDurationNs('1m30s')).toBe(90e9);
    expect(goDurationNs('500ms')).toBe(5e8);
    expect(goDurationNs('0')).toBe(0);
    expect(() => goDurationNs('5 s')).toThrow("'5 s' is not a Go duration");
  });
});
