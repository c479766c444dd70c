import { isApplierCommandOutput, laneCommand } from '../../engine/lanes';

describe('engine lanes', () => {
  const lane = { name: 'l1', netns: 'cms-lab-l1', dockerHost: 'unix:///tmp/l1.sock', home: '/tmp/l1-home', synthDir: '/work/cdktf.out.lane-l1' };

  it("runs a command in the lane's namespace with its engine, home and synthesis folder, and no other engine state", () => {
    const saved = { ...process.env };
    process.env.CMS_LAB_ENGINE_STATE = '/elsewhere';
    process.env.CMS_LAB_SYNTH_DIR = '/work/cdktf.out.other';
    try {
      const command = laneCommand(lane, 'node', ['dist/runner/cli.js', 'list']);
      expect(command.file).toBe('nsenter');
      expect(command.args).toEqual(['--net=/run/netns/cms-lab-l1', '--', 'node', 'dist/runner/cli.js', 'list']);
      expect(command.env).toMatchObject({ DOCKER_HOST: 'unix:///tmp/l1.sock', CMS_LAB_HOME: '/tmp/l1-home', CMS_LAB_SYNTH_DIR: '/work/cdktf.out.lane-l1' });
      expect(command.env.CMS_LAB_ENGINE_STATE).toBeUndefined();
      // the primary engine: this namespace, the checkout's own cdktf.out
      const primary = laneCommand({ name: 'primary', dockerHost: 'unix:///p.sock', home: '/p' }, 'node', ['x']);
      expect(primary).toMatchObject({ file: 'node', args: ['x'] });
      expect(primary.env.CMS_LAB_SYNTH_DIR).toBeUndefined();
    } finally {
      process.env = saved;
    }
  });

  it("tells the applier's command output from progress, as the runner and a lane print it", () => {
    expect(isApplierCommandOutput('    | esm-sensor')).toBe(true);
    expect(isApplierCommandOutput('[test-lane-1]     | the lab is up')).toBe(true);
    expect(isApplierCommandOutput('[primary] [lab 21:51:18] two-sensor-faults #2:     | radar-sensor')).toBe(true);
    expect(isApplierCommandOutput('[primary] [lab 21:51:32] console-restart-red-herring #1: noise: no noise')).toBe(false);
    expect(isApplierCommandOutput('[bench-lane-1]   + docker_container.eo-sensor: container eo-sensor')).toBe(false);
    expect(isApplierCommandOutput('  | not the applier')).toBe(false);
  });
});
