import { Testing } from 'cdktf';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildLabModel } from '../../model/lab';
import { SERVICE_NAMES } from '../../model/services';
import { ensureAdminPassword, ensureAgentDirs, hostPaths } from '../../lib/host-paths';
import { LabStack, labHostPorts } from '../../stacks/lab-stack';

type Resource = Record<string, unknown>;
type Synth = { terraform: { required_providers: Record<string, { source: string; version: string }> }; resource: Record<string, Record<string, Resource>>; provider: Record<string, unknown> };

const SCENARIO_NAMES = ['sensor-down', 'fusion-cpu-starvation', 'dds-qos-mismatch', 'message-flood', 'memory-leak', 'network-partition'];

describe('the lab stack', () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'cms-lab-home-'));
  const paths = hostPaths({ CMS_LAB_HOME: home });
  ensureAdminPassword(paths, {});
  ensureAgentDirs(paths, ['opensre']);
  const lab = buildLabModel();
  const app = Testing.app();
  const stack = new LabStack(app, 'lab', { lab, paths });
  const json = Testing.synth(stack);
  const tf = JSON.parse(json) as Synth;
  const containers = Object.values(tf.resource.docker_container);
  const byName = Object.fromEntries(containers.map((c) => [c.name as string, c]));
  const logicalName = (type: string, resource: Resource) => Object.entries(tf.resource[type]).find(([, r]) => r === resource)?.[0];

  it('pins every provider to an exact version', () => {
    expect(tf.terraform.required_providers).toEqual({
      docker: { source: 'kreuzwerker/docker', version: '3.6.2' },
      grafana: { source: 'grafana/grafana', version: '4.45.1' },
      null: { source: 'hashicorp/null', version: '3.2.4' },
    });
  });

  it('runs the eight CMS services and the observability and agent containers', () => {
    expect(Object.keys(byName).sort()).toEqual([...SERVICE_NAMES, 'alert-sink', 'grafana', 'loki', 'opensre', 'otel-collector', 'prometheus', 'tempo'].sort());
    for (const service of SERVICE_NAMES) {
      const c = byName[service] as { env: string[]; healthcheck: { test: string[] }; memory: number; wait: boolean };
      expect(c.env).toContain(`SERVICE_NAME=${service}`);
      expect(c.healthcheck.test.join(' ')).toContain('/healthz');
      expect(c.memory).toBe(512);
      expect(c.wait).toBe(true);
    }
  });

  it('binds every published port to 127.0.0.1 and publishes exactly the model host ports', () => {
    const ports = containers.flatMap((c) => (c.ports as Array<{ ip: string; external: number }> | undefined) ?? []);
    expect(ports.every((p) => p.ip === '127.0.0.1')).toBe(true);
    expect(ports.map((p) => p.external).sort()).toEqual(labHostPorts(lab).sort());
  });

  it('puts the agents on a network of their own that only Grafana of the lab also joins', () => {
    const networksOf = (name: string) => ((byName[name] as { networks_advanced: Array<{ name: string }> }).networks_advanced ?? []).map((n) => n.name);
    const onAgents = Object.keys(byName).filter((name) => networksOf(name).includes(lab.agentNetwork.name));
    expect(onAgents.sort()).toEqual(['grafana', 'opensre']);
    expect(networksOf('opensre')).toEqual([lab.agentNetwork.name]);
    expect(networksOf('grafana')).toEqual([lab.network.name, lab.agentNetwork.name]);
    expect(Object.values(tf.resource.docker_network).map((n) => n.name).sort()).toEqual([lab.network.name, lab.agentNetwork.name].sort());
  });

  it('labels containers neutrally: no name, hostname, label or variable names a scenario', () => {
    for (const c of containers) {
      const visible = JSON.stringify({ name: c.name, hostname: c.hostname, labels: c.labels, env: c.env });
      for (const scenario of SCENARIO_NAMES) expect({ container: c.name, scenario, leaks: visible.includes(scenario) }).toEqual({ container: c.name, scenario, leaks: false });
    }
  });

  it('manages every piece of Grafana content as a provider resource', () => {
    const count = (type: string) => Object.keys(tf.resource[type] ?? {}).length;
    expect({
      grafana_data_source: count('grafana_data_source'),
      grafana_folder: count('grafana_folder'),
      grafana_dashboard: count('grafana_dashboard'),
      grafana_rule_group: count('grafana_rule_group'),
      grafana_contact_point: count('grafana_contact_point'),
      grafana_notification_policy: count('grafana_notification_policy'),
      grafana_service_account: count('grafana_service_account'),
    }).toEqual({ grafana_data_source: 3, grafana_folder: 1, grafana_dashboard: 2, grafana_rule_group: 1, grafana_contact_point: 1, grafana_notification_policy: 1, grafana_service_account: 1 });
  });

  it('writes no secret into the configuration: only the paths of the files holding them', () => {
    const password = readFileSync(paths.adminPasswordFile, 'utf8');
    expect(password.length).toBeGreaterThan(30);
    expect(json).not.toContain(password);
    expect(json).not.toMatch(/GF_SECURITY_ADMIN_PASSWORD=|api_key|grafana_service_account_token/);
    expect(JSON.stringify(tf.provider.grafana)).toContain(`file(\\"${paths.adminPasswordFile}\\")`);
  });

  it('orders the deploy so each part starts after what it needs is ready', () => {
    const dependsOn = (name: string) => (byName[name].depends_on as string[]).join(' ');
    for (const service of SERVICE_NAMES) expect(dependsOn(service)).toMatch(/null_resource\.otel-collector_ready_gate/);
    expect(dependsOn('otel-collector')).toMatch(/null_resource\.tempo_ready_gate/);
    expect(dependsOn('opensre')).toMatch(/null_resource\.agent-access_token/);
    expect(dependsOn('opensre')).toMatch(/null_resource\.ollama_model-check/);
    for (const c of containers) expect((c.depends_on as string[]).join(' ')).toMatch(/null_resource\.preflight_check/);
    for (const ds of Object.values(tf.resource.grafana_data_source)) expect((ds.depends_on as string[]).join(' ')).toMatch(/null_resource\.grafana_ready_gate/);
  });

  it('keeps the same inventory (snapshot: what the lab is made of, not every attribute)', () => {
    const inventory = {
      containers: containers.map((c) => ({ name: c.name, image: String(c.image).replace(/\$\{docker_image\.[^}]+\}/, '<built image>'), ports: ((c.ports as Array<{ internal: number; external: number }>) ?? []).map((p) => `${p.external}->${p.internal}`) })).sort((a, b) => String(a.name).localeCompare(String(b.name))),
      images: Object.values(tf.resource.docker_image).map((i) => i.name).sort(),
      volumes: Object.values(tf.resource.docker_volume).map((v) => v.name).sort(),
      network: Object.values(tf.resource.docker_network).map((n) => n.name),
      checks: Object.values(tf.resource.null_resource).map((r) => logicalName('null_resource', r)).sort(),
    };
    expect(inventory).toMatchSnapshot();
  });
});
