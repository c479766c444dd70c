/** One runner per lab. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LabBusyError, acquireLabLock } from '../../runner/lock';

const lockFile = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'cms-lock-')), 'runner.lock');

describe('acquireLabLock', () => {
  it('refuses a second runner while the first holds the lab, naming it', () => {
    const file = lockFile();
    const first = acquireLabLock(file, 'lab run all');
    expect(() => acquireLabLock(file, 'lab run sensor-down')).toThrow(LabBusyError);
    expect(() => acquireLabLock(file, 'lab run sensor-down')).toThrow(new RegExp(`another runner is driving this lab \\(pid ${process.pid}, started .*: lab run all\\)`));
    first.release();
    const second = acquireLabLock(file, 'lab run sensor-down');
    expect(JSON.parse(readFileSync(file, 'utf8')).command).toBe('lab run sensor-down');
    second.release();
  });

  it('takes over the lock of a runner that is gone, and says whose', async () => {
    const file = lockFile();
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid as number;
    await new Promise((resolve) => child.on('exit', resolve));
    writeFileSync(file, JSON.stringify({ pid, startedAt: '2026-11-22T00:00:00Z', command: 'lab run all' }));
    const held = acquireLabLock(file, 'lab run control');
    expect(held.tookOverFrom).toEqual({ pid, startedAt: '2026-11-22T00:00:00Z', command: 'lab run all' });
    held.release();
  });
});
