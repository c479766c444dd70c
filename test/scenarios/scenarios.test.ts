import { ALERT_RULES } from '../../model/alerts';
import { buildLabModel } from '../../model/lab';
import { SERVICE_NAMES } from '../../model/services';
import { SCENARIOS, SCENARIO_NAMES, UnknownScenarioError, scenario, scenarioProblems } from '../../scenarios';
import { budgetOf, longestRangeS } from '../../scenarios/budget';
import { dockerFaultCommands } from '../../scenarios/docker-commands';
import { faultsOf, isDecoy, rootCauseFaultsOf } from '../../scenarios/faults';
import { agentView, expectedRcaMarkdown, scenarioAlert } from '../../scenarios/render';
import type { ScenarioSpec } from '../../scenarios/types';

const lab = buildLabModel();

describe('the scenario definitions', () => {
  it('are the six of the reference and the new ones, each valid against the model and the telemetry contract', () => {
    expect(SCENARIO_NAMES).toEqual(['sensor-down', 'fusion-cpu-starvation', 'dds-qos-mismatch', 'message-flood', 'memory-leak', 'network-partition', 'dds-partition-move', 'sensor-freeze', 'sensor-calibration-bias', 'threat-threshold-drift', 'two-sensor-faults', 'display-slow-consumer', 'fusion-partition-cascade', 'maintenance-red-herring', 'console-restart-red-herring']);
    for (const s of SCENARIOS) expect({ scenario: s.name, problems: scenarioProblems(s) }).toEqual({ scenario: s.name, problems: [] });
  });

  it('refuse an unknown scenario, listing the valid ones', () => {
    expect(() => scenario('memory-leek')).toThrow(UnknownScenarioError);
    expect(() => scenario('memory-leek')).toThrow("unknown scenario 'memory-leek'; valid scenarios: sensor-down, fusion-cpu-starvation, dds-qos-mismatch, message-flood, memory-leak, network-partition, dds-partition-move, sensor-freeze, sensor-calibration-bias, threat-threshold-drift, two-sensor-faults, display-slow-consumer, fusion-partition-cascade, maintenance-red-herring, console-restart-red-herring");
  });

  it('report every inconsistency of a definition, naming the field', () => {
    const base = scenario('dds-qos-mismatch');
    const broken: ScenarioSpec = {
      ...base,
      expectedAlerts: ['no-such-rule'],
      allowedAlerts: ['no-such-rule'],
      fault: { kind: 'cpu-quota', service: 'track-fusion', cpus: 0.001 },
      groundTruth: {
        ...base.groundTruth,
        evidence: [{ kind: 'log', signal: 'qos_broke', shows: '', query: '' }],
        categoryPatterns: ['('],
        misattributions: [],
      },
    };
    expect(scenarioProblems(broken)).toEqual([
      'scenarios/dds-qos-mismatch.fault.cpus: must be below 1 and grant at least 1 ms per period (Docker\'s minimum quota): from 0.01 for a 100 ms period',
      'scenarios/dds-qos-mismatch: the faulted services (track-fusion) must be the ground truth\'s root causes (esm-sensor)',
      "scenarios/dds-qos-mismatch.expectedAlerts: unknown alert rule 'no-such-rule'",
      "scenarios/dds-qos-mismatch.allowedAlerts: unknown alert rule 'no-such-rule'",
      "scenarios/dds-qos-mismatch.allowedAlerts: 'no-such-rule' is already expected",
      "scenarios/dds-qos-mismatch.groundTruth.evidence[0].signal: 'qos_broke' is not a log of the telemetry contract",
      'scenarios/dds-qos-mismatch.groundTruth: pattern /(/ is not a valid regular expression',
      'scenarios/dds-qos-mismatch.groundTruth.misattributions: list at least one wrong conclusion to penalise',
    ]);
  });

  it('hold a CPU quota to what Docker can set: a period from 1 ms to 1 s, at least 1 ms of CPU in it, less than a core', () => {
    const base = scenario('fusion-cpu-starvation');
    const withQuota = (cpus: number, periodMs?: number): ScenarioSpec => ({ ...base, fault: { kind: 'cpu-quota', service: 'track-fusion', cpus, ...(periodMs === undefined ? {} : { periodMs }) } });
    expect(scenarioProblems(withQuota(0.01))).toEqual([]);
    expect(scenarioProblems(withQuota(0.001, 1000))).toEqual([]);
    expect(scenarioProblems(withQuota(0.0009, 1000))).toEqual(['scenarios/fusion-cpu-starvation.fault.cpus: must be below 1 and grant at least 1 ms per period (Docker\'s minimum quota): from 0.001 for a 1000 ms period']);
    expect(scenarioProblems(withQuota(1, 100))).toEqual(['scenarios/fusion-cpu-starvation.fault.cpus: must be below 1 and grant at least 1 ms per period (Docker\'s minimum quota): from 0.01 for a 100 ms period']);
    for (const periodMs of [0, 1001, 2.5]) {
      expect(scenarioProblems(withQuota(0.5, periodMs))).toEqual(["scenarios/fusion-cpu-starvation.fault.periodMs: must be a whole number of milliseconds from 1 to 1000 (Docker's range)"]);
    }
  });

  it('hold several faults to one fault per root cause, each on its own service, and a sane healthy history', () => {
    const base = scenario('two-sensor-faults');
    const twice: ScenarioSpec = { ...base, historyS: -1, additionalFaults: [{ kind: 'freeze', service: 'radar-sensor' }] };
    expect(scenarioProblems(twice)).toEqual([
      'scenarios/two-sensor-faults.additionalFaults: each fault and decoy must be on another service (radar-sensor, radar-sensor)',
      "scenarios/two-sensor-faults: the faulted services (radar-sensor, radar-sensor) must be the ground truth's root causes (radar-sensor, esm-sensor)",
      'scenarios/two-sensor-faults.historyS: must be from 0 to 600 seconds',
    ]);
    const misdelayed: ScenarioSpec = { ...base, laterSignalDelaysS: { 'sensor-down': () => ({ seconds: 5, why: 'x' }), 'sensor-flood': () => ({ seconds: 5, why: 'x' }) } };
    expect(scenarioProblems(misdelayed)).toEqual([
      "scenarios/two-sensor-faults.laterSignalDelaysS: 'sensor-down' is not an expected alert after the first (the primary's delay is signalDelayS)",
      "scenarios/two-sensor-faults.laterSignalDelaysS: 'sensor-flood' is not an expected alert after the first (the primary's delay is signalDelayS)",
    ]);
    const unmatched: ScenarioSpec = { ...base, additionalFaults: [{ kind: 'stop-service', service: 'eo-sensor' }] };
    expect(scenarioProblems(unmatched)).toEqual(["scenarios/two-sensor-faults: the faulted services (radar-sensor, eo-sensor) must be the ground truth's root causes (radar-sensor, esm-sensor)"]);
  });

  it('keep decoys out of the root causes, and on services of their own', () => {
    const herring = scenario('maintenance-red-herring');
    expect(faultsOf(herring).map((f) => f.service)).toEqual(['threat-evaluator', 'eo-sensor']);
    expect(rootCauseFaultsOf(herring).map((f) => f.service)).toEqual(['threat-evaluator']);
    expect(isDecoy(herring, herring.decoys![0])).toBe(true);
    expect(isDecoy(herring, herring.fault)).toBe(false);
    const clash: ScenarioSpec = { ...herring, decoys: [{ kind: 'stop-service', service: 'threat-evaluator' }] };
    expect(scenarioProblems(clash)).toEqual(['scenarios/maintenance-red-herring.additionalFaults: each fault and decoy must be on another service (threat-evaluator, threat-evaluator)']);
    const decoyAsCause: ScenarioSpec = { ...herring, groundTruth: { ...herring.groundTruth, additionalRootCauses: [{ service: 'eo-sensor', aliases: ['eo-sensor'], component: 'x' }] } };
    expect(scenarioProblems(decoyAsCause)).toEqual(["scenarios/maintenance-red-herring: the faulted services (threat-evaluator) must be the ground truth's root causes (threat-evaluator, eo-sensor)"]);
  });

  it('keep a red herring from the noise off the faulted services, and its restarts on a service nothing reads', () => {
    const herring = scenario('console-restart-red-herring');
    expect(herring.noise?.restarts).toEqual({ service: 'tactical-display', everyS: 10 });
    expect(scenarioProblems({ ...herring, noise: { logBursts: { services: ['threat-evaluator'], everyS: 30 } } })).toEqual(['scenarios/console-restart-red-herring.noise: must leave the faulted services alone (threat-evaluator)']);
    expect(scenarioProblems({ ...herring, noise: { cpuNeighbour: { name: 'track-fusion', cpus: 0.25 } } })).toEqual(["scenarios/console-restart-red-herring.noise.cpuNeighbour.name: must not be a CMS service's name ('track-fusion')"]);
    expect(scenarioProblems({ ...herring, noise: { restarts: { service: 'command-center', everyS: 20 } } })).toEqual([
      'scenarios/console-restart-red-herring.noise.restarts.service: must be a service nothing reads from (tactical-display): restarting command-center interrupts the data flow, which is a fault, not noise',
    ]);
  });

  it('correct the original mechanisms: a genuinely incompatible QoS, a calibrated CPU quota, a leak tuned to fire in time', () => {
    expect(scenario('dds-qos-mismatch').fault).toEqual({ kind: 'restart-with', service: 'esm-sensor', env: { CMS_FORCE_QOS: 'EXCLUSIVE_OWNERSHIP' } });
    expect(scenario('fusion-cpu-starvation').fault).toMatchObject({ kind: 'cpu-quota', cpus: 0.02, periodMs: 1000 });
    expect(scenario('memory-leak').fault).toMatchObject({ env: { CMS_LEAK_RATE_BYTES: '32768' }, memoryLimitMb: 512 });
    expect(scenario('network-partition').groundTruth.misattributions.map((m) => [m.claim, m.penalty])).toEqual(
      expect.arrayContaining([
        ['the process crashed or stopped', 2],
        ['it failed to initialise', 2],
      ]),
    );
  });
});

describe('time budgets', () => {
  it('cover every expected alert: a later one with a slower signal moves the budget, not the floor', () => {
    const spec = scenario('two-sensor-faults');
    const budget = budgetOf(spec, lab);
    expect(budget.floorS).toBe(30);
    expect(budget.derivation).toContain("fusion-contributors-dropped must fire too: signal 10 s (the radar's last sample (and ESM's, whose restart takes ~2 s) must age out of the 8 s contributor window) + for 30s = 40 s, later than the primary's");
    expect(budget.budgetS).toBe(40 + 5 + 2 * 10 + 10 + 30);
    // without its own delay the later alert shares the primary's: the budget falls back to the primary's floor
    expect(budgetOf({ ...spec, laterSignalDelaysS: undefined }, lab).budgetS).toBe(30 + 5 + 2 * 10 + 10 + 30);
  });

  it('derive from the rules: signal delay + for = floor; + scrape, two evaluations, slack and 30 s = budget', () => {
    const summary = Object.fromEntries(SCENARIOS.map((s) => [s.name, (({ floorS, budgetS, recoveryS }) => ({ floorS, budgetS, recoveryS }))(budgetOf(s, lab))]));
    expect(summary).toEqual({
      'sensor-down': { floorS: 30, budgetS: 85, recoveryS: 55 },
      'fusion-cpu-starvation': { floorS: 75, budgetS: 175, recoveryS: 115 },
      'dds-qos-mismatch': { floorS: 40, budgetS: 95, recoveryS: 175 },
      'message-flood': { floorS: 40, budgetS: 95, recoveryS: 115 },
      'memory-leak': { floorS: 143, budgetS: 218, recoveryS: 55 },
      'network-partition': { floorS: 30, budgetS: 85, recoveryS: 55 },
      'dds-partition-move': { floorS: 40, budgetS: 95, recoveryS: 175 },
      'sensor-freeze': { floorS: 35, budgetS: 90, recoveryS: 55 },
      'sensor-calibration-bias': { floorS: 33, budgetS: 88, recoveryS: 55 },
      'threat-threshold-drift': { floorS: 92, budgetS: 147, recoveryS: 115 },
      'two-sensor-faults': { floorS: 30, budgetS: 105, recoveryS: 175 },
      'display-slow-consumer': { floorS: 75, budgetS: 190, recoveryS: 115 },
      'fusion-partition-cascade': { floorS: 92, budgetS: 147, recoveryS: 115 },
      'maintenance-red-herring': { floorS: 90, budgetS: 145, recoveryS: 115 },
      'console-restart-red-herring': { floorS: 90, budgetS: 145, recoveryS: 175 },
    });
    // the memory leak reaches its early alert well inside 4 minutes
    expect(budgetOf(scenario('memory-leak'), lab).budgetS).toBeLessThan(240);
  });

  it('read the longest range window of an expression', () => {
    expect(longestRangeS('sum(increase(x[2m])) + rate(y[30s])')).toBe(120);
    expect(longestRangeS('up > 0')).toBe(0);
  });
});

describe('rendered alert payloads', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s: the Grafana webhook shape an agent needs, tagged for the runner', (name, s) => {
    const alert = scenarioAlert(s, lab);
    expect(alert.alert_source).toBe('grafana');
    expect(SERVICE_NAMES).toContain(alert.commonLabels.pipeline_name);
    expect(alert.alerts[0].startsAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(alert.commonAnnotations.scenario).toBe(name);
    expect(alert.alerts[0].labels.alertname).toBe(ALERT_RULES.find((r) => r.uid === s.expectedAlerts[0])?.title);
    expect(Object.keys(alert).sort()).toEqual(
      ['receiver', 'status', 'orgId', 'alerts', 'groupLabels', 'commonLabels', 'commonAnnotations', 'externalURL', 'version', 'groupKey', 'truncatedAlerts', 'title', 'state', 'message', 'alert_source'].sort(),
    );
  });

  it('never let the scenario reach the agent: agentView drops the tag, and no other scenario name appears', () => {
    const ruleUids = new Set(ALERT_RULES.map((r) => r.uid));
    for (const s of SCENARIOS) {
      const seen = JSON.stringify(agentView(scenarioAlert(s, lab)));
      expect(seen).not.toContain('"scenario"');
      // a scenario name may only appear where it is also the name of the alert rule (sensor-down)
      for (const name of SCENARIO_NAMES) if (!ruleUids.has(name)) expect({ scenario: s.name, leaks: name, found: seen.includes(name) }).toEqual({ scenario: s.name, leaks: name, found: false });
    }
  });

  it('name the real service of the fault in pipeline_name where the rule can', () => {
    expect(scenarioAlert(scenario('network-partition'), lab).commonLabels).toMatchObject({ pipeline_name: 'esm-sensor', instance: 'esm-sensor:9102' });
    expect(scenarioAlert(scenario('message-flood'), lab).commonLabels).toMatchObject({ pipeline_name: 'radar-sensor', sensor_id: 'RADAR-1' });
    expect(scenarioAlert(scenario('dds-qos-mismatch'), lab).commonLabels.pipeline_name).toBe('track-fusion');
  });
});

describe('expected RCA documents', () => {
  it('carry the fault, the alerts, the budget and the scoring rubric with every misattribution', () => {
    const md = expectedRcaMarkdown(scenario('network-partition'), lab);
    expect(md).toContain('`cdktf deploy scenario-network-partition` (runs `docker network disconnect cms-lab esm-sensor`)');
    expect(md).toContain('`docker network connect --ip 172.30.80.12 --alias esm-sensor cms-lab esm-sensor`');
    expect(md).toContain('- +1 names the right service (`esm-sensor` or an alias).');
    expect(md).toContain('- −2 claims the process crashed or stopped.');
    expect(md).toContain('Time budget: signal 0 s');
  });

  it('document each fault kind with its Docker commands', () => {
    expect(dockerFaultCommands(scenario('fusion-cpu-starvation').fault, lab)).toEqual({
      inject: ['docker stop track-fusion'],
      onVariant: ['docker update --cpu-period 1000000 --cpu-quota 20000 track-fusion-b'],
      revert: ['docker start track-fusion'],
      variant: true,
    });
    expect(dockerFaultCommands(scenario('sensor-down').fault, lab)).toEqual({ inject: ['docker stop radar-sensor'], onVariant: [], revert: ['docker start radar-sensor'], variant: false });
    expect(dockerFaultCommands(scenario('network-partition').fault, lab).revert).toEqual(['docker network connect --ip 172.30.80.12 --alias esm-sensor cms-lab esm-sensor', 'docker restart esm-sensor']);
  });
});
