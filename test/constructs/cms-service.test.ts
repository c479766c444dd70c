import { Container } from '@cdktf/provider-docker/lib/container';
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CmsService, healthcheckCommand } from '../../constructs/cms-service';
import { lab, resources, synth } from './support';

describe('CmsService', () => {
  it('runs the shared image as one service, exporting OTLP to the Collector, with a /healthz check and the model memory limit', () => {
    const { json } = synth((s) => new CmsService(s, 'fusion', { lab, service: 'track-fusion', image: 'sha256:abc' }));
    expect(json).toHaveResourceWithProperties(Container, {
      name: 'track-fusion',
      image: 'sha256:abc',
      env: ['SERVICE_NAME=track-fusion', 'OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector:4318', 'OTEL_METRIC_EXPORT_INTERVAL=15000'],
      memory: 512,
      networks_advanced: [{ name: 'cms-lab', aliases: ['track-fusion'], ipv4_address: '172.30.80.14' }],
    });
    expect(json).toContain('/dev/tcp/127.0.0.1/9104');
  });

  // the probe runs as Docker runs it (CMD form: argv straight to exec), against a real HTTP server
  const probeExitCode = (port: number) => {
    const [, command, ...args] = healthcheckCommand(port);
    return new Promise<number | null>((resolve) => execFile(command, args, { timeout: 10_000 }, (error) => resolve(error ? (error.code as number | null) : 0)));
  };

  it.each([
    [200, 0],
    [503, 1],
  ])('its health check passes only on a 200 from /healthz (status %i → exit %i)', async (status, exitCode) => {
    const paths: string[] = [];
    const server = http.createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(status).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      expect({ exitCode: await probeExitCode((server.address() as AddressInfo).port), paths }).toEqual({ exitCode, paths: ['/healthz'] });
    } finally {
      server.close();
    }
  });

  it('its health check fails when nothing listens', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await probeExitCode(port)).not.toBe(0);
  });

  it('publishes only the tactical picture on the host', () => {
    const { tf } = synth((s) => {
      new CmsService(s, 'display', { lab, service: 'tactical-display', image: 'i' });
      new CmsService(s, 'radar', { lab, service: 'radar-sensor', image: 'i' });
    });
    const byName = Object.fromEntries(resources(tf, 'docker_container').map((c) => [c.name, c]));
    expect(byName['tactical-display'].ports).toEqual([{ internal: 9108, external: 19108, ip: '127.0.0.1' }]);
    expect(byName['radar-sensor']).not.toHaveProperty('ports');
  });

  it('lets a variant add chaos env and a memory cap while keeping name, alias and labels', () => {
    const { tf } = synth((s) => new CmsService(s, 'v', { lab, service: 'track-fusion', image: 'i', env: { CMS_LEAK_RATE_BYTES: '32768' }, memoryLimitMb: 384 }));
    const c = resources(tf, 'docker_container')[0];
    expect(c).toMatchObject({ name: 'track-fusion', memory: 384, labels: [{ label: 'org.cms-lab.component', value: 'cms-service' }, { label: 'org.cms-lab.managed-by', value: 'cdktf' }] });
    expect(c.env).toContain('CMS_LEAK_RATE_BYTES=32768');
  });

  it('runs a variant under another container name with the same alias and hostname, and no fixed address', () => {
    const { tf } = synth((s) => new CmsService(s, 'v', { lab, service: 'esm-sensor', image: 'cms-lab/cms-service:0.1.0', containerName: 'esm-sensor-b', env: { CMS_FORCE_QOS: 'EXCLUSIVE_OWNERSHIP' } }));
    const c = resources(tf, 'docker_container')[0];
    expect(c).toMatchObject({ name: 'esm-sensor-b', hostname: 'esm-sensor', networks_advanced: [{ name: 'cms-lab', aliases: ['esm-sensor'] }] });
    expect((c.networks_advanced as Array<Record<string, unknown>>)[0]).not.toHaveProperty('ipv4_address');
    expect(c.env).toContain('CMS_FORCE_QOS=EXCLUSIVE_OWNERSHIP');
  });
});
