/**
 * npm run record:investigator — runs every scenario and the control on the
 * native harness and records, at the moment the alert fires, every query
 * the baseline investigator makes and its real answer, into
 * test/investigator/fixtures/<name>.json. The unit tests of the detectors
 * and the ranking replay these: recorded from real runs, never invented.
 * Options: --only a,b (default: all six and the control).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type FiringContext, runControlNatively, runScenarioNatively } from '../harness/conformance';
import { inLanes } from '../harness/lanes';
import { notificationFromPrometheus } from '../harness/notification';
import { investigate } from '../investigator/investigate';
import { type RecordedCall, nativeSources, recording } from '../investigator/sources';
import { buildLabModel } from '../model/lab';
import { SCENARIOS, scenario } from '../scenarios';
import { budgetOf } from '../scenarios/budget';
import { CONTROL_NAME, controlAlert, controlWatchS } from '../scenarios/control';
import { agentView } from '../scenarios/render';
import { projectRoot } from '../services/runtime/paths';

export interface InvestigatorFixture {
  readonly name: string;
  /** Evaluation time the investigation ran at (seconds since the epoch). */
  readonly now: number;
  readonly alert: unknown;
  readonly kinds: { metrics: string; logs?: string; traces?: string };
  readonly calls: readonly RecordedCall[];
  /** What the live investigation concluded (the replay must conclude the same). */
  readonly concluded: { service: string | null; category: string };
}

async function recordAt(name: string, context: FiringContext, alert: unknown): Promise<void> {
  const calls: RecordedCall[] = [];
  const sources = nativeSources(context.prometheus.url, context.native.otlp);
  const now = Date.now() / 1000;
  const result = await investigate(alert, { lab: context.lab, sources: recording(sources, calls), now });
  const fixture: InvestigatorFixture = {
    name,
    now,
    alert,
    kinds: { metrics: sources.metrics.kind, logs: sources.logs?.kind, traces: sources.traces?.kind },
    calls,
    concluded: { service: result.rootCause.service, category: result.rootCause.category },
  };
  writeFileSync(path.join(projectRoot(), 'test', 'investigator', 'fixtures', `${name}.json`), `${JSON.stringify(fixture)}\n`);
  process.stderr.write(`[record] ${name}: ${result.rootCause.service ?? 'none'} / ${result.rootCause.category} (${calls.length} calls)\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' } }, strict: true });
  const names = values.only ? values.only.split(',') : [...SCENARIOS.map((s) => s.name), CONTROL_NAME];
  const lab = buildLabModel();
  const log = (m: string) => process.stderr.write(`[record] ${m}\n`);
  const weight = (n: string) => (n === CONTROL_NAME ? controlWatchS(lab) : budgetOf(scenario(n), lab).budgetS);
  await inLanes(names, 3, weight, async (name) => {
    if (name === CONTROL_NAME) {
      await runControlNatively(controlWatchS(lab), { lab, log, otlp: 'retain', onFiring: (c) => recordAt(name, c, agentView(controlAlert(lab, new Date(Date.now() - 60_000).toISOString()))) });
      return;
    }
    const spec = scenario(name);
    const r = await runScenarioNatively(spec, { lab, log, otlp: 'retain', onFiring: (c) => recordAt(name, c, agentView(notificationFromPrometheus(lab, spec.expectedAlerts[0], c.firing))) });
    if (!r.valid) throw new Error(`${name}: the fault did not manifest; nothing recorded`);
  });
}

main().catch((error) => {
  process.stderr.write(`[record] ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
