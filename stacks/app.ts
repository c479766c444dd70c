/** Every stack of the app — `lab` and one `scenario-<name>` per scenario — defined on an App; main.ts and the engine applier share it. */
import type { App } from 'cdktf';
import type { LabModel } from '../model/lab';
import { SCENARIOS } from '../scenarios';
import type { HostPaths } from '../lib/host-paths';
import { LabStack } from './lab-stack';
import { ScenarioStack, scenarioStackName } from './scenario-stack';

export function stackNames(): string[] {
  return ['lab', ...SCENARIOS.map(scenarioStackName)];
}

export function defineStacks(app: App, lab: LabModel, paths: HostPaths): void {
  new LabStack(app, 'lab', { lab, paths });
  for (const scenario of SCENARIOS) new ScenarioStack(app, scenarioStackName(scenario), { lab, scenario });
}
