/**
 * The fabrication check: every metric, label, log event, span, service,
 * dashboard and data source a report cites is looked up in the lab's
 * telemetry catalogue; what is absent is reported as fabricated, with the
 * sentence that cites it. Citations are recognised by shape (snake_case
 * identifiers that look like metrics or are written as code, label names
 * inside selectors, TraceQL attributes, hyphenated service names,
 * observability products the lab does not have) and by use: any identifier
 * a report cites as a source or as evidence — right after "metric",
 * "evidence", "source", "query", "log event", "dashboard"… — whatever its
 * prefix.
 */
import type { TelemetryCatalogue } from './catalogue';

export interface Fabrication {
  readonly kind: 'metric' | 'label' | 'log-event-or-field' | 'span-attribute' | 'service' | 'data-source' | 'dashboard' | 'signal';
  readonly name: string;
  readonly sentence: string;
}

const METRIC_PREFIX = /^(cms|process|nodejs|otlp|container|node|go|kube|http|grpc|scrape|prometheus|jvm|python|dds|fusion|sensor)_/;
/** Prefixes of metric families (the others above may also start log events, e.g. dds_…). */
const METRIC_FAMILY = /^(cms|process|nodejs|otlp|container|node|go|kube|http|grpc|scrape|prometheus|jvm|python)_/;
const METRIC_SUFFIX = /_(total|seconds|bytes|bucket|count|sum|ratio|info|depth|percent|milliseconds|ms)$/;
const TRACEQL_INTRINSICS = new Set(['name', 'status', 'duration', 'kind', 'rootName', 'rootServiceName', 'traceDuration', 'statusMessage', 'service.name', 'service_name']);
const SERVICE_SHAPE = /(?<![\w./-])([a-z][a-z0-9]*(?:-[a-z0-9]+)*-(?:sensor|fusion|evaluator|center|centre|manager|display|service|collector|gateway|server|api|db|database|broker|worker|proxy))(?![\w-])/g;
/** A hyphenated name counts as a cited service only where a service is meant: as code, quoted, a label value, or followed by service/container/pod. */
const SERVICE_CONTEXT_BEFORE = /(`|"|'|\*\*|service_name\s*=~?\s*"|container\s+|service\s+)$/i;
const SERVICE_CONTEXT_AFTER = /^(`|"|'|\*\*|\s+(service|container|pod|process)\b)/i;
const FOREIGN_SOURCES = /\b(elasticsearch|opensearch|datadog|cloudwatch|splunk|jaeger|zipkin|kibana|new ?relic|influxdb|graphite|honeycomb|sentry|dynatrace|appdynamics|kubectl|kubernetes|k8s|cadvisor|node[_-]exporter)\b/gi;

/** Words after which the next identifier is cited as a source or as evidence, and what kind of thing it then is. */
const CITATION_CUES: ReadonlyArray<readonly [RegExp, Fabrication['kind']]> = [
  [/\b(metrics?|counters?|gauges?|histograms?|series|time ?series)\b/i, 'metric'],
  [/\b(log (events?|lines?|records?|messages?)|events?|log fields?|fields?)\b/i, 'log-event-or-field'],
  [/\b(span attributes?|attributes?|spans?)\b/i, 'span-attribute'],
  [/\b(evidence|sources?|signals?|quer(y|ied|ies)|logs?|traces?)\b/i, 'signal'],
];
/** A line that only labels the agent's own conclusion (OpenSRE's "Classification: …" trace step). */
const CLASSIFICATION_LINE = /^\W*(\d+\.\s*)?(classification|category|verdict)\s*:\s*[\w -]+\.?$/i;
/** What counts as an identifier when cited: a word joined by `_`, `.` or `:` (not a number, version or file). */
const CITED_IDENTIFIER = /^[A-Za-z][A-Za-z0-9]*(?:[_.:][A-Za-z0-9]+)+$/;
const NOT_A_SIGNAL = /\.(ts|js|json|ya?ml|md|go|py|log|txt|sh)$|^(e\.g|i\.e|etc|vs)\b|^\w+:\d+$/i;

function citedByUse(line: string): Array<{ name: string; kind: Fabrication['kind'] }> {
  const found: Array<{ name: string; kind: Fabrication['kind'] }> = [];
  for (const [cue, kind] of CITATION_CUES) {
    for (const m of line.matchAll(new RegExp(cue.source, 'gi'))) {
      // the next word or two after the cue, past "the", ":", "=", "named"…
      const after = line.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 60);
      const next = /^\s*(?:[:=(]|\b(?:named|called|from|in|of|via|is|was|the|a|an)\b|\s)*\s*[`"'*]*([A-Za-z][\w.:]*)/.exec(after);
      if (!next) continue;
      const name = next[1].replace(/[.:]+$/, '');
      // a function of the query language (histogram_quantile(…)), not a citation
      const rest = after.slice((next.index ?? 0) + next[0].length);
      if (/^\s*\(/.test(rest)) continue;
      if (CITED_IDENTIFIER.test(name) && !NOT_A_SIGNAL.test(name)) found.push({ name, kind });
    }
  }
  return found;
}

/** Dashboards and panels named in quotes after "dashboard" / "panel". */
function dashboardsCited(line: string): string[] {
  return [...line.matchAll(/\b(?:dashboard|panel)s?\s*[:"“'`]\s*([^"”'`]{3,60})["”'`]|["“']([^"”']{3,60})["”']\s+(?:dashboard|panel)\b/gi)].map((m) => (m[1] ?? m[2]).trim());
}

function lines(text: string): string[] {
  return text.split(/\n+/).map((l) => l.trim()).filter(Boolean);
}

export function findFabrications(text: string, catalogue: TelemetryCatalogue): Fabrication[] {
  const known = new Set<string>([...catalogue.metrics, ...catalogue.labels, ...catalogue.logEvents, ...catalogue.logFields, ...catalogue.spanAttributes, ...catalogue.identifiers, ...catalogue.datasources]);
  const metrics = new Set(catalogue.metrics);
  const services = new Set(catalogue.services);
  const knownLower = new Set([...known, ...catalogue.spans, ...catalogue.alertRules, ...catalogue.services].map((k) => k.toLowerCase()));
  const dashboards = new Set(catalogue.dashboards.map((d) => d.toLowerCase()));
  const spanPrefix = (name: string) => catalogue.spans.some((sp) => sp.includes('<') && name.startsWith(sp.slice(0, sp.indexOf('<'))));
  const found = new Map<string, Fabrication>();
  const add = (f: Fabrication) => {
    const key = `${f.kind}:${f.name}`;
    if (!found.has(key)) found.set(key, f);
  };
  for (const raw of lines(text)) {
    // an agent's own verdict label ("Classification: process_stopped"), not a source it cites
    if (CLASSIFICATION_LINE.test(raw)) continue;
    const line = raw.replace(/https?:\/\/\S+/g, ' ');
    // metric-shaped identifiers anywhere; any snake_case identifier written as code or quoted
    for (const m of line.matchAll(/(?<![\w.$-])([a-z_][a-z0-9_]*_[a-z0-9_]+)(?![\w-])/g)) {
      const name = m[1];
      const metricShaped = METRIC_PREFIX.test(name) || METRIC_SUFFIX.test(name);
      // a function of the query language (histogram_quantile(…), count_over_time(…)), not a citation
      if (/^\s*\(/.test(line.slice((m.index ?? 0) + name.length))) continue;
      const before = line[(m.index ?? 0) - 1];
      const asCode = before === '`' || before === '"' || before === "'" || line[(m.index ?? 0) + name.length] === '{' || line[(m.index ?? 0) + name.length] === '[';
      if (!metricShaped && !asCode) continue;
      if (known.has(name)) continue;
      // a fragment searched for (*sensor_published*), not a name cited
      const at = m.index ?? 0;
      if ((line[at - 1] === '*' || line[at + name.length] === '*') && [...known].some((k) => k.includes(name))) continue;
      // histogram and OTLP spellings of known metrics
      if (metrics.has(name.replace(/_(bucket|sum|count)$/, ''))) continue;
      add({ kind: METRIC_FAMILY.test(name) || METRIC_SUFFIX.test(name) ? 'metric' : 'log-event-or-field', name, sentence: raw });
    }
    // label names inside selectors: {name="…", name=~"…"}
    for (const selector of line.matchAll(/\{([^{}]*)\}/g)) {
      for (const l of selector[1].matchAll(/(?:^|[,\s{])([a-zA-Z_][\w.]*)\s*(=~|!~|!=|=)\s*["'`]/g)) {
        const label = l[1];
        if (label.startsWith('resource.') || label.startsWith('span.') || label.startsWith('.')) {
          const attribute = label.replace(/^(resource|span)?\./, '');
          if (!TRACEQL_INTRINSICS.has(attribute) && !catalogue.spanAttributes.includes(attribute) && !known.has(attribute)) add({ kind: 'span-attribute', name: attribute, sentence: raw });
        } else if (!known.has(label) && !TRACEQL_INTRINSICS.has(label)) {
          add({ kind: 'label', name: label, sentence: raw });
        }
      }
    }
    for (const s of line.matchAll(SERVICE_SHAPE)) {
      const at = s.index ?? 0;
      const meant = SERVICE_CONTEXT_BEFORE.test(line.slice(Math.max(0, at - 20), at)) || SERVICE_CONTEXT_AFTER.test(line.slice(at + s[1].length));
      if (meant && !services.has(s[1])) add({ kind: 'service', name: s[1], sentence: raw });
    }
    for (const d of line.matchAll(FOREIGN_SOURCES)) add({ kind: 'data-source', name: d[1].toLowerCase(), sentence: raw });
    // cited as a source or as evidence: whatever its shape or prefix, it must be the lab's
    for (const c of citedByUse(line)) {
      const lower = c.name.toLowerCase();
      if (knownLower.has(lower) || knownLower.has(lower.replace(/_(bucket|sum|count)$/, '')) || spanPrefix(c.name) || TRACEQL_INTRINSICS.has(c.name.replace(/^(resource|span)\./, ''))) continue;
      if (/^(resource|span)\./.test(c.name) && known.has(c.name.replace(/^(resource|span)\./, ''))) continue;
      add({ kind: c.kind === 'signal' ? (/_(total|seconds|bytes)$/.test(c.name) ? 'metric' : 'signal') : c.kind, name: c.name, sentence: raw });
    }
    for (const title of dashboardsCited(line)) if (!dashboards.has(title.toLowerCase())) add({ kind: 'dashboard', name: title, sentence: raw });
  }
  return [...found.values()];
}
