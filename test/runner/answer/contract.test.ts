/** The answer contract: its schema, what it accepts and refuses, how each output shape carries it, and how the scorer reads it first. */
import { FAULT_CATEGORIES, REMEDIATION_ACTIONS } from '../../../model/fault-taxonomy';
import { buildLabModel } from '../../../model/lab';
import { SIGNAL_PHRASES, contractSignals } from '../../../model/telemetry-phrases';
import { SCENARIOS, scenario } from '../../../scenarios';
import { normaliseAgentOutput } from '../../../runner/agent-result';
import { ANSWER_SCHEMA_ID, type Answer, answerInText, answerJsonSchema, parseAnswer } from '../../../runner/answer/contract';
import { commandAgentInstructions, holmesInstructions } from '../../../runner/answer/instructions';
import { telemetryCatalogue } from '../../../runner/catalogue';
import { entityMatch, scoreReport } from '../../../runner/score';
import type { ScenarioSpec } from '../../../scenarios/types';

const catalogue = telemetryCatalogue(buildLabModel());

function answer(overrides: Partial<Answer> = {}): Answer {
  return {
    schema: ANSWER_SCHEMA_ID,
    verdict: 'fault',
    root_causes: [{ service: 'esm-sensor', component: 'its network link', category: 'network-partition' }],
    evidence: [{ signal: 'up', kind: 'metric', query: 'up{instance="esm-sensor:9102"}', observed: 'the target is down since 10:02' }],
    remediation: { action: 'restore-network', target: 'esm-sensor' },
    confidence: 0.8,
    ...overrides,
  };
}
const asCommandOutput = (a: unknown) => normaliseAgentOutput('generic', JSON.stringify(a));
const lines = (a: unknown, truth: ScenarioSpec | 'control') => scoreReport(asCommandOutput(a), truth, catalogue).points.map((p) => [p.rule, p.points]);

describe('the contract', () => {
  it('has a JSON Schema with the taxonomy and the typed actions', () => {
    const schema = answerJsonSchema() as { $id: string; required: string[]; properties: Record<string, unknown> };
    expect(schema.$id).toBe(ANSWER_SCHEMA_ID);
    expect(schema.required).toEqual(expect.arrayContaining(['schema', 'verdict', 'root_causes', 'evidence', 'remediation', 'confidence']));
    expect(JSON.stringify(schema)).toContain('"transport-qos-mismatch"');
    expect(JSON.stringify(schema)).toContain('"restore-network"');
  });

  it('accepts a full answer and refuses what breaks it, naming the field', () => {
    expect(parseAnswer(answer()).answer).toBeDefined();
    expect(parseAnswer({ ...answer(), confidence: 2 }).problem).toMatch(/confidence/);
    expect(parseAnswer({ ...answer(), root_causes: [{ service: 'esm-sensor', category: 'gremlins' }] }).problem).toMatch(/root_causes\.0\.category/);
    expect(parseAnswer({ ...answer(), verdict: 'no-fault' }).problem).toMatch(/"no-fault" verdict names no root cause/);
    expect(parseAnswer({ ...answer(), root_causes: [] }).problem).toMatch(/names at least one root cause/);
  });

  it('is found in a fenced block at the end of prose, and a broken one is recorded, not scored', () => {
    const prose = `# Conclusions\nesm-sensor is cut off.\n\n\`\`\`json\n${JSON.stringify(answer())}\n\`\`\`\n`;
    expect(answerInText(prose)).toEqual(answer());
    const holmes = normaliseAgentOutput('holmesgpt', JSON.stringify([{ issue: {}, result: { analysis: prose } }]));
    expect(holmes.answer?.root_causes[0].service).toBe('esm-sensor');
    const broken = asCommandOutput({ ...answer(), confidence: 'high' });
    expect(broken).toMatchObject({ status: 'ok', answerProblem: expect.stringMatching(/confidence/) });
    expect(broken.answer).toBeUndefined();
    expect(scoreReport(broken, scenario('network-partition'), catalogue)).toMatchObject({ basis: 'prose', answerProblem: expect.stringMatching(/confidence/) });
  });

  it('is what each adapter asks for: the same text for every run, offering every category and action alike', () => {
    for (const text of [commandAgentInstructions(), holmesInstructions()]) {
      expect(text).toContain(ANSWER_SCHEMA_ID);
      for (const category of Object.keys(FAULT_CATEGORIES)) expect(text).toContain(`\`${category}\``);
      for (const action of Object.keys(REMEDIATION_ACTIONS)) expect(text).toContain(`\`${action}\``);
      // no scenario's title or one-liner (the words that describe an injected fault)
      for (const s of SCENARIOS) expect(text).not.toContain(s.oneLiner);
    }
  });
});

describe('scoring a structured answer', () => {
  const partition = scenario('network-partition');

  it('scores its fields: entity, evidence item, typed action', () => {
    const score = scoreReport(asCommandOutput(answer()), partition, catalogue);
    expect(score).toMatchObject({ basis: 'answer', total: 3, categoryNamed: true, citedEvidence: ['up'] });
  });

  it('gives no remediation point for a wrong action or another target, and none for the wrong service', () => {
    expect(lines(answer({ remediation: { action: 'restart-service', target: 'esm-sensor' } }), partition)[2]).toEqual(['remediation', 0]);
    expect(lines(answer({ remediation: { action: 'restore-network', target: 'track-fusion' } }), partition)[2]).toEqual(['remediation', 0]);
    expect(lines(answer({ root_causes: [{ service: 'track-fusion', category: 'other' }] }), partition)[0]).toEqual(['service', 0]);
  });

  it('credits an evidence item by its query or its words, not a signal it merely names', () => {
    const byQuery = answer({ evidence: [{ signal: 'scrape health', query: 'up{job="cms-services"} == 0', observed: 'esm-sensor:9102 is 0' }] });
    expect(lines(byQuery, partition)[1]).toEqual(['evidence', 1]);
    const unrelated = answer({ evidence: [{ signal: 'cms_fusion_queue_depth', observed: 'flat at 0' }] });
    expect(lines(unrelated, partition)[1]).toEqual(['evidence', 0]);
  });

  it('reads the control verdict', () => {
    expect(lines(answer({ verdict: 'no-fault', root_causes: [], evidence: [], remediation: { action: 'no-action' } }), 'control')).toEqual([['no-fault', 1]]);
    expect(lines(answer({ root_causes: [{ service: 'track-fusion', category: 'cpu-starvation' }] }), 'control')).toEqual([
      ['no-fault', 0],
      ['false-positive', -2],
    ]);
  });
});

describe('several root causes', () => {
  const twoFaults: ScenarioSpec = {
    ...scenario('network-partition'),
    name: 'two-faults',
    groundTruth: { ...scenario('network-partition').groundTruth, additionalRootCauses: [{ service: 'track-fusion', aliases: ['fusion'], component: 'its CPU allowance' }] },
  };

  it('scores precision and recall over entities (F1), with one cause as the special case', () => {
    expect(entityMatch(['esm-sensor'], ['esm-sensor'])).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    expect(entityMatch(['esm-sensor'], ['esm-sensor', 'track-fusion'])).toMatchObject({ precision: 1, recall: 0.5, f1: 0.67 });
    expect(entityMatch(['esm-sensor', 'radar-sensor', 'track-fusion'], ['esm-sensor', 'track-fusion'])).toMatchObject({ precision: 2 / 3, recall: 1, f1: 0.8 });
    const both = answer({ root_causes: [{ service: 'esm-sensor', category: 'network-partition' }, { service: 'track-fusion', category: 'cpu-starvation' }] });
    expect(lines(both, twoFaults)[0]).toEqual(['service', 1]);
    expect(lines(answer(), twoFaults)[0]).toEqual(['service', 0.67]);
    // prose names every service of its root-cause statement when the truth has several
    const prose = normaliseAgentOutput('generic', 'Root cause: esm-sensor is cut off and, independently, fusion is starved of CPU.');
    expect(scoreReport(prose, twoFaults, catalogue).entities).toMatchObject({ named: ['esm-sensor', 'track-fusion'], f1: 1 });
  });
});

describe('evidence phrases', () => {
  it('are keyed by names of the telemetry contract', () => {
    const signals = new Set(contractSignals());
    expect(Object.keys(SIGNAL_PHRASES).filter((k) => !signals.has(k))).toEqual([]);
    for (const phrases of Object.values(SIGNAL_PHRASES)) for (const p of phrases) expect(() => new RegExp(p, 'i')).not.toThrow();
  });
});
