/**
 * The scenario runner's loop: for each scenario (or the control) and each
 * repetition, one run through the lifecycle (./lifecycle.ts) on the lab
 * driver — reset, baseline gate, inject, wait until the expected alert
 * really fires; the runner then hands the agent that page, scores its report
 * against the ground truth, and keeps every artefact under
 * results/<scenario>/<run-id>/; the lifecycle reverts and gates on recovery.
 * An aborted or failing run still cleans its fault up and keeps what it
 * produced.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hostPaths } from '../lib/host-paths';
import { inLanes } from '../lib/lanes';
import { projectRoot } from '../services/runtime/paths';
import { SCENARIOS, scenario } from '../scenarios';
import { budgetOf } from '../scenarios/budget';
import type { LabModel } from '../model/lab';
import type { NoiseProfile } from '../model/noise';
import { CONTROL_NAME, controlWatchS } from '../scenarios/control';
import { agentView } from '../scenarios/render';
import { type AgentResult, normaliseAgentOutput } from './agent-result';
import type { AgentAdapter, AgentRun } from './agents/types';
import type { FiringMoment, LabDriver } from './lab-driver';
import { type RunError, type RunObservation, type RunTarget, runLifecycle, targetName } from './lifecycle';
import { telemetryCatalogue } from './catalogue';
import { redact } from './redact';
import { BaselineAgent } from './agents/baseline';
import { TrivialAgent } from './agents/trivial';
import { type Score, scoreReport } from './score';

export type { RunTarget } from './lifecycle';

export interface RunRecord {
  readonly runId: string;
  readonly scenario: string;
  readonly repetition: number;
  readonly agent: string;
  readonly model?: string;
  readonly backend: 'native' | 'docker';
  /** The run went with background noise (which: `manifestation.noise`). Records from before noise existed lack it. */
  readonly noisy?: boolean;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** scored: the fault manifested and the agent was scored; invalid: the expected alert never fired; error: the run broke. */
  readonly outcome: 'scored' | 'invalid' | 'error';
  readonly error?: string;
  readonly manifestation?: Omit<RunObservation, 'injectLog' | 'cleanupLog'>;
  readonly alert?: { readonly rule: string; readonly source: FiringMoment['notificationSource']; readonly startsAt: string };
  readonly agentRun?: Pick<AgentRun, 'wallMs' | 'exitCode' | 'timedOut' | 'error' | 'tokens' | 'toolCalls'>;
  readonly output?: { readonly status: AgentResult['status']; readonly problem?: string };
  readonly score?: Score;
  readonly conclusion?: string;
  readonly confidence?: number;
  /** The reference baselines' scores on the same page and telemetry (what the alert alone, and the detectors, achieve). */
  readonly baselines?: ReadonlyArray<{ readonly agent: string; readonly total: number; readonly max: number; readonly status: AgentResult['status'] }>;
}

/** A run target with the background noise it goes in, labelled for progress lines and tables ("control (noise)"). */
export interface NoisyTarget {
  readonly target: RunTarget;
  readonly noise?: NoiseProfile;
  readonly label: string;
}

export function noisyTarget(target: RunTarget, noise?: NoiseProfile): NoisyTarget {
  return { target, noise, label: `${targetName(target)}${noise ? ' (noise)' : ''}` };
}

/** The control quiet and in the lab's ambient noise: the pair a benchmark runs beside its scenarios. */
export function controlQuietAndNoisy(lab: LabModel): NoisyTarget[] {
  return [noisyTarget(CONTROL_NAME), noisyTarget(CONTROL_NAME, lab.noise.ambient)];
}

/**
 * A benchmark's targets from its --only list: every scenario and the control
 * (quiet and in noise) without one; else the named scenarios, and the
 * control's pair if the list names it. Scenarios go in `scenarioNoise`.
 */
export function benchTargets(lab: LabModel, only: string | undefined, scenarioNoise?: NoiseProfile): NoisyTarget[] {
  const names = only === undefined ? undefined : only.split(',').map((n) => n.trim());
  if (names?.some((n) => n === '')) throw new Error(`--only wants scenario names separated by commas, not '${only}'`);
  const specs = names ? names.filter((n) => n !== CONTROL_NAME).map((n) => scenario(n)) : [...SCENARIOS];
  const withControl = names === undefined || names.includes(CONTROL_NAME);
  return [...specs.map((spec) => noisyTarget(spec, scenarioNoise)), ...(withControl ? controlQuietAndNoisy(lab) : [])];
}

/**
 * How long a run of the target takes at most, for ordering runs across lanes
 * longest first: a scenario's healthy history, budget and recovery; the
 * control's watch.
 */
export function runWeightS(target: RunTarget, lab: LabModel, controlWatch: number = controlWatchS(lab)): number {
  if (target === CONTROL_NAME) return controlWatch;
  const { budgetS, recoveryS } = budgetOf(target, lab);
  return (target.historyS ?? 0) + budgetS + recoveryS;
}

export interface RunMatrixOptions {
  readonly driver: LabDriver;
  readonly agent: AgentAdapter;
  readonly targets: readonly RunTarget[];
  /** @default 1 */
  readonly repeat?: number;
  /** Root of the results tree. */
  readonly resultsDir: string;
  /** @default 600 000 (10 minutes) */
  readonly agentTimeoutMs?: number;
  readonly model?: string;
  readonly log?: (message: string) => void;
  readonly signal?: AbortSignal;
  /** How long the control watches the healthy lab. @default controlWatchS(lab): the longest scenario budget */
  readonly controlWatchS?: number;
  /** The background noise of every run of `targets` (the lab model's `noise.ambient`, say). @default none: a quiet lab */
  readonly noise?: NoiseProfile;
  /**
   * Targets run once more per repetition in the lab model's ambient noise,
   * beside their runs in `targets` (the control with and without noise).
   * @default none
   */
  readonly underAmbientNoise?: readonly RunTarget[];
  /** Called as each run finishes (progress). */
  readonly onRecord?: (record: RunRecord) => void;
  /**
   * Run the reference baselines (the detector-based investigator and the
   * trivial one) on every page too, scored beside the agent. @default true
   */
  readonly referenceBaselines?: boolean;
}

function compactTime(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

function agentSlug(agent: string): string {
  return agent.startsWith('command:') ? 'command' : agent.replace(/[^a-z0-9-]/gi, '-');
}

/** The file name the agent's raw output is kept under. */
function outputFile(run: AgentRun): string {
  const raw = run.raw?.trim() ?? '';
  return raw.startsWith('{') || raw.startsWith('[') ? 'agent-output.json' : raw.startsWith('#') ? 'agent-output.md' : 'agent-output.txt';
}

export async function runMatrix(options: RunMatrixOptions): Promise<RunRecord[]> {
  const { driver, agent } = options;
  const repeat = options.repeat ?? 1;
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a whole number of at least 1, not ${options.repeat}`);
  const lab = driver.lab;
  const catalogue = telemetryCatalogue(lab);
  const log = options.log ?? (() => undefined);
  const jobs = Array.from({ length: repeat }, (_, r) => [
    ...options.targets.map((target) => ({ ...noisyTarget(target, options.noise), repetition: r + 1 })),
    ...(options.underAmbientNoise ?? []).map((target) => ({ ...noisyTarget(target, lab.noise.ambient), repetition: r + 1 })),
  ]).flat();
  const watchS = options.controlWatchS ?? controlWatchS(lab);
  const weight = (t: RunTarget) => runWeightS(t, lab, watchS);
  mkdirSync(options.resultsDir, { recursive: true });
  // what no agent may read: this checkout, every run's artefacts, the lab's home and its secrets
  const privatePaths = [projectRoot(), path.resolve(options.resultsDir), hostPaths().home];
  writeFileSync(path.join(options.resultsDir, 'catalogue.json'), `${JSON.stringify(catalogue, null, 2)}\n`);

  // the reference baselines, beside any other agent: what the detectors find, and what the page alone gives away
  const references: AgentAdapter[] = options.referenceBaselines === false ? [] : [new BaselineAgent(lab), new TrivialAgent()].filter((b) => b.name !== agent.name);

  return inLanes(jobs, driver.lanes, (j) => weight(j.target) + j.repetition, async ({ target, label, repetition, noise }) => {
    const name = targetName(target);
    const started = new Date();
    const runId = `${compactTime(started)}-${agentSlug(agent.name)}-r${repetition}-${Math.random().toString(36).slice(2, 6)}`;
    const runDir = path.join(options.resultsDir, name, runId);
    mkdirSync(runDir, { recursive: true });
    const write = (file: string, content: string) => writeFileSync(path.join(runDir, file), content);
    const prefix = `${label} #${repetition}`;
    const say = (m: string) => log(`${prefix}: ${m}`);
    let alert: RunRecord['alert'];
    let agentRun: AgentRun | undefined;
    let result: AgentResult | undefined;
    let score: Score | undefined;
    let baselines: RunRecord['baselines'];

    const onFiring = async (moment: FiringMoment) => {
      const notification = agentView(moment.notification);
      const alertPath = path.join(runDir, 'alert.json');
      write('alert.json', `${JSON.stringify(notification, null, 2)}\n`);
      alert = { rule: target === CONTROL_NAME ? notification.commonLabels.alertname : target.expectedAlerts[0], source: moment.notificationSource, startsAt: notification.alerts[0]?.startsAt ?? '' };
      say(`alert handed to ${agent.name} (${moment.notificationSource}); investigating`);
      agentRun = await agent.investigate({ runDir, alertPath, alert: notification, access: moment.access, timeoutMs: options.agentTimeoutMs ?? 600_000, model: options.model, signal: options.signal, privatePaths });
      write('agent-transcript.txt', redact(agentRun.transcript));
      if (agentRun.raw !== undefined) write(outputFile(agentRun), redact(agentRun.raw));
      const normalised = normaliseAgentOutput(agentRun.format, agentRun.raw);
      // a timeout is scored as one even when the agent printed something first (that partial output is kept);
      // a crash with no usable output is scored as that, not as an empty report
      result = agentRun.timedOut
        ? { ...normalised, status: 'timeout', problem: `${agentRun.error ?? 'timed out'}${normalised.status === 'ok' ? '; its partial output is kept' : ''}` }
          : agentRun.error && normalised.status !== 'ok'
            ? { ...normalised, status: 'failed', problem: `${agentRun.error}; ${normalised.problem ?? ''}`.trim() }
            : normalised;
      score = scoreReport(result, target, catalogue);
      write('score.json', `${JSON.stringify(score, null, 2)}\n`);
      write(
        'audit.json',
        `${JSON.stringify(
          {
            alert: { rule: alert.rule, startsAt: alert.startsAt, source: moment.notificationSource },
            telemetry: moment.access.description,
            sourcesQueried: agentRun.sourcesQueried.length ? agentRun.sourcesQueried : 'not reported by the agent',
            conclusion: result.rootCause || (result.isNoise ? 'no fault (noise)' : ''),
            confidence: result.confidence ?? 'not reported by the agent',
            durationMs: agentRun.wallMs,
            ...(agentRun.isolation ? { isolation: agentRun.isolation } : {}),
          },
          null,
          2,
        )}\n`,
      );
      say(`${agent.name} concluded in ${(agentRun.wallMs / 1000).toFixed(1)} s: score ${score.total}/${score.max}${result.status === 'ok' ? '' : ` (output ${result.status})`}`);
      if (references.length) {
        mkdirSync(path.join(runDir, 'baselines'), { recursive: true });
        const scored: Array<NonNullable<RunRecord['baselines']>[number]> = [];
        for (const reference of references) {
          const run = await reference.investigate({ runDir, alertPath, alert: notification, access: moment.access, timeoutMs: 60_000, signal: options.signal, privatePaths });
          const referenceScore = scoreReport(normaliseAgentOutput(run.format, run.raw), target, catalogue);
          write(`baselines/${reference.name}-score.json`, `${JSON.stringify(referenceScore, null, 2)}\n`);
          if (run.raw !== undefined) write(`baselines/${reference.name}-output.json`, redact(run.raw));
          scored.push({ agent: reference.name, total: referenceScore.total, max: referenceScore.max, status: referenceScore.outputStatus });
        }
        baselines = scored;
        say(`beside it: ${scored.map((b) => `${b.agent} ${b.total}/${b.max}`).join(', ')}`);
      }
    };

    let manifestation: RunObservation | undefined;
    let error: string | undefined;
    try {
      manifestation = await runLifecycle(target, driver, { log: say, signal: options.signal, onFiring, controlWatchS: watchS, noise });
    } catch (caught) {
      const e = caught as RunError;
      error = options.signal?.aborted ? `interrupted (${String(options.signal.reason ?? 'aborted')}); the fault was cleaned up` : e.message;
      write('inject.log', `${(e.injectLog ?? []).join('\n')}\n`);
      write('cleanup.log', `${[...(e.cleanupLog ?? []), `run ended: ${error}`].join('\n')}\n`);
    }
    if (manifestation) {
      write('inject.log', `${manifestation.injectLog.join('\n')}\n`);
      write('cleanup.log', `${manifestation.cleanupLog.join('\n')}\n`);
    }
    const { injectLog: _i, cleanupLog: _c, ...observed } = manifestation ?? { injectLog: [], cleanupLog: [] };
    const record: RunRecord = {
      runId,
      scenario: name,
      repetition,
      agent: agent.name,
      model: options.model,
      backend: driver.kind,
      noisy: noise !== undefined,
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      outcome: error !== undefined ? 'error' : score ? 'scored' : 'invalid',
      error: error ?? (manifestation && !manifestation.valid ? 'the expected alert did not fire within the budget: the fault did not manifest' : undefined),
      manifestation: manifestation ? (observed as RunRecord['manifestation']) : undefined,
      alert,
      agentRun: agentRun && { wallMs: agentRun.wallMs, exitCode: agentRun.exitCode, timedOut: agentRun.timedOut, error: agentRun.error, tokens: agentRun.tokens, toolCalls: agentRun.toolCalls },
      output: result && { status: result.status, problem: result.problem },
      score,
      conclusion: result?.rootCause,
      confidence: result?.confidence,
      ...(baselines ? { baselines } : {}),
    };
    write('record.json', `${JSON.stringify(record, null, 2)}\n`);
    say(record.outcome === 'scored' ? `done: ${score?.total}/${score?.max}` : `${record.outcome}: ${record.error}`);
    options.onRecord?.(record);
    if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new Error('interrupted');
    return record;
  });
}
