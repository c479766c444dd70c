/** The scorer on hand-written reports: each rubric point, each misattribution, denials, the control, fabricated sources, malformed output. */
import { buildLabModel } from '../../model/lab';
import { SCENARIOS, scenario } from '../../scenarios';
import { normaliseAgentOutput } from '../../runner/agent-result';
import { telemetryCatalogue } from '../../runner/catalogue';
import { findFabrications } from '../../runner/hallucination';
import { firstNamedService, scoreReport, sentences, serviceAliases } from '../../runner/score';

const catalogue = telemetryCatalogue(buildLabModel());
const text = (report: string) => normaliseAgentOutput('generic', report);
const points = (report: string, name: string) => scoreReport(text(report), scenario(name), catalogue).points.map((p) => [p.rule, p.points]);

describe('the rubric', () => {
  const partition = 'network-partition';

  it('awards nothing to a report that names another service, no evidence and no fix', () => {
    expect(points('## Root cause\nThe radar-sensor is slow.', partition)).toEqual([
      ['service', 0],
      ['evidence', 0],
      ['remediation', 0],
    ]);
  });

  it('+1 for the right service (aliases accepted), with the sentence that earned it', () => {
    for (const alias of ['esm-sensor', 'ESM sensor', 'ESM-2']) {
      const score = scoreReport(text(`## Root cause\n${alias} is cut off from the lab network.`), scenario(partition), catalogue);
      expect(score.points[0]).toEqual({ rule: 'service', points: 1, why: 'it names esm-sensor as the root cause', sentence: `${alias} is cut off from the lab network.` });
    }
  });

  it('judges the service the root-cause statement names first', () => {
    expect(points('Root cause: track-fusion lost ESM-2 because esm-sensor is unreachable.', partition)[0]).toEqual(['service', 0]);
  });

  it('+1 for citing a ground-truth signal (metric, log event or span)', () => {
    expect(points('Root cause: esm-sensor.\nThe `up` series for esm-sensor:9102 is 0.', partition)[1]).toEqual(['evidence', 1]);
    expect(points('Root cause: esm-sensor.\nFusion logged dds_liveliness_changed for ESM-2.', partition)[1]).toEqual(['evidence', 1]);
    expect(points('Root cause: radar-sensor.\nNo new sensor.scan.RADAR-1 spans since 10:02.', 'sensor-down')[1]).toEqual(['evidence', 1]);
    expect(points('Root cause: track-fusion.\nhistogram_quantile over cms_fusion_processing_seconds_bucket is 3 s.', 'fusion-cpu-starvation')[1]).toEqual(['evidence', 1]);
    // the English word "up" is not the metric
    expect(points('Root cause: esm-sensor.\nIt gave up.', partition)[1]).toEqual(['evidence', 0]);
  });

  it('+1 for the right remediation, read from the remediation field when the agent gives one', () => {
    expect(points('Root cause: esm-sensor.\nReconnect esm-sensor to the network.', partition)[2]).toEqual(['remediation', 1]);
    const structured = normaliseAgentOutput('generic', JSON.stringify({ root_cause: 'esm-sensor is unreachable', remediation: 'Restart esm-sensor.', report: 'One could reconnect it to the network.' }));
    expect(scoreReport(structured, scenario(partition), catalogue).points[2]).toMatchObject({ rule: 'remediation', points: 0 });
  });

  it('a full report scores 3 and explains each point', () => {
    const score = scoreReport(
      text('## Root cause\nesm-sensor is detached from the network while its process keeps running.\n\n## Evidence\n`up{instance="esm-sensor:9102"}` is 0 and its logs end with no service_stopping record.\n\n## Remediation\nReconnect it with docker network connect.'),
      scenario(partition),
      catalogue,
    );
    expect(score).toMatchObject({ total: 3, max: 3, categoryNamed: true, fabrications: [] });
    expect(score.citedEvidence).toEqual(['up', 'service_stopping']);
    for (const p of score.points) expect(p.sentence).toEqual(expect.any(String));
  });
});

describe('misattributions', () => {
  /** One sentence per listed misattribution that makes the claim. */
  const CLAIMS: Record<string, string[]> = {
    'sensor-down': ['There is a network partition between the radar and fusion.', 'The root cause is track-fusion, which dropped RADAR-1.', 'A QoS mismatch blocks the radar writer.'],
    'fusion-cpu-starvation': ['A sensor flood overwhelms the correlator.', 'The radar sensor is down.', 'track-fusion has a memory leak.'],
    'dds-qos-mismatch': ['The esm-sensor crashed.', 'There is a network partition.', 'This is a bug in track-fusion.'],
    'message-flood': ['The root cause is track-fusion being overloaded.', 'Fusion suffers CPU starvation.', 'The ESM sensor is down.'],
    'memory-leak': ['Fusion is CPU throttled.', 'A message flood from the radar fills memory.', 'The EO sensor is down.'],
    'network-partition': ['The esm-sensor process crashed.', 'esm-sensor failed to start.', 'An incompatible QoS between ESM and fusion.'],
    'dds-partition-move': ['The radar sensor crashed.', 'RADAR-1 is unreachable.', 'This is a regression in track-fusion.'],
    'sensor-freeze': ['eo-sensor got an orderly shutdown.', 'A network partition isolates EO-3.', 'track-fusion is the root cause.'],
    'sensor-calibration-bias': ["track-fusion's correlation gate was changed to be too strict.", 'Three real new targets entered the area.', 'The radar floods fusion.'],
    'two-sensor-faults': ['The ESM-2 loss is a consequence of the radar stop.', 'The radar was cut off from the network.', 'track-fusion is the root cause.'],
    'display-slow-consumer': ['track-fusion is starved of CPU.', 'A sensor flood overwhelms fusion.', 'track-fusion has a memory leak.'],
    'fusion-partition-cascade': ['The root cause is threat-evaluator, which stopped assessing.', 'The targets left the area.', 'ThreatAssessmentTopic has a partition mismatch.'],
    'maintenance-red-herring': ['The loss of EO-3 caused the missing engagements.', 'The root cause is command-center.', 'threat-evaluator crashed.'],
    'console-restart-red-herring': ['The restart loop of the tactical display caused the missing engagements.', 'threat-evaluator crashed.', 'The root cause is command-center.'],
    'threat-threshold-drift': ['The root cause is command-center, which stopped issuing orders.', 'The targets left the surveillance area.', 'A QoS mismatch on ThreatAssessmentTopic keeps assessments from command-center.'],
  };

  it.each(SCENARIOS.flatMap((s) => s.groundTruth.misattributions.map((m, i) => [s.name, m.claim, m.penalty, i] as const)))('%s: claiming %s costs %i', (name, claim, penalty, i) => {
    const sentence = CLAIMS[name][i];
    const score = scoreReport(text(`Root cause: nothing conclusive.\n${sentence}`), scenario(name), catalogue);
    expect(score.points.filter((p) => p.rule === 'misattribution')).toEqual([{ rule: 'misattribution', points: -penalty, why: `it claims ${claim}`, sentence }]);
  });

  it('does not count a sentence that denies the claim', () => {
    const score = scoreReport(text('Root cause: esm-sensor is unreachable. The process has not crashed: it is still running. This is not a QoS mismatch.'), scenario('network-partition'), catalogue);
    expect(score.points.filter((p) => p.rule === 'misattribution')).toEqual([]);
  });

  it.each([
    ['display-slow-consumer', "Fusion's CPU is idle while its writer is throttled by back-pressure; the display's CPU is saturated."],
    ['fusion-partition-cascade', 'threat-evaluator hears nothing; track-fusion is the root cause.'],
    ['maintenance-red-herring', 'The loss of EO-3 explains nothing. eo-sensor is in planned maintenance; threat-evaluator is the root cause, and threat-evaluator stopped assessing tracks.'],
    ['console-restart-red-herring', 'The tactical display keeps restarting, but it publishes nothing, so its restarts explain no missing order. threat-evaluator is the root cause: it is cut off from the network.'],
  ])('%s: a correct report that names the decoy or the symptoms is not penalised', (name, sentence) => {
    const score = scoreReport(text(`Root cause: see below.\n${sentence}`), scenario(name), catalogue);
    expect(score.points.filter((p) => p.rule === 'misattribution')).toEqual([]);
  });

  it.each([
    ['display-slow-consumer', 'Restart tactical-display.'],
    ['maintenance-red-herring', 'Start eo-sensor again and threat-evaluator will resume.'],
    ['console-restart-red-herring', 'Stop the restart loop of tactical-display.'],
  ])('%s: a fix that leaves the fault in place earns no remediation point (%s)', (name, fix) => {
    const score = scoreReport(text(`Root cause: see below.\nRemediation: ${fix}`), scenario(name), catalogue);
    expect(score.points.find((p) => p.rule === 'remediation')?.points).toBe(0);
  });

  it('can take a report below zero', () => {
    const score = scoreReport(text('Root cause: the esm-sensor process crashed. It failed to start again. Also an incompatible QoS.'), scenario('network-partition'), catalogue);
    expect(score.total).toBe(1 - 2 - 2 - 1);
  });
});

describe('the control', () => {
  const control = (r: ReturnType<typeof normaliseAgentOutput>) => scoreReport(r, 'control', catalogue);
  it('+1 for saying nothing is wrong, from text or is_noise', () => {
    expect(control(text('Root cause: none. This looks like a false alarm; every signal is healthy.')).total).toBe(1);
    expect(control(normaliseAgentOutput('opensre', JSON.stringify({ root_cause: '', report: '', problem_md: '', is_noise: true }))).total).toBe(1);
  });
  it('−2 for blaming a service although nothing was injected', () => {
    const score = control(text('Root cause: track-fusion is starved of CPU.'));
    expect(score.points).toEqual([
      { rule: 'no-fault', points: 0, why: 'it does not say that nothing is wrong' },
      { rule: 'false-positive', points: -2, why: 'it blames track-fusion although no fault was injected', sentence: 'track-fusion is starved of CPU.' },
    ]);
  });
});

describe('malformed, empty and truncated output', () => {
  it.each([
    ['empty', ''],
    ['truncated', '{"root_cause": "esm-sensor is unre'],
    ['malformed', '{"root_cause": }'],
    ['malformed', '[1, 2]'],
  ])('is scored as %s, with zero points and the reason', (status, raw) => {
    const result = normaliseAgentOutput('generic', raw);
    expect(result.status).toBe(status);
    const score = scoreReport(result, scenario('sensor-down'), catalogue);
    expect(score).toMatchObject({ total: 0, outputStatus: status });
    expect(score.points[0].why).toContain(`its output is ${status}`);
  });

  it('reads markdown, OpenSRE and HolmesGPT shapes', () => {
    expect(normaliseAgentOutput('generic', '# RCA\n## Root cause\nradar-sensor stopped.\n').rootCause).toBe('radar-sensor stopped.');
    expect(normaliseAgentOutput('opensre', JSON.stringify({ root_cause: 'radar-sensor stopped', report: 'r', problem_md: 'p', is_noise: false }))).toMatchObject({ status: 'ok', rootCause: 'radar-sensor stopped' });
    const holmes = normaliseAgentOutput('holmesgpt', JSON.stringify([{ issue: {}, result: { result: '# Analysis\n**Root cause:** radar-sensor exited.', tool_calls: [{ description: 'up{job="cms-services"}' }] } }]));
    expect(holmes).toMatchObject({ status: 'ok', rootCause: 'radar-sensor exited.', citedQueries: ['up{job="cms-services"}'] });
    expect(normaliseAgentOutput('opensre', '{}').status).toBe('empty');
  });
});

describe('the hallucination check', () => {
  it('accepts every name of the catalogue', () => {
    expect(findFabrications('`cms_fusion_queue_depth`, `otlp_cms_fusion_queue_depth`, cms_fusion_processing_seconds_bucket, `dds_incompatible_qos`, env_qos_override and {service_name="track-fusion"} |= "fusion_queue_full_dropping"; `tactical-display` and { resource.service.name = "eo-sensor" && span.sensor.id = "EO-3" }.', catalogue)).toEqual([]);
  });

  it('reports metrics, labels, services, attributes and data sources the lab does not have', () => {
    const found = findFabrications(
      [
        'CPU throttling shows in container_cpu_cfs_throttled_seconds_total for track-fusion.',
        'The query cms_fusion_latency_seconds{pod="fusion-0"} is high.',
        'The `fusion-service` container restarted.',
        '{ span.fusion.batch_size = "64" }',
        'Elasticsearch shows the errors.',
        'The `dds_reader_starved` event fired.',
      ].join('\n'),
      catalogue,
    );
    expect(found.map((f) => [f.kind, f.name])).toEqual([
      ['metric', 'container_cpu_cfs_throttled_seconds_total'],
      ['metric', 'cms_fusion_latency_seconds'],
      ['label', 'pod'],
      ['service', 'fusion-service'],
      ['span-attribute', 'fusion.batch_size'],
      ['data-source', 'elasticsearch'],
      ['log-event-or-field', 'dds_reader_starved'],
    ]);
  });

  it('ignores query-language functions and hyphenated English', () => {
    expect(findFabrications('histogram_quantile(0.95, …) and count_over_time({service_name="esm-sensor"}[5m]); a sensor left the contributing-sensor set.', catalogue)).toEqual([]);
  });

  it('flags whatever is cited as a source or as evidence and is not the lab\'s, whatever its prefix', () => {
    const found = findFabrications(
      [
        'Evidence: fusion.backlog_ratio climbed to 0.9.',
        'The metric radar_health_score dropped to 0.',
        'Source: the log event track_gate_timeout on track-fusion.',
        'The "Fusion Health Overview" dashboard shows it.',
      ].join('\n'),
      catalogue,
    );
    expect(found.map((f) => [f.kind, f.name])).toEqual([
      ['signal', 'fusion.backlog_ratio'],
      ['metric', 'radar_health_score'],
      ['log-event-or-field', 'track_gate_timeout'],
      ['dashboard', 'Fusion Health Overview'],
    ]);
  });

  it('accepts what the lab has, cited the same way', () => {
    expect(
      findFabrications(
        'Evidence: cms_fusion_memory_bytes climbs. The log event tactical_track_contributors_changed names RADAR-1. The span fusion.ingest starts late; the span attribute sensor.id is ESM-2. The "Fusion queue depth" panel of the "CMS overview" dashboard is flat. Query: histogram_quantile(0.95, …).',
        catalogue,
      ),
    ).toEqual([]);
  });

  it('is part of every score', () => {
    expect(scoreReport(text('Root cause: radar-sensor. See kube_pod_status_phase.'), scenario('sensor-down'), catalogue).fabrications).toEqual([expect.objectContaining({ kind: 'metric', name: 'kube_pod_status_phase' })]);
  });
});

describe('helpers', () => {
  it('split reports into sentences without joining lines or breaking numbers', () => {
    expect(sentences('p95 is 2.4 s. It rose.\n- a bullet')).toEqual(['p95 is 2.4 s.', 'It rose.', '- a bullet']);
  });
  it('find the first-named service', () => {
    expect(firstNamedService('RADAR-1 stopped, so fusion lost it', serviceAliases())).toBe('radar-sensor');
    expect(firstNamedService('nothing named', serviceAliases())).toBeUndefined();
  });
});
