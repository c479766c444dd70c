/**
 * How a report may name a signal of the telemetry contract in words: for
 * the scorer's evidence-by-meaning check ("the radar's scrape target went
 * away" cites `up`; "heartbeats show dropped messages" cites
 * `sensor_heartbeat`). Keyed by the contract's own names (a test holds
 * every key against it); each phrase is a case-insensitive regular
 * expression. Every signal is also recognised by its name and by its name
 * in words (`contributors changed`), derived from the contract.
 */
import { LOG_EVENTS, METRICS, RUNTIME_METRICS, SPANS } from './telemetry';

const MEMORY_GROWTH = ['(resident |rss |heap )?memory[^.]{0,40}(grow|grew|climb|increas|ris(e|es|ing)|rose|balloon|keeps going up|steadily)', '(grow|grew|climb|increas|rising|rose)[^.]{0,20}(resident )?memory', '\\brss\\b[^.]{0,30}(grow|grew|climb|increas|rising|rose)'];
const INCOMPATIBLE_QOS = ['incompatible[- ]qos', 'qos[^.]{0,20}(incompatib|mismatch)', '(requested|offered)[- ]incompatible'];

export const SIGNAL_PHRASES: Readonly<Record<string, readonly string[]>> = {
  up: [
    'scrape[sd]?[^.]{0,30}(down|fail\\w*|missing|unreachable|timing out|timed out)',
    '(target|endpoint|instance)s?[^.]{0,20}\\b(is|was|went|are|were|shows?)\\b[^.]{0,10}(down|unreachable|missing|away|unscrapable)',
    '(fail(ed|ing|s)?|missing) scrapes?',
    'unscrapable',
    '(stopped|no longer|not) (being )?scraped',
    'up (metric|series|==? ?0|= ?0|dropped to 0)',
  ],
  cms_sensor_published_total: ['publish(ing|ed)?[- ]rate(?![- ](alert|anomaly|rule|page))', 'rate (of|at which)[^.]{0,30}publish', 'publish(es|ed|ing)?[^.]{0,40}(per second|/s\\b|times (its|the) (declared|configured|normal|usual))', 'published samples', '(still |keeps? )publish(es|ing)'],
  sensor_heartbeat: ['heartbeats?'],
  sensor_started: ['target[_ ]rate', 'configured (scan |publish )?rate', 'start(ed|up)[^.]{0,40}(rate|target_rate|configuration) (of|at|set to)'],
  cms_fusion_ingested_total: ['\\bingest(ion|ed|s|ing)?\\b( rate)?', 'receiv(es|ed|ing) (nothing|no (samples|data|tracks))', '(fusion|track-fusion)[^.]{0,20}(gets|sees|hears) (nothing|no (samples|data|tracks))'],
  tactical_track_contributors_changed: ['contributors?[^.]{0,20}(changed|removed|dropped|left|lost)', '(left|dropped (out of|from)|removed from) (every|all|the) (tactical )?tracks?', 'lost (as a )?contributor'],
  service_stopping: ['(orderly|graceful|clean) (stop|shutdown|exit)', 'shut ?down (log|message|event|record)', 'logged (a |an )?(stop|shutdown|sigterm)', '\\bsigterm\\b', '\\bstop (log|message|event|record)', 'logs (simply |just )?(end|stop|cease)'],
  service_starting: ['(was |had been |got )restarted (just |shortly )?before', 'start(ed)? (just |shortly )?before the (growth|leak|climb|increase)'],
  cms_dds_incompatible_qos_total: INCOMPATIBLE_QOS,
  dds_incompatible_qos: INCOMPATIBLE_QOS,
  dds_writer_ready: ['writer[^.]{0,20}ready', 'qos[_ ]profile', 'qos[_ ]override', 'env_qos_override', 'exclusive[_ ]ownership'],
  cms_fusion_memory_bytes: MEMORY_GROWTH,
  process_resident_memory_bytes: MEMORY_GROWTH,
  cms_fusion_processing_seconds: ['processing (latency|time|duration|delay)', 'p9[59]\\b[^.]{0,30}(latency|processing)', '(end-to-end|pipeline) latency', 'latency[^.]{0,40}\\bslo\\b'],
  process_cpu_seconds_total: ['cpu (use|usage|time|seconds|consumption|utili[sz]ation)[^.]{0,40}(pinned|flat|capped|constant|limited|low|throttl)', '(cpu|it)[^.]{0,20}(pinned|capped|flat(lines?)?|throttl(ed|ing))', 'cpu throttling'],
  'fusion.ingest': ['ingest spans?', 'spans?[^.]{0,30}(start|begin)[^.]{0,30}(late|after|behind)'],
  'sensor.scan.<sensor_id>': ['scan spans?', 'no (new )?(radar |sensor )?(scan )?(spans|traces)', 'traces?[^.]{0,20}(stopped|ended|ceased|gone)'],
};

/** Every signal name of the contract (metrics, runtime metrics, log events, spans). */
export function contractSignals(): string[] {
  return [...METRICS.map((m) => m.name), ...RUNTIME_METRICS, 'up', ...LOG_EVENTS.map((e) => e.event), ...SPANS.map((s) => s.name)];
}

/** A signal's name in words (`tactical_track_contributors_changed` → "tactical track contributors changed"), without the namespace and unit. */
export function signalInWords(signal: string): string | undefined {
  if (signal === 'up' || !/[_.]/.test(signal)) return undefined;
  const words = signal
    .replace(/^cms_/, '')
    .replace(/_(total|seconds|bytes)$/, '')
    .replace(/\.<[^>]+>$/, '')
    .split(/[_.]/);
  return words.length > 1 ? words.join(' ') : undefined;
}

/** The spelt-out span name for a concrete one (`sensor.scan.RADAR-1` → `sensor.scan.<sensor_id>`), so its phrases are found. */
export function contractSignalOf(signal: string): string {
  const span = SPANS.find((s) => s.name.includes('<') && signal.startsWith(s.name.slice(0, s.name.indexOf('<'))));
  return span ? span.name : signal;
}
