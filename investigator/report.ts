/** The readable report of an investigation (markdown), from its structured result. */
import type { InvestigationResult } from './investigate';

export function renderReport(r: Omit<InvestigationResult, 'report' | 'answer'>): string {
  const lines = [
    `# Investigation of "${r.alert.name}"`,
    '',
    `Alert${r.alert.rule ? ` (rule \`${r.alert.rule}\`)` : ''} started ${r.alert.startsAt}${r.alert.pipelineName ? `, pipeline \`${r.alert.pipelineName}\`` : ''}.`,
    '',
    '## Root cause',
    r.rootCause.service ? `**${r.rootCause.service}** — ${r.rootCause.category}. ${r.rootCause.summary}` : r.rootCause.summary,
    '',
    `Confidence: ${(r.confidence * 100).toFixed(0)}%.`,
    '',
  ];
  for (const c of r.furtherCauses) lines.push('## A further, independent root cause', `**${c.service}** — ${c.category}. ${c.summary}`, '');
  if (r.evidence.length) {
    lines.push('## Evidence', ...r.evidence.map((e) => `- ${e.finding} — \`${e.query}\`${e.exploreUrl ? ` ([explore](${e.exploreUrl}))` : ''}`), '');
  }
  lines.push('## Remediation', r.remediation, '');
  if (r.propagation.length) lines.push('## Propagation', ...r.propagation.map((p, i) => `${i + 1}. ${p}`), '');
  if (r.hypotheses.length > 1 && r.rootCause.service) {
    const top = r.hypotheses[0];
    // when the mechanism is undetermined, the hypotheses that tie with the top one are alternatives not told apart, not ruled out
    const tied = r.rootCause.category === 'undetermined' ? r.hypotheses.filter((h) => h.service === top.service && h.score >= top.score - 0.5) : [];
    if (tied.length) lines.push('## Alternatives not told apart', ...tied.map((h) => `- ${h.service} as ${h.category} (support ${h.score.toFixed(1)}).`), '');
    const weaker = r.hypotheses.slice(1).filter((h) => !tied.includes(h) && !r.furtherCauses.some((c) => c.service === h.service && c.category === h.category));
    if (weaker.length) lines.push('## Weaker hypotheses, ruled out', ...weaker.map((h) => `- Ruled out: ${h.service} as ${h.category} (support ${h.score.toFixed(1)} against ${top.score.toFixed(1)}).`), '');
  }
  if (r.missingSources.length) lines.push('## Evidence not gathered', ...r.missingSources.map((m) => `- ${m}`), '');
  lines.push(`_${r.queries} queries in ${(r.durationMs / 1000).toFixed(2)} s, deterministic baseline investigator (no LLM)._`, '');
  return lines.join('\n');
}
