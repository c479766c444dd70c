/** The Collector, Prometheus, Loki and Tempo constructs (each in its own source file; one test file keeps their shared checks together). */
import { Container } from '@cdktf/provider-docker/lib/container';
import { parse } from 'yaml';
import { Loki } from '../../constructs/loki';
import { OtelCollector } from '../../constructs/otel-collector';
import { Prometheus } from '../../constructs/prometheus';
import { Tempo } from '../../constructs/tempo';
import { collectorConfig } from '../../model/render/collector';
import { lokiConfig } from '../../model/render/loki';
import { prometheusConfig } from '../../model/render/prometheus';
import { tempoConfig } from '../../model/render/tempo';
import { lab, resources, synth } from './support';

function uploaded(container: Record<string, unknown>): unknown {
  return parse((container.upload as Array<{ content: string }>)[0].content);
}

describe('observability constructs', () => {
  it('OtelCollector uploads the rendered config, publishes OTLP on loopback, and gates readiness on its health_check', () => {
    const { json, tf } = synth((s) => new OtelCollector(s, 'collector', { lab }));
    expect(json).toHaveResourceWithProperties(Container, {
      name: 'otel-collector',
      image: 'otel/opentelemetry-collector-contrib:0.159.0',
      command: ['--config=/etc/otelcol-contrib/config.yaml'],
      ports: [
        { internal: 4317, external: 13317, ip: '127.0.0.1' },
        { internal: 4318, external: 13318, ip: '127.0.0.1' },
        { internal: 13133, external: 13133, ip: '127.0.0.1' },
      ],
    });
    expect(uploaded(resources(tf, 'docker_container')[0])).toEqual(collectorConfig(lab));
    expect(resources(tf, 'null_resource')[0]).toMatchObject({ triggers: { url: 'http://127.0.0.1:13133/' } });
  });

  it('Prometheus keeps 24 h, accepts remote write, scrapes the rendered config and reports ready', () => {
    const { json, tf } = synth((s) => new Prometheus(s, 'prometheus', { lab }));
    expect(json).toHaveResourceWithProperties(Container, { name: 'prometheus', image: 'prom/prometheus:v2.53.5' });
    expect(resources(tf, 'docker_volume')).toEqual([expect.objectContaining({ name: 'cms-lab-prometheus-data' })]);
    const container = resources(tf, 'docker_container')[0];
    expect(container.volumes).toEqual([{ container_path: '/prometheus', volume_name: expect.stringMatching(/^\$\{docker_volume\.[^.]+\.name\}$/) }]);
    expect(container.command).toEqual(expect.arrayContaining(['--storage.tsdb.retention.time=24h', '--web.enable-remote-write-receiver']));
    expect(container.healthcheck).toMatchObject({ test: ['CMD', 'wget', '-q', '--spider', 'http://127.0.0.1:9090/-/ready'] });
    expect(uploaded(container)).toEqual(prometheusConfig(lab));
  });

  it('Loki uses its own health probe and the rendered config', () => {
    const { json, tf } = synth((s) => new Loki(s, 'loki', { lab }));
    expect(json).toHaveResourceWithProperties(Container, { name: 'loki', image: 'grafana/loki:3.7.6', command: ['-config.file=/etc/loki/lab-config.yaml'] });
    const container = resources(tf, 'docker_container')[0];
    expect(container.healthcheck).toMatchObject({ test: ['CMD', '/usr/bin/loki', '-health', '-health.url=http://127.0.0.1:3100/ready'] });
    expect(uploaded(container)).toEqual(lokiConfig(lab));
  });

  it('Tempo, which has no shell, is gated from the host on /ready', () => {
    const { tf } = synth((s) => new Tempo(s, 'tempo', { lab }));
    const container = resources(tf, 'docker_container')[0];
    expect(container).not.toHaveProperty('healthcheck');
    expect(uploaded(container)).toEqual(tempoConfig(lab));
    expect(resources(tf, 'null_resource')[0]).toMatchObject({ triggers: { url: 'http://127.0.0.1:13200/ready' } });
    expect(JSON.stringify(resources(tf, 'null_resource')[0])).toContain('wait-ready.ts');
  });
});
