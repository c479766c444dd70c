import os from 'node:os';
import path from 'node:path';
import { buildLabModel } from '../../model/lab';
import { type CmdlineReader, cdktfInvocation, deployGuard, invokedByCdktf, unknownStacks } from '../../stacks/deploy-guard';

function tree(chain: Array<string[]>): CmdlineReader {
  // pid 100 + i has argv chain[i] and parent 100 + i + 1; the last one's parent is init
  return (pid) => {
    const i = pid - 100;
    return i >= 0 && i < chain.length ? { argv: chain[i], ppid: i + 1 < chain.length ? pid + 1 : 1 } : undefined;
  };
}

describe('the deploy guard', () => {
  it('recognises an app synthesized for `cdktf deploy`, however it was launched', () => {
    const read = tree([['sh', '-c', 'npx ts-node main.ts'], ['node', '/usr/lib/node_modules/cdktf-cli/bundle/bin/cdktf', 'deploy', 'lab'], ['bash']]);
    expect(invokedByCdktf('deploy', 100, read)).toBe(true);
    expect(invokedByCdktf('destroy', 100, read)).toBe(false);
    expect(invokedByCdktf('deploy', 100, tree([['node', 'node_modules/.bin/cdktf', 'synth']]))).toBe(false);
    expect(invokedByCdktf('deploy', 100, tree([['node', 'jest']]))).toBe(false);
  });

  it('reads stack names as the positional arguments, never an option\'s value', () => {
    const cdktf = (...args: string[]) => cdktfInvocation(100, tree([['node', 'node_modules/.bin/cdktf', ...args]]));
    expect(cdktf('diff', '--terraform-parallelism', '2', 'scenario-memory-leak')).toEqual({ subcommand: 'diff', stacks: ['scenario-memory-leak'] });
    expect(cdktf('--log-level', 'debug', 'deploy', '--var-file=x.tfvars', '--auto-approve', 'lab', '-o', 'out')).toEqual({ subcommand: 'deploy', stacks: ['lab'] });
    expect(unknownStacks(['lab', 'scenario-memory-leak'], cdktf('diff', '--terraform-parallelism', '2', 'scenario-memory-leak'))).toBeUndefined();
    expect(unknownStacks(['lab', 'scenario-memory-leak'], cdktf('destroy', '--auto-approve', 'scenario-memory-leek'))).toMatch(/^unknown stack 'scenario-memory-leek'; valid stacks: lab, scenario-memory-leak$/);
  });

  it('runs the host checks when forced, and reports an engine that does not answer', async () => {
    expect(await deployGuard(buildLabModel(), { CMS_LAB_PREFLIGHT: '0' })).toEqual([]);
    // the test command may have started an engine: point the check at a socket nothing serves
    const env = { ...process.env, CMS_LAB_PREFLIGHT: '1', DOCKER_HOST: `unix://${path.join(os.tmpdir(), `cms-no-engine-${process.pid}.sock`)}` };
    expect(await deployGuard(buildLabModel(), env)).toContainEqual(expect.stringMatching(/^no Docker engine is reachable/));
  });
});
