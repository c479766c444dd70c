/**
 * The rendered Prometheus config and rules, checked by Debian's promtool:
 * syntax (check config / check rules) and behaviour (test rules): each rule
 * fires on its signal only after its `for`, with the labels and annotations
 * agents will see, and nothing fires on the healthy baseline (3 tracks,
 * ~47 source tracks/s, every target up).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { ALERT_RULES, type AlertRule, alertRule, pipelineNameFor } from '../../../model/alerts';
import { buildLabModel } from '../../../model/lab';
import { expandAlertTemplate } from '../../../model/render/alert-template';
import { CMS_JOB, prometheusConfig, prometheusRules, runbookUrl, toYaml } from '../../../model/render/prometheus';
import { CMS_SERVICES, serviceSpec } from '../../../model/services';
import { STEADY_STATE } from '../../../model/simulation';

const lab = buildLabModel();
const dir = mkdtempSync(path.join(os.tmpdir(), 'cms-promtool-'));
writeFileSync(path.join(dir, 'rules.yml'), toYaml(prometheusRules(lab)));
writeFileSync(path.join(dir, 'prometheus.yml'), toYaml(prometheusConfig(lab, { ruleFiles: ['rules.yml'] })));

function promtool(...args: string[]) {
  const result = spawnSync('promtool', args, { cwd: dir, encoding: 'utf8' });
  if (result.error) throw new Error(`promtool is not installed (the test command installs Debian's prometheus package): ${result.error.message}`);
  return result;
}

// ---- synthetic series, 5 s apart like the lab's scrape interval ---------------------------------

const STEP_S = 5;
const SAMPLES = 160; // 800 s
type Series = { series: string; values: string };

function selector(name: string, labels: Record<string, string>): string {
  return `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}

function target(service: (typeof CMS_SERVICES)[number]['name']): Record<string, string> {
  return { job: CMS_JOB, instance: `${service}:${serviceSpec(service).metricsPort}`, service_name: service };
}

/** Constant value, or `before` until `fromS` then `after`. */
function gauge(before: number, after = before, fromS = Infinity): string {
  if (!Number.isFinite(fromS)) return `${before}x${SAMPLES}`;
  const n = fromS / STEP_S;
  return `${before}x${n - 1} ${after}x${SAMPLES - n}`;
}

/** Counter increasing by `per5s`, then by `afterPer5s` from `fromS`. */
function counter(per5s: number, afterPer5s = per5s, fromS = Infinity): string {
  if (!Number.isFinite(fromS)) return `0+${per5s}x${SAMPLES}`;
  const n = fromS / STEP_S;
  const atSwitch = per5s * (n - 1);
  return `0+${per5s}x${n - 1} ${atSwitch + afterPer5s}+${afterPer5s}x${SAMPLES - n}`;
}

interface Overrides {
  downFrom?: number;
  slowFrom?: number;
  tracksFrom?: number;
  floodFrom?: number;
  queueFrom?: number;
  removedFrom?: number;
  memoryFrom?: number;
  /** Seconds at which tactical-display's process is started again. */
  displayStartsAtS?: readonly number[];
}

function seriesFor(o: Overrides = {}): Series[] {
  const out: Series[] = [];
  for (const s of CMS_SERVICES) {
    out.push({ series: selector('up', target(s.name)), values: s.name === 'radar-sensor' && o.downFrom ? gauge(1, 0, o.downFrom) : gauge(1) });
  }
  for (const { name, sensor } of CMS_SERVICES.filter((s) => s.sensor).map((s) => ({ name: s.name, sensor: s.sensor as NonNullable<typeof s.sensor> }))) {
    const per5s = Math.round(sensor.rateHz * sensor.detectionProbability * STEADY_STATE.activeTracks * STEP_S);
    const values = name === 'radar-sensor' && o.floodFrom ? counter(per5s, 600 * STEP_S, o.floodFrom) : counter(per5s);
    out.push({ series: selector('cms_sensor_published_total', { ...target(name), sensor_id: sensor.sensorId }), values });
  }
  const starts = [...(o.displayStartsAtS ?? [])];
  const startAt = (t: number) => starts.filter((s) => s <= t).at(-1) ?? 0;
  out.push({ series: selector('process_start_time_seconds', target('tactical-display')), values: Array.from({ length: SAMPLES }, (_, i) => String(1000 + startAt(i * STEP_S))).join(' ') });
  const fusion = target('track-fusion');
  out.push({ series: selector('cms_fusion_active_tracks', fusion), values: o.tracksFrom ? gauge(STEADY_STATE.activeTracks, 2, o.tracksFrom) : gauge(STEADY_STATE.activeTracks) });
  out.push({ series: selector('cms_fusion_queue_depth', fusion), values: o.queueFrom ? gauge(0, 1500, o.queueFrom) : gauge(0) });
  out.push({ series: selector('cms_fusion_memory_bytes', fusion), values: o.memoryFrom ? gauge(80e6, 250e6, o.memoryFrom) : gauge(80e6) });
  out.push({ series: selector('cms_fusion_contributors_changed_total', { ...fusion, change: 'added' }), values: gauge(6) });
  out.push({ series: selector('cms_fusion_contributors_changed_total', { ...fusion, change: 'removed' }), values: o.removedFrom ? gauge(0, 1, o.removedFrom) : gauge(0) });
  // latency: every observation under 10 ms; when slow, 10% of them land in (0.5, 1] s, so p95 = 0.75 s
  const fast = 235; // ~47/s × 5 s
  const slowShare = o.slowFrom ? 0.1 * fast : 0;
  for (const le of ['0.005', '0.01', '0.5', '1', '+Inf']) {
    const before = le === '0.005' ? 200 : fast;
    const after = le === '0.005' ? 200 - 20 : Number(le) >= 1 || le === '+Inf' ? fast : fast - slowShare;
    out.push({ series: selector('cms_fusion_processing_seconds_bucket', { ...fusion, le }), values: o.slowFrom ? counter(before, after, o.slowFrom) : counter(before) });
  }
  return out;
}

function expected(rule: AlertRule, labels: Record<string, string>, value: number): Record<string, unknown> {
  const expand = (template: string) => expandAlertTemplate(template, labels, value);
  return {
    exp_labels: { alertname: rule.uid, severity: rule.severity, pipeline_name: pipelineNameFor(rule, labels), ...labels },
    exp_annotations: { summary: expand(rule.summary), description: expand(rule.description), runbook_url: runbookUrl(lab, rule) },
  };
}

const fusionLabels = target('track-fusion');
const radarLabels = target('radar-sensor');

const FIRING_CASES: Array<{ rule: string; overrides: Overrides; quietAtS: number; firingAtS: number; labels: Record<string, string>; value: number }> = [
  { rule: 'sensor-down', overrides: { downFrom: 60 }, quietAtS: 80, firingAtS: 100, labels: radarLabels, value: 1 },
  { rule: 'fusion-latency-high', overrides: { slowFrom: 60 }, quietAtS: 100, firingAtS: 300, labels: {}, value: 0.75 },
  { rule: 'tactical-tracks-collapsed', overrides: { tracksFrom: 60 }, quietAtS: 100, firingAtS: 200, labels: fusionLabels, value: 1 },
  { rule: 'sensor-flood', overrides: { floodFrom: 60 }, quietAtS: 60, firingAtS: 200, labels: { sensor_id: 'RADAR-1' }, value: 600 },
  { rule: 'fusion-queue-deep', overrides: { queueFrom: 60 }, quietAtS: 100, firingAtS: 200, labels: fusionLabels, value: 1500 },
  { rule: 'fusion-contributors-dropped', overrides: { removedFrom: 60 }, quietAtS: 70, firingAtS: 100, labels: {}, value: 1 },
  { rule: 'fusion-memory-elevated', overrides: { memoryFrom: 60 }, quietAtS: 100, firingAtS: 200, labels: fusionLabels, value: 250e6 },
  // a restart loop: a new process every 10 s from 100 s; the fifth start (140 s) arms it, its 30 s `for` fires it
  { rule: 'service-restarting', overrides: { displayStartsAtS: [100, 110, 120, 130, 140, 150] }, quietAtS: 150, firingAtS: 200, labels: target('tactical-display'), value: 6 },
];

describe('Prometheus config and rules rendered from the model', () => {
  it('pass promtool check config (with the rules file)', () => {
    const result = promtool('check', 'config', 'prometheus.yml');
    expect(result.stderr + result.stdout).toMatch(/SUCCESS/);
    expect(result.status).toBe(0);
  });

  it('pass promtool check rules', () => {
    const result = promtool('check', 'rules', 'rules.yml');
    expect(result.stdout).toContain(`SUCCESS: ${ALERT_RULES.length} rules found`);
    expect(result.status).toBe(0);
  });

  it('fire each rule on its signal after its for, with the labels and annotations agents receive, and stay silent on the healthy baseline (promtool test rules)', () => {
    const allQuiet = (t: number) => ALERT_RULES.map((r) => ({ eval_time: `${t}s`, alertname: r.uid, exp_alerts: [] }));
    const tests = [
      { name: 'healthy baseline', interval: `${STEP_S}s`, input_series: seriesFor(), alert_rule_test: [30, 120, 400, 790].flatMap(allQuiet) },
      ...FIRING_CASES.map((c) => {
        const rule = alertRule(c.rule);
        const tests = [
          { eval_time: `${c.quietAtS}s`, alertname: rule.uid, exp_alerts: [] },
          { eval_time: `${c.firingAtS}s`, alertname: rule.uid, exp_alerts: [expected(rule, c.labels, c.value)] },
        ];
        return { name: c.rule, interval: `${STEP_S}s`, input_series: seriesFor(c.overrides), alert_rule_test: tests };
      }),
      {
        // what a test run does to one service (a reset, the fault's variant, its revert) within two minutes is no restart loop
        name: 'service-restarting stays quiet on three starts',
        interval: `${STEP_S}s`,
        input_series: seriesFor({ displayStartsAtS: [100, 130, 200] }),
        alert_rule_test: [230, 260, 320].map((t) => ({ eval_time: `${t}s`, alertname: 'service-restarting', exp_alerts: [] })),
      },
      {
        // the early rule resolves once the 2 m increase window has passed the change
        name: 'fusion-contributors-dropped resolves',
        interval: `${STEP_S}s`,
        input_series: seriesFor({ removedFrom: 60 }),
        alert_rule_test: [{ eval_time: '400s', alertname: 'fusion-contributors-dropped', exp_alerts: [] }],
      },
    ];
    writeFileSync(path.join(dir, 'tests.yml'), stringify({ rule_files: ['rules.yml'], evaluation_interval: `${lab.observability.evaluationIntervalS}s`, tests }, { lineWidth: 0 }));
    const result = promtool('test', 'rules', 'tests.yml');
    expect(result.stdout + result.stderr).not.toMatch(/FAILED/);
    expect(result.status).toBe(0);
  });
});
