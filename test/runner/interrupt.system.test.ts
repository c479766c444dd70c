/**
 * Ctrl-C in the middle of a run: the runner removes the fault, stops the
 * native lab, keeps the artefacts so far, releases the lock and exits 130.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { leftoverLabNames } from '../../harness/native-lab';
import { NATIVE_LAB_STATE_DIR } from '../../harness/lab-scan';
import { sleep } from '../../lib/wait';
import { projectRoot } from '../../services/runtime/paths';

jest.setTimeout(5 * 60_000);

describe('an interrupted runner', () => {
  it('cleans the fault up, keeps the artefacts and exits 130', async () => {
    const results = mkdtempSync(path.join(os.tmpdir(), 'cms-interrupt-'));
    const child = spawn(process.execPath, ['dist/runner/cli.js', 'run', 'message-flood', '--backend', 'native', '--results', results], { cwd: projectRoot(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        // interrupt while the fault is on and the runner waits for its alert
        if (stderr.includes('injecting restart-with')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the runner exited early (${code}):\n${stderr}`)));
    });
    await sleep(3000);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, stderr }).toEqual({ code: 130, stderr: expect.stringContaining('interrupted: the fault was cleaned up') });

    const [runId] = readdirSync(path.join(results, 'message-flood'));
    const record = JSON.parse(readFileSync(path.join(results, 'message-flood', runId, 'record.json'), 'utf8'));
    expect(record).toMatchObject({ outcome: 'error', error: expect.stringMatching(/^interrupted \(Error: interrupted by SIGINT\); the fault was cleaned up$/) });
    expect(readFileSync(path.join(results, 'message-flood', runId, 'inject.log'), 'utf8')).toContain('injecting restart-with on radar-sensor');
    expect(existsSync(path.join(results, 'summary.md'))).toBe(true);
    // the lab this runner started (its name carries the runner's own token), and nothing of it left
    const labName = stderr.match(/native lab (cms-run-[a-z0-9]+-\d+) up/)?.[1];
    expect(labName).toBeDefined();
    expect(leftoverLabNames(labName!)).toEqual([]);
    // its processes, cgroups, state file and network namespaces, as the lab itself looked for them on closing
    expect(readFileSync(path.join(results, 'message-flood', runId, 'cleanup.log'), 'utf8')).toMatch(/run ended early: .*; residue: none/);
    expect(existsSync(path.join(NATIVE_LAB_STATE_DIR, 'runner.lock'))).toBe(false);
  });
});
