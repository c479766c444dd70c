/**
 * npm run lab -- run <scenario>|all|control [--repeat N] [--agent baseline|trivial|opensre|holmesgpt|command:<cmd>]
 *                    [--model NAME] [--backend docker|native] [--apply-with cdktf|applier] [--keep-observability] [--lanes N]
 *                    [--agent-timeout S] [--noise none|ambient] [--control-watch S] [--results DIR] [--open]
 * npm run lab -- report [--results DIR] [--open]
 * npm run lab -- list
 *
 * `all` is every scenario and the no-fault control. Exit codes: 0 done,
 * 1 a run broke, 2 bad usage, 3 the lab is not ready, 4 another runner holds
 * the lab, 130 interrupted (the fault is cleaned up first).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { NATIVE_LAB_STATE_DIR } from '../harness/lab-scan';
import { type LabModel, buildLabModel } from '../model/lab';
import { SCENARIOS, SCENARIO_NAMES, UnknownScenarioError, scenario } from '../scenarios';
import { CONTROL, CONTROL_NAME, controlWatchS } from '../scenarios/control';
import { projectRoot } from '../services/runtime/paths';
import { hostPaths } from '../lib/host-paths';
import { BaselineAgent } from './agents/baseline';
import { TrivialAgent } from './agents/trivial';
import { CommandAgent } from './agents/command';
import { HolmesAgent } from './agents/holmesgpt';
import { OpenSreAgent } from './agents/opensre';
import { type AgentAdapter, UnknownAgentError } from './agents/types';
import { ApplierStacks, CdktfStacks, DockerDriver, defaultStackTool } from './drivers/docker';
import { NativeDriver } from './drivers/native';
import { type LabDriver, LabNotReadyError } from './lab-driver';
import { LabBusyError, acquireLabLock } from './lock';
import { type RunRecord, type RunTarget, runMatrix } from './run';
import { NoRunsError, writeSummary } from './summary';

export class UsageError extends Error {}

const USAGE = `usage:
  lab run <scenario>|all|control [--repeat N] [--agent baseline|trivial|opensre|holmesgpt|command:<cmd>] [--model NAME]
          [--backend docker|native] [--apply-with cdktf|applier] [--keep-observability] [--lanes N]
          [--agent-timeout SECONDS] [--noise none|ambient] [--control-watch SECONDS] [--results DIR] [--open]
  lab report [--results DIR] [--open]
  lab list
scenarios: ${SCENARIO_NAMES.join(', ')}, ${CONTROL_NAME} (no fault), all (every scenario and the control)
--apply-with (Docker): the tool that deployed the lab; the engine applier (npm run engine) where it holds the lab's state, otherwise cdktf
--noise ambient: every run in the lab model's background noise (benign restarts, diagnostic log bursts, a CPU neighbour)
--control-watch: how long the control watches the healthy lab (default: the longest scenario budget)`;

export function targetsFor(name: string): RunTarget[] {
  if (name === 'all') return [...SCENARIOS, CONTROL_NAME];
  if (name === CONTROL_NAME) return [CONTROL_NAME];
  try {
    return [scenario(name)];
  } catch (error) {
    if (error instanceof UnknownScenarioError) throw new UsageError(`${error.message}, ${CONTROL_NAME}, all`);
    throw error;
  }
}

export function agentFor(name: string, lab: LabModel, backend: LabDriver['kind']): AgentAdapter {
  if (name === 'baseline') return new BaselineAgent(lab);
  if (name === 'trivial') return new TrivialAgent();
  if (name === 'opensre') {
    if (backend !== 'docker') throw new UsageError('the opensre agent reads Grafana only: run it on the Docker lab (--backend docker)');
    return new OpenSreAgent({ container: 'opensre', hostWorkDir: hostPaths().agentWorkDir('opensre') });
  }
  if (name === 'holmesgpt') return new HolmesAgent({ lab });
  if (name.startsWith('command:')) {
    if (!name.slice('command:'.length).trim()) throw new UsageError("--agent command: needs a command line, e.g. --agent 'command:/opt/my-agent --alert {alert} --out {result}'");
    return new CommandAgent(name.slice('command:'.length));
  }
  throw new UsageError(new UnknownAgentError(name).message);
}

/** The most repetitions one invocation runs (a larger study is several invocations into one results folder). */
export const MAX_REPEAT = 100;
/** The longest control watch (an hour: a longer quiet run is several). */
export const MAX_CONTROL_WATCH_S = 3600;
/** Node's timers hold at most 2^31-1 ms (about 24.8 days). */
export const MAX_AGENT_TIMEOUT_S = Math.floor((2 ** 31 - 1) / 1000);

function positiveInt(value: string | undefined, option: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${option} must be a whole number of at least 1, not '${value}'`);
  if (n > max) throw new UsageError(`--${option} must be at most ${max}, not ${value}`);
  return n;
}

function openReport(file: string, say: (m: string) => void): void {
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && process.platform === 'linux') {
    say(`report: ${file}`);
    return;
  }
  const opener = process.platform === 'darwin' ? 'open' : 'xdg-open';
  execFile(opener, [file], (error) => say(error ? `report: ${file} (could not open it: ${error.message})` : `report opened: ${file}`));
}

export async function main(argv: readonly string[], io: { err: (s: string) => void; out?: (s: string) => void } = { err: (s) => process.stderr.write(s) }): Promise<number> {
  const say = (m: string) => io.err(`[lab ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        repeat: { type: 'string' },
        agent: { type: 'string' },
        model: { type: 'string' },
        backend: { type: 'string' },
        'apply-with': { type: 'string' },
        'keep-observability': { type: 'boolean' },
        lanes: { type: 'string' },
        'agent-timeout': { type: 'string' },
        noise: { type: 'string' },
        'control-watch': { type: 'string' },
        results: { type: 'string' },
        open: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.err(`lab: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const [command, target, ...extra] = parsed.positionals;
  if (values.help || command === 'help') {
    (io.out ?? ((text: string) => process.stdout.write(text)))(`${USAGE}\n`);
    return 0;
  }
  const resultsDir = path.resolve((values.results as string | undefined) ?? path.join(projectRoot(), 'results'));
  const controller = new AbortController();
  let lock: { release(): void } | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      say(`${signal} again: still cleaning up the fault; the runner exits as soon as it is removed`);
      return;
    }
    say(`${signal}: interrupting; cleaning up the fault and stopping the lab's run before exiting`);
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  try {
    if (command === 'list') {
      for (const s of SCENARIOS) io.err(`${s.name.padEnd(24)} ${s.oneLiner}\n`);
      io.err(`${CONTROL_NAME.padEnd(24)} ${CONTROL.oneLiner}\n`);
      return 0;
    }
    if (command === 'report') {
      if (target !== undefined) throw new UsageError(`report takes no positional argument, got '${target}'`);
      const summary = writeSummary(resultsDir, (p) => say(`skipped an unreadable record: ${p}`));
      say(`summary of ${summary.runs} run(s): ${path.join(resultsDir, 'summary.md')}, ${path.join(resultsDir, 'report.html')}`);
      if (values.open) openReport(path.join(resultsDir, 'report.html'), say);
      return 0;
    }
    if (command !== 'run') throw new UsageError(command ? `unknown command '${command}'` : 'no command given');
    if (!target) throw new UsageError('run needs a scenario, control or all');
    if (extra.length) throw new UsageError(`unexpected argument(s): ${extra.join(' ')}`);
    const targets = targetsFor(target);
    const backendKind = (values.backend as string | undefined) ?? 'docker';
    if (backendKind !== 'docker' && backendKind !== 'native') throw new UsageError(`unknown backend '${backendKind}'; valid backends: docker, native`);
    const lab = buildLabModel();
    const agentName = (values.agent as string | undefined) ?? 'baseline';
    const agent = agentFor(agentName, lab, backendKind);
    const repeat = positiveInt(values.repeat as string | undefined, 'repeat', 1, MAX_REPEAT);
    const timeoutS = positiveInt(values['agent-timeout'] as string | undefined, 'agent-timeout', agentName === 'baseline' ? 60 : 600, MAX_AGENT_TIMEOUT_S);
    if (backendKind === 'native' && values['keep-observability']) throw new UsageError('--keep-observability needs the Docker lab: the native backend starts every run on a fresh lab');
    const applyWith = values['apply-with'] as string | undefined;
    if (applyWith !== undefined && applyWith !== 'cdktf' && applyWith !== 'applier') throw new UsageError(`unknown --apply-with '${applyWith}'; valid: cdktf, applier`);
    if (backendKind === 'native' && applyWith !== undefined) throw new UsageError('--apply-with applies to the Docker backend only');
    if (backendKind === 'docker' && values.lanes !== undefined) throw new UsageError('--lanes applies to the native backend only: one Docker lab runs one scenario at a time');
    const noiseName = (values.noise as string | undefined) ?? 'none';
    if (noiseName !== 'none' && noiseName !== 'ambient') throw new UsageError(`unknown --noise '${noiseName}'; valid: none, ambient (the lab model's noise.ambient)`);
    const noise = noiseName === 'ambient' ? lab.noise.ambient : undefined;
    const controlWatch = values['control-watch'] as string | undefined;
    if (controlWatch !== undefined && !targets.includes(CONTROL_NAME)) throw new UsageError(`--control-watch is how long the control watches: run control or all with it, not ${target}`);
    const watchS = positiveInt(controlWatch, 'control-watch', controlWatchS(lab), MAX_CONTROL_WATCH_S);
    const driver: LabDriver =
      backendKind === 'native'
        ? new NativeDriver({ lab, lanes: positiveInt(values.lanes as string | undefined, 'lanes', 1, 4) })
        : new DockerDriver({ lab, keepObservability: values['keep-observability'] === true, stacks: (applyWith ?? defaultStackTool()) === 'cdktf' ? new CdktfStacks() : new ApplierStacks(lab) });
    await driver.check();
    const lockFile = backendKind === 'docker' ? path.join(hostPaths().home, 'runner.lock') : path.join(NATIVE_LAB_STATE_DIR, 'runner.lock');
    const held = acquireLabLock(lockFile, `lab ${argv.join(' ')}`);
    lock = held;
    if (held.tookOverFrom) say(`took over the lock of a runner that is gone (pid ${held.tookOverFrom.pid}, started ${held.tookOverFrom.startedAt})`);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    for (const leftover of await driver.removeLeftovers()) say(`removed a leftover of an interrupted run: ${leftover}`);
    say(`${targets.length * repeat} run(s): ${targets.map((t) => (t === CONTROL_NAME ? t : t.name)).join(', ')} × ${repeat} with ${agent.name} on ${driver.mechanism}${noise ? ', with ambient noise' : ''} → ${resultsDir}`);
    let records: RunRecord[] = [];
    let failure: unknown;
    try {
      records = await runMatrix({ driver, agent, targets, repeat, resultsDir, agentTimeoutMs: timeoutS * 1000, model: values.model as string | undefined, log: say, signal: controller.signal, noise, controlWatchS: watchS });
    } catch (error) {
      failure = error;
    }
    const summary = writeSummary(resultsDir, (p) => say(`skipped an unreadable record: ${p}`));
    say(`results: ${path.join(resultsDir, 'summary.md')} (${summary.runs} run(s) in the folder)`);
    if (values.open) openReport(path.join(resultsDir, 'report.html'), say);
    if (controller.signal.aborted) {
      say('interrupted: the fault was cleaned up; the artefacts so far are kept');
      return 130;
    }
    if (failure) throw failure;
    const broken = records.filter((r) => r.outcome === 'error');
    return broken.length ? 1 : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`lab: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof LabNotReadyError) {
      io.err(`lab: ${error.message}\n`);
      return 3;
    }
    if (error instanceof LabBusyError) {
      io.err(`lab: ${error.message}\n`);
      return 4;
    }
    if (error instanceof NoRunsError || (error instanceof Error && error.message.startsWith('no results folder at '))) {
      io.err(`lab: ${error.message}\n`);
      return 1;
    }
    io.err(`lab: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    lock?.release();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
