import { Preflight } from '../../constructs/preflight';
import { ReadinessGate } from '../../constructs/readiness-gate';
import { resources, synth } from './support';

describe('deploy-time checks', () => {
  it('Preflight checks the lab host ports (sorted) on the bind address', () => {
    const { tf } = synth((s) => new Preflight(s, 'p', { bindAddress: '127.0.0.1', hostPorts: [19090, 13000] }));
    const check = resources(tf, 'null_resource')[0] as { triggers: Record<string, string>; provisioner: Array<{ 'local-exec': { command: string } }> };
    expect(check.triggers).toEqual({ bind: '127.0.0.1', ports: '13000,19090' });
    expect(check.provisioner[0]['local-exec'].command).toMatch(/preflight\.ts --bind 127\.0\.0\.1 --ports 13000,19090$/);
  });

  it('ReadinessGate refuses a URL it cannot probe', () => {
    expect(() => synth((s) => new ReadinessGate(s, 'g', { url: 'tempo:3200', what: 'Tempo' }))).toThrow(/is not an http\(s\) URL/);
  });
});
