import { Testing } from 'cdktf';
import { buildLabModel } from '../../model/lab';
import { SCENARIOS, SCENARIO_NAMES, scenario } from '../../scenarios';
import { faultsOf } from '../../scenarios/faults';
import { ScenarioStack, scenarioStackName } from '../../stacks/scenario-stack';

type Synth = { terraform: { required_providers: Record<string, { version: string }> }; resource: Record<string, Record<string, Record<string, unknown>>> };
const lab = buildLabModel();

function synth(name: string): Synth {
  const app = Testing.app();
  return JSON.parse(Testing.synth(new ScenarioStack(app, scenarioStackName(scenario(name)), { lab, scenario: scenario(name) }))) as Synth;
}

describe('scenario stacks', () => {
  it.each(SCENARIO_NAMES)('scenario-%s holds only its fault, after checking that the lab is up', (name) => {
    const tf = synth(name);
    expect(tf.terraform.required_providers.docker.version).toBe('3.6.2');
    const checks = Object.values(tf.resource.null_resource);
    const labUp = checks.find((r) => (r.triggers as Record<string, string>).containers);
    expect(JSON.stringify(labUp)).toContain('lab-status.ts check-up --network cms-lab');
    const variants = faultsOf(scenario(name)).some((f) => f.kind === 'restart-with' || f.kind === 'cpu-quota');
    expect(Object.keys(tf.resource).sort()).toEqual(variants ? ['docker_container', 'null_resource'] : ['null_resource']);
  });

  it('put every fault of a several-fault scenario in its one stack: the stopped radar and the ESM variant, each reverted by destroy', () => {
    const tf = synth('two-sensor-faults') as Synth & { output: Record<string, { value: string }> };
    const faults = Object.values(tf.resource.null_resource).map((r) => r.triggers as Record<string, string>);
    expect(faults.find((t) => t.inject === 'docker stop radar-sensor')?.revert).toMatch(/^docker start radar-sensor && /);
    expect(faults.find((t) => t.inject === 'docker stop esm-sensor')?.revert).toMatch(/^docker start esm-sensor && /);
    const variants = Object.values(tf.resource.docker_container) as Array<Record<string, unknown>>;
    expect(variants.map((v) => v.name)).toEqual(['esm-sensor-b']);
    expect(JSON.stringify(variants[0].env)).toContain('CMS_FORCE_QOS=EXCLUSIVE_OWNERSHIP');
    expect(tf.output.injected_fault.value).toBe('stop-service on radar-sensor; restart-with on esm-sensor');
  });

  it('inject with create-time and revert with destroy-time commands, waiting for health and the data flow after reverting', () => {
    const tf = synth('network-partition');
    const fault = Object.values(tf.resource.null_resource).find((r) => (r.triggers as Record<string, string>).inject) as { triggers: Record<string, string>; provisioner: Array<{ 'local-exec': { command: string; when?: string } }> };
    expect(fault.triggers.inject).toBe('docker network disconnect cms-lab esm-sensor');
    // reconnected, then restarted: its DDS sockets are bound to the interface that went away
    expect(fault.triggers.revert).toMatch(
      /^docker network connect --ip 172\.30\.80\.12 --alias esm-sensor cms-lab esm-sensor && docker restart esm-sensor && .*lab-status\.ts wait-healthy --container esm-sensor && .*lab-status\.ts wait-flowing --container esm-sensor --prometheus http:\/\/127\.0\.0\.1:19090 --query 'sum\(increase\(cms_fusion_ingested_total\{sensor_id="ESM-2"\}\[__WINDOW__\]\)\)'$/,
    );
    expect(fault.provisioner).toEqual([{ 'local-exec': { command: '${self.triggers.inject}' } }, { 'local-exec': { command: '${self.triggers.revert}', when: 'destroy' } }]);
  });

  it('limit the CPU of a variant, never of the canonical container (the engine cannot lift a quota back to none)', () => {
    const tf = synth('fusion-cpu-starvation');
    const variant = Object.values(tf.resource.docker_container)[0] as Record<string, unknown>;
    expect(variant).toMatchObject({ name: 'track-fusion-b', hostname: 'track-fusion', networks_advanced: [{ name: 'cms-lab', aliases: ['track-fusion'] }] });
    expect(variant.cpus).toBeUndefined();
    const faults = Object.values(tf.resource.null_resource).map((r) => r.triggers as Record<string, string>);
    expect(faults.find((t) => t.inject === 'docker update --cpu-period 1000000 --cpu-quota 20000 track-fusion-b')).toMatchObject({ reverted_by: 'removing track-fusion-b, which destroy does next' });
    expect(faults.find((t) => t.inject === 'docker stop track-fusion')?.revert).toMatch(/^docker start track-fusion && .*wait-healthy --container track-fusion && .*wait-flowing --container track-fusion .*cms_threat_evaluated_total/);
    expect(JSON.stringify(tf)).not.toMatch(/docker update [^"]*track-fusion(?!-b)/);
  });

  it('replace a service by an indistinguishable variant: same alias, hostname, image and labels, a neutral name', () => {
    const tf = synth('memory-leak');
    const variant = Object.values(tf.resource.docker_container)[0] as Record<string, unknown>;
    expect(variant).toMatchObject({
      name: 'track-fusion-b',
      hostname: 'track-fusion',
      image: 'cms-lab/cms-service:0.1.0',
      memory: 512,
      networks_advanced: [{ name: 'cms-lab', aliases: ['track-fusion'] }],
      labels: [
        { label: 'org.cms-lab.component', value: 'cms-service' },
        { label: 'org.cms-lab.managed-by', value: 'cdktf' },
      ],
    });
    expect(variant.env).toContain('CMS_LEAK_RATE_BYTES=32768');
    expect(String(variant.depends_on)).toMatch(/null_resource\.fault_stop-canonical/);
  });

  it('name no scenario in any container name, hostname, alias or label', () => {
    for (const s of SCENARIOS) {
      for (const container of Object.values(synth(s.name).resource.docker_container ?? {})) {
        const visible = JSON.stringify({ name: container.name, hostname: container.hostname, net: container.networks_advanced, labels: container.labels });
        for (const name of SCENARIO_NAMES) expect(visible).not.toContain(name);
      }
    }
  });
});
