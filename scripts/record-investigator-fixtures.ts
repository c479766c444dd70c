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
import { inLanes } from '../lib/lanes';
import { investigate } from '../investigator/investigate';
import { type RecordedCall, recording } from '../investigator/sources';
import { type LabModel, buildLabModel } from '../model/lab';
import { NativeDriver } from '../runner/drivers/native';
import type { FiringMoment } from '../runner/lab-driver';
import { runLifecycle } from '../runner/lifecycle';
import { SCENARIOS, scenario } from '../scenarios';
import { budgetOf } from '../scenarios/budget';
import { CONTROL_NAME, controlWatchS } from '../scenarios/control';
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

async function recordAt(name: string, lab: LabModel, moment: FiringMoment): Promise<void> {
  const calls: RecordedCall[] = [];
  const sources = moment.access.sources;
  const alert = agentView(moment.notification);
  const now = Date.now() / 1000;
  const result = await investigate(alert, { lab, sources: recording(sources, calls), now });
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
  const driver = new NativeDriver({ lab, lanes: 3, namePrefix: 'cms-record' });
  await inLanes(names, driver.lanes, weight, async (name) => {
    const r = await runLifecycle(name === CONTROL_NAME ? CONTROL_NAME : scenario(name), driver, { log, onFiring: (moment) => recordAt(name, lab, moment) });
    if (!r.valid) throw new Error(`${name}: the fault did not manifest; nothing recorded`);
  });
}

main().catch((error) => {
  process.stderr.write(`[record] ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
