/**
 * Expands the subset of Go templates the lab's alert annotations use —
 * `{{ $labels.<name> }}` and `{{ printf "%.<n>f" $value }}` — the way
 * Prometheus and Grafana do, for payloads rendered without a running
 * Grafana. The promtool tests compare these expansions with Prometheus's.
 */

const SUPPORTED = /\{\{ (\$labels\.\w+|printf "%\.\d+f" \$value) \}\}/g;

export function expandAlertTemplate(template: string, labels: Readonly<Record<string, string>>, value: number): string {
  const expanded = template.replace(SUPPORTED, (_match, inner: string) => {
    if (inner.startsWith('$labels.')) return labels[inner.slice('$labels.'.length)] ?? '';
    const digits = Number(/%\.(\d+)f/.exec(inner)?.[1]);
    return value.toFixed(digits);
  });
  if (expanded.includes('{{')) throw new Error(`unsupported template construct in: ${template}`);
  return expanded;
}
