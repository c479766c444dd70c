/**
 * From anomalies to a ranked list of root-cause hypotheses. Each anomaly
 * supports some (service, category) causes with a weight; each cause
 * explains the symptoms it is expected to produce downstream. The cause
 * with the most support and explanation ranks first; ties go to the most
 * upstream service in the CMS topology (sensors → fusion → threat → command
 * → effector), then to the earliest onset.
 */
import type { ServiceName } from '../model/services';
import { SERVICE_NAMES } from '../model/services';
import type { FaultCategory } from '../model/fault-taxonomy';
import type { Anomaly, AnomalyKind } from './detectors';

/** The fault categories the baseline's detectors can tell apart (a subset of the lab's taxonomy). */
export const DETECTED_CATEGORIES = ['process-stopped', 'network-partition', 'transport-qos-mismatch', 'publish-rate-anomaly', 'cpu-starvation', 'memory-leak'] as const satisfies readonly FaultCategory[];
export type DetectedCategory = (typeof DETECTED_CATEGORIES)[number];

export interface Hypothesis {
  readonly service: ServiceName;
  readonly category: DetectedCategory;
  readonly score: number;
  /** Anomalies that point at this cause. */
  readonly supporting: readonly Anomaly[];
  /** Other anomalies this cause accounts for as symptoms. */
  readonly explains: readonly Anomaly[];
  readonly onset: number;
}

/** What each anomaly says about possible causes of its own service, with weights. */
const SUPPORT: Record<AnomalyKind, ReadonlyArray<readonly [DetectedCategory, number]>> = {
  'scrape-failure': [
    ['process-stopped', 2],
    ['network-partition', 2],
  ],
  'orderly-stop-logged': [['process-stopped', 3]],
  'logs-ended-without-stop': [['network-partition', 3]],
  'traces-stopped': [
    ['process-stopped', 0.5],
    ['network-partition', 0.5],
  ],
  'publish-rate-high': [['publish-rate-anomaly', 4]],
  'rate-config-logged': [['publish-rate-anomaly', 2]],
  'publish-silent': [
    ['process-stopped', 1],
    ['network-partition', 1],
  ],
  'ingest-loss': [['transport-qos-mismatch', 2]],
  'incompatible-qos': [['transport-qos-mismatch', 2]],
  'qos-override-logged': [['transport-qos-mismatch', 3]],
  'latency-high': [['cpu-starvation', 2]],
  'event-loop-lag': [['cpu-starvation', 2]],
  'queue-deep': [
    ['cpu-starvation', 1],
    ['memory-leak', 0.5],
  ],
  'memory-growth': [['memory-leak', 4]],
  restart: [],
  'tracks-low': [],
  // duplicate or ghost tracks: something is wrong, but no detector tells what
  'tracks-high': [],
  // no engagement: the decision chain is off, but nothing here says where
  'engagements-stopped': [],
  'page-condition-holds': [],
  'contributor-removed': [],
  // a slow reader: no category here names it, but it rules out reading its writer's slowness as the writer's own CPU
  'consumer-slow': [],
};

/** Symptoms a cause produces, as anomaly kinds anywhere in the pipeline. */
const SYMPTOMS: Record<DetectedCategory, readonly AnomalyKind[]> = {
  'process-stopped': ['publish-silent', 'contributor-removed', 'tracks-low', 'traces-stopped'],
  'network-partition': ['publish-silent', 'contributor-removed', 'tracks-low', 'traces-stopped'],
  'transport-qos-mismatch': ['contributor-removed', 'restart', 'tracks-low'],
  'publish-rate-anomaly': ['queue-deep', 'latency-high', 'event-loop-lag', 'restart'],
  'cpu-starvation': ['queue-deep', 'tracks-low', 'contributor-removed'],
  'memory-leak': ['restart', 'queue-deep', 'latency-high', 'tracks-low', 'event-loop-lag'],
};

function upstreamIndex(service: ServiceName): number {
  return SERVICE_NAMES.indexOf(service);
}

export function rankHypotheses(anomalies: readonly Anomaly[]): Hypothesis[] {
  const candidates = new Map<string, { service: ServiceName; category: DetectedCategory; score: number; supporting: Anomaly[] }>();
  for (const a of anomalies) {
    for (const [category, weight] of SUPPORT[a.kind]) {
      // an incompatibility seen by a reader points at the writer, not at the reader's own service
      if (a.kind === 'incompatible-qos' && a.details?.side === 'reader') continue;
      const key = `${a.service}/${category}`;
      const c = candidates.get(key) ?? { service: a.service, category, score: 0, supporting: [] };
      c.score += weight;
      c.supporting.push(a);
      candidates.set(key, c);
    }
  }
  const ranked: Hypothesis[] = [...candidates.values()].map((c) => {
    const explains = anomalies.filter((a) => !c.supporting.includes(a) && SYMPTOMS[c.category].includes(a.kind) && (a.kind !== 'restart' || a.service === c.service));
    // readers reporting the same incompatibility corroborate the writer-side cause
    const corroborating = c.category === 'transport-qos-mismatch' ? anomalies.filter((a) => a.kind === 'incompatible-qos' && a.details?.side === 'reader') : [];
    return {
      service: c.service,
      category: c.category,
      score: c.score + 0.5 * explains.length + 0.5 * Math.min(corroborating.length, 2),
      supporting: c.supporting,
      explains: [...explains, ...corroborating],
      onset: Math.min(...c.supporting.map((a) => a.onset)),
    };
  });
  return ranked.sort((a, b) => b.score - a.score || upstreamIndex(a.service) - upstreamIndex(b.service) || a.onset - b.onset);
}

/**
 * Confidence of the top hypothesis: more independent kinds of evidence and
 * a clearer margin over the runner-up raise it; an unresolved look-alike
 * (stopped versus unreachable without logs) lowers it.
 */
export function confidenceOf(ranked: readonly Hypothesis[], logsAvailable: boolean): number {
  const [top, second] = ranked;
  if (!top) return 0.9;
  const kinds = new Set(top.supporting.map((a) => a.kind)).size + new Set(top.explains.map((a) => a.kind)).size * 0.5;
  const margin = second ? (top.score - second.score) / top.score : 1;
  let confidence = 0.3 + 0.1 * kinds + 0.35 * margin;
  if (!logsAvailable && (top.category === 'process-stopped' || top.category === 'network-partition')) confidence *= 0.6;
  return Math.round(Math.min(0.95, Math.max(0.05, confidence)) * 100) / 100;
}
