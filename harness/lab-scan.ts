/**
 * How the native harness finds its labs on this machine: every child carries
 * CMS_NATIVE_LAB=<name> in its environment (read back from /proc), and each
 * lab's namespaces, bridge and cgroups are recorded in a state file under
 * NATIVE_LAB_STATE_DIR, so whatever a killed harness left is found again.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const LAB_MARKER = 'CMS_NATIVE_LAB';
export const NATIVE_LAB_STATE_DIR = path.join(os.tmpdir(), 'cms-native-labs');

/**
 * A lab name no other run on this machine uses: `base` and a token of this
 * invocation's own, so that removing a lab's leftovers can never touch
 * another run's processes.
 */
export function uniqueLabName(base: string): string {
  return `${base}-${Math.random().toString(36).slice(2, 6)}`;
}

export function labStateFile(name: string): string {
  return path.join(NATIVE_LAB_STATE_DIR, `${name}.json`);
}

/** Names of native labs whose processes or state an earlier, interrupted run left behind (by name prefix). */
export function leftoverLabNames(prefix: string): string[] {
  const names = new Set<string>();
  if (existsSync(NATIVE_LAB_STATE_DIR)) for (const f of readdirSync(NATIVE_LAB_STATE_DIR)) if (f.startsWith(prefix) && f.endsWith('.json')) names.add(f.slice(0, -5));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const marker = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').find((v) => v.startsWith(`${LAB_MARKER}=${prefix}`));
      if (marker) names.add(marker.slice(LAB_MARKER.length + 1));
    } catch {
      // gone, or not ours to read
    }
  }
  return [...names].sort();
}

/** Processes (other than this one) whose environment carries the lab marker. */
export function findLabProcesses(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (environ.split('\0').includes(`${LAB_MARKER}=${name}`)) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}
