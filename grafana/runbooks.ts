/** Runbook of each alert rule, rendered from the model (markdown). */
import type { AlertRule } from '../model/alerts';
import type { LabModel } from '../model/lab';

export function runbookMarkdown(lab: LabModel, rule: AlertRule): string {
  const d = rule.runbook.diagnose;
  const list = (items: readonly string[]) => items.map((i) => `- ${i}`).join('\n');
  const code = (items: readonly string[]) => items.map((i) => `- \`${i}\``).join('\n');
  return [
    `# ${rule.title} (\`${rule.uid}\`)`,
    '',
    `**Severity** ${rule.severity} · **for** ${rule.for} · **expression** \`${rule.expr}\``,
    '',
    '## What it means',
    rule.runbook.means,
    '',
    '## Candidate causes',
    'Weigh these first; the evidence below tells them apart.',
    list(rule.runbook.candidateCauses),
    '',
    '## How to diagnose',
    `Dashboard *${lab.grafana.folder.title} / CMS overview*, panels:`,
    list(d.panels.map((p) => `*${p}*`)),
    '',
    'LogQL (Explore → logs datasource):',
    code(d.logql),
    '',
    'TraceQL (Explore → traces datasource):',
    code(d.traceql),
    '',
    'Questions that tell the causes apart:',
    list(d.distinguish),
    '',
    '## How to mitigate',
    list(rule.runbook.mitigate),
    '',
  ].join('\n');
}
