/** The runner CLI's answers to bad input, a lab that is not up and a busy lab: each a clear message and its exit code. */
import { SCENARIOS } from '../../scenarios';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BridgeNetwork } from '../../harness/netns';
import { main } from '../../runner/cli';
import { acquireLabLock } from '../../runner/lock';
import { NATIVE_LAB_STATE_DIR } from '../../harness/lab-scan';

async function cli(...argv: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await main(argv, { err: (s) => void (err += s) });
  return { code, err };
}

describe('lab CLI', () => {
  it.each([
    [['run', 'no-such-scenario'], /unknown scenario 'no-such-scenario'; valid scenarios: sensor-down, .*, control, all/],
    [['run', 'all', '--agent', 'gpt-7'], /unknown agent 'gpt-7'; valid agents: baseline, trivial, opensre, holmesgpt, command:<command line>/],
    [['run', 'all', '--repeat', '0'], /--repeat must be a whole number of at least 1, not '0'/],
    [['run', 'all', '--backend', 'k8s'], /unknown backend 'k8s'/],
    [['run', 'all', '--agent', 'opensre', '--backend', 'native'], /opensre agent reads Grafana only/],
    [['run', 'all', '--backend', 'native', '--keep-observability'], /--keep-observability needs the Docker lab/],
    [['run'], /run needs a scenario, control or all/],
    [['launch'], /unknown command 'launch'/],
    [['run', 'all', '--bogus'], /Unknown option '--bogus'/],
    [['run', 'all', '--agent', 'command:'], /--agent command: needs a command line/],
    [['run', 'all', '--agent', 'command:   '], /--agent command: needs a command line/],
    [['run', 'all', '--repeat', '101'], /--repeat must be at most 100, not 101/],
    [['run', 'all', '--agent-timeout', '2147484'], /--agent-timeout must be at most 2147483, not 2147484/],
    [['run', 'all', '--backend', 'native', '--lanes', '9'], /--lanes must be at most 4, not 9/],
    [['run', 'all', '--apply-with', 'helm'], /unknown --apply-with 'helm'; valid: cdktf, applier/],
    [['run', 'control', '--control-watch', '0'], /--control-watch must be a whole number of at least 1, not '0'/],
    [['run', 'control', '--control-watch', '3601'], /--control-watch must be at most 3600, not 3601/],
    [['run', 'sensor-down', '--control-watch', '60'], /--control-watch is how long the control watches: run control or all with it, not sensor-down/],
  ])('%j → exit 2 with the reason and the usage', async (argv, message) => {
    const { code, err } = await cli(...argv);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err).toContain('usage:');
  });

  it('says the Docker lab is not up (exit 3) and how to bring it up', async () => {
    // a home of its own: the machine's may hold an engine-applied lab, which changes the advice
    const saved = process.env.CMS_LAB_HOME;
    process.env.CMS_LAB_HOME = mkdtempSync(path.join(os.tmpdir(), 'cms-cli-home-'));
    try {
      const { code, err } = await cli('run', 'sensor-down');
      expect(code).toBe(3);
      expect(err).toMatch(/the lab is not up .*npx cdktf deploy lab/);
    } finally {
      if (saved === undefined) delete process.env.CMS_LAB_HOME;
      else process.env.CMS_LAB_HOME = saved;
    }
  });

  const nativeAvailable = BridgeNetwork.available().ok;
  (nativeAvailable ? it : it.skip)('refuses to drive a lab another runner holds (exit 4)', async () => {
    const lockFile = path.join(NATIVE_LAB_STATE_DIR, 'runner.lock');
    mkdirSync(path.dirname(lockFile), { recursive: true });
    const held = acquireLabLock(lockFile, 'lab run all --backend native');
    try {
      const { code, err } = await cli('run', 'control', '--backend', 'native', '--results', mkdtempSync(path.join(os.tmpdir(), 'cms-cli-')));
      expect(code).toBe(4);
      expect(err).toMatch(/another runner is driving this lab \(pid \d+, .*lab run all --backend native\)/);
    } finally {
      held.release();
    }
  });

  it('rebuilds the report from stored results without a lab', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cms-cli-report-'));
    mkdirSync(path.join(dir, 'control', 'r1'), { recursive: true });
    writeFileSync(
      path.join(dir, 'control', 'r1', 'record.json'),
      JSON.stringify({ runId: 'r1', scenario: 'control', repetition: 1, agent: 'baseline', backend: 'native', startedAt: '2026-11-22T00:00:00Z', finishedAt: '2026-11-22T00:04:00Z', outcome: 'scored', agentRun: { wallMs: 30, timedOut: false }, score: { truth: 'control', total: 1, max: 1, outputStatus: 'ok', points: [], categoryNamed: false, citedEvidence: [], fabrications: [] } }),
    );
    const { code, err } = await cli('report', '--results', dir);
    expect({ code, err }).toEqual({ code: 0, err: expect.stringMatching(/summary of 1 run\(s\)/) });
  });

  it.each([['--help'], ['-h'], ['run', '--help'], ['help']])('%j prints the usage on stdout and exits 0', async (...argv) => {
    let out = '';
    let err = '';
    const code = await main(argv, { err: (t) => void (err += t), out: (t) => void (out += t) });
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toMatch(/^usage:\n {2}lab run <scenario>\|all\|control/);
  });

  it('writes nothing into a folder that holds no runs, and says so', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cms-cli-empty-'));
    mkdirSync(path.join(dir, 'sensor-down', 'half-a-run'), { recursive: true });
    const { code, err } = await cli('report', '--results', dir);
    expect({ code, err }).toEqual({ code: 1, err: expect.stringMatching(/^lab: no runs in .*: nothing written/) });
    expect(readdirSync(dir)).toEqual(['sensor-down']);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('lists the scenarios and the control', async () => {
    const { code, err } = await cli('list');
    expect(code).toBe(0);
    expect(err.split('\n').filter(Boolean)).toHaveLength(SCENARIOS.length + 1);
  });
});
