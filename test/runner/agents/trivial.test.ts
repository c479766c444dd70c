/** The trivial baseline: what the page alone gives away. */
import { buildLabModel } from '../../../model/lab';
import { SCENARIOS, scenario } from '../../../scenarios';
import { controlAlert } from '../../../scenarios/control';
import { scenarioAlert } from '../../../scenarios/render';
import { normaliseAgentOutput } from '../../../runner/agent-result';
import { parseAnswer } from '../../../runner/answer/contract';
import { trivialAnswer } from '../../../runner/agents/trivial';
import { telemetryCatalogue } from '../../../runner/catalogue';
import { scoreReport } from '../../../runner/score';

const lab = buildLabModel();
const catalogue = telemetryCatalogue(lab);

describe('the trivial baseline', () => {
  it.each(SCENARIOS.map((s) => [s.name] as const))('%s: blames the alert\'s own service with a restart, in a valid answer', (name) => {
    const alert = scenarioAlert(scenario(name), lab);
    const answer = trivialAnswer(alert);
    expect(parseAnswer(answer).answer).toBeDefined();
    expect(answer.root_causes[0].service).toBe(alert.alerts[0].labels.pipeline_name);
    expect(answer.remediation.action).toBe('restart-service');
    // it ran no query, so the page's own metric earns no evidence point
    const score = scoreReport(normaliseAgentOutput('generic', JSON.stringify(answer)), scenario(name), catalogue);
    expect(score.points.find((p) => p.rule === 'evidence')?.points).toBe(0);
  });

  it('names a root cause on the control: it cannot tell a spurious page', () => {
    const score = scoreReport(normaliseAgentOutput('generic', JSON.stringify(trivialAnswer(controlAlert(lab, new Date().toISOString())))), 'control', catalogue);
    expect(score.total).toBe(-2);
  });
});
