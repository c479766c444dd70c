/**
 * `cdktf deploy` runs this app to synthesize first; when it does, check the
 * host before anything else, so a missing Docker engine, a missing terraform
 * or a taken host port stops the deploy with what to do instead of a
 * provider error halfway through. Detection walks the parent processes'
 * command lines (Linux /proc); CMS_LAB_PREFLIGHT=1 forces the check and
 * CMS_LAB_PREFLIGHT=0 skips it.
 */
import { readFileSync } from 'node:fs';
import type { LabModel } from '../model/lab';
import { preflight } from '../lib/preflight';
import { labHostPorts } from './lab-stack';

export type CmdlineReader = (pid: number) => { argv: string[]; ppid: number } | undefined;

export const procReader: CmdlineReader = (pid) => {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return { argv, ppid };
  } catch {
    return undefined;
  }
};

/** The `cdktf <subcommand> [stacks…]` this app runs under, if an ancestor process is one. */
/** cdktf-cli 0.21 options of deploy, diff, destroy and synth that take a value as the next argument. */
const OPTIONS_WITH_VALUE = new Set(['--app', '-a', '--output', '-o', '--terraform-parallelism', '--parallelism', '--var', '--var-file', '--outputs-file', '--log-level', '--refresh-only-target']);

/** The positional arguments of a cdktf command line: the subcommand, then stack names (an option's value is not one). */
export function positionals(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      out.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('-')) {
      if (!arg.includes('=') && OPTIONS_WITH_VALUE.has(arg)) i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

export function cdktfInvocation(startPid: number = process.ppid, read: CmdlineReader = procReader): { subcommand: string; stacks: string[] } | undefined {
  let pid = startPid;
  for (let depth = 0; depth < 12 && pid > 1; depth++) {
    const info = read(pid);
    if (!info) return undefined;
    const cdktfAt = info.argv.findIndex((a) => /(^|\/)cdktf(\.js)?$/.test(a) || /cdktf-cli/.test(a));
    if (cdktfAt >= 0) {
      const [subcommand, ...stacks] = positionals(info.argv.slice(cdktfAt + 1));
      if (subcommand) return { subcommand, stacks };
    }
    pid = info.ppid;
  }
  return undefined;
}

/** Whether an ancestor process is `cdktf <subcommand> …`. */
export function invokedByCdktf(subcommand: string, startPid: number = process.ppid, read: CmdlineReader = procReader): boolean {
  return cdktfInvocation(startPid, read)?.subcommand === subcommand;
}

/** Stack names given to `cdktf deploy|diff|destroy` that this app does not define, with the valid ones. */
export function unknownStacks(known: readonly string[], invocation = cdktfInvocation()): string | undefined {
  if (!invocation || !['deploy', 'diff', 'destroy', 'plan'].includes(invocation.subcommand)) return undefined;
  const unknown = invocation.stacks.filter((s) => !s.includes('*') && !known.includes(s));
  if (unknown.length === 0) return undefined;
  return `unknown stack ${unknown.map((u) => `'${u}'`).join(', ')}; valid stacks: ${known.join(', ')}`;
}

export async function deployGuard(lab: LabModel, env: Readonly<Record<string, string | undefined>> = process.env): Promise<string[]> {
  const forced = env.CMS_LAB_PREFLIGHT;
  if (forced === '0' || (forced !== '1' && !invokedByCdktf('deploy'))) return [];
  return (await preflight(lab.bindAddress, labHostPorts(lab), { docker: true, terraform: true }, env)).problems;
}
