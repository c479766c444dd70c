/**
 * One runner per lab: a lock file created exclusively, holding who holds it.
 * A second runner is refused with that holder named; a lock whose process
 * is gone (a crashed runner) is taken over, and said so.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface LockHolder {
  readonly pid: number;
  readonly startedAt: string;
  readonly command: string;
}

export class LabBusyError extends Error {
  constructor(
    readonly holder: LockHolder,
    lockFile: string,
  ) {
    super(`another runner is driving this lab (pid ${holder.pid}, started ${holder.startedAt}: ${holder.command}); wait for it to finish or stop it. Lock: ${lockFile}`);
    this.name = 'LabBusyError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface HeldLock {
  readonly file: string;
  /** Set when a dead runner's lock was taken over. */
  readonly tookOverFrom?: LockHolder;
  release(): void;
}

export function acquireLabLock(lockFile: string, command: string): HeldLock {
  mkdirSync(path.dirname(lockFile), { recursive: true });
  let tookOverFrom: LockHolder | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o644);
      const holder: LockHolder = { pid: process.pid, startedAt: new Date().toISOString(), command };
      writeSync(fd, `${JSON.stringify(holder)}\n`);
      closeSync(fd);
      let released = false;
      return {
        file: lockFile,
        tookOverFrom,
        release: () => {
          if (released) return;
          released = true;
          rmSync(lockFile, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: LockHolder | undefined;
      try {
        holder = JSON.parse(readFileSync(lockFile, 'utf8')) as LockHolder;
      } catch {
        holder = undefined;
      }
      if (holder && alive(holder.pid)) throw new LabBusyError(holder, lockFile);
      tookOverFrom = holder;
      rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`could not take the runner lock ${lockFile}`);
}
