/**
 * Everything an agent can read of the lab, scanned for each scenario's name
 * and the words that give its fault away: the page it is handed, the
 * Grafana content (dashboards, runbooks, alert rules), the telemetry
 * catalogue, and what the lab stack and each scenario stack show of their
 * containers (names, hostnames, labels, network aliases). The scenario docs
 * (`expected_rca.md`) are the one place these words belong, and agents never
 * read them.
 */
import { Testing } from 'cdktf';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { overviewDashboard, runbooksDashboard } from '../../grafana/dashboards';
import { runbookMarkdown } from '../../grafana/runbooks';
import { ensureAdminPassword, ensureAgentDirs, hostPaths } from '../../lib/host-paths';
import { buildLabModel } from '../../model/lab';
import { telemetryCatalogue } from '../../runner/catalogue';
import { SCENARIOS } from '../../scenarios';
import { agentView, scenarioAlert } from '../../scenarios/render';
import { LabStack } from '../../stacks/lab-stack';
import { ScenarioStack } from '../../stacks/scenario-stack';

const lab = buildLabModel();

/**
 * Words that name how a fault was made (the chaos hooks and the fault kinds), never a symptom. Words of
 * a candidate cause (a leak, a detached container) may appear: runbooks name several causes per alert.
 */
const FAULT_WORDS = ['CMS_FORCE_QOS', 'FOREIGN_PARTITION', 'CMS_LEAK_RATE_BYTES', 'stop-service', 'restart-with', 'network-detach', 'cpu-quota', 'freeze', 'docker pause', 'scenario'];

function containersShown(json: string): string {
  const tf = JSON.parse(json) as { resource?: { docker_container?: Record<string, { name: string; hostname?: string; labels?: unknown; networks_advanced?: Array<{ aliases?: string[] }> }> } };
  return JSON.stringify(Object.values(tf.resource?.docker_container ?? {}).map((c) => ({ name: c.name, hostname: c.hostname, labels: c.labels, aliases: c.networks_advanced?.map((n) => n.aliases) })));
}

describe('what an agent can read', () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'cms-agent-visible-'));
  const paths = hostPaths({ CMS_LAB_HOME: home });
  ensureAdminPassword(paths, {});
  ensureAgentDirs(paths, ['opensre']);
  const shared = [
    JSON.stringify(overviewDashboard(lab)),
    JSON.stringify(runbooksDashboard(lab)),
    ...lab.alertRules.map((rule) => runbookMarkdown(lab, rule)),
    JSON.stringify(lab.alertRules.map((r) => ({ title: r.title, summary: r.summary, description: r.description }))),
    JSON.stringify(telemetryCatalogue(lab)),
    containersShown(Testing.synth(new LabStack(Testing.app(), 'lab', { lab, paths }))),
  ].join('\n');

  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s: no page, dashboard, runbook, rule, catalogue entry or container names it or how it was made', (name, spec) => {
    const visible = [shared, JSON.stringify(agentView(scenarioAlert(spec, lab))), containersShown(Testing.synth(new ScenarioStack(Testing.app(), `scenario-${name}`, { lab, scenario: spec })))].join('\n');
    // a scenario named like the alert it fires (sensor-down) is named by its symptom, not its cause
    const names = lab.alertRules.some((r) => r.uid === name) ? [] : [name];
    for (const word of [...names, ...FAULT_WORDS]) {
      expect({ scenario: name, word, found: visible.toLowerCase().includes(word.toLowerCase()) }).toEqual({ scenario: name, word, found: false });
    }
  });
});
