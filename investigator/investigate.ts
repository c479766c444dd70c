/**
 * The lab's deterministic baseline investigator: no LLM, reading the same
 * surfaces an agent reads. It gathers evidence in parallel (PromQL range
 * queries, LogQL, Tempo search), detects anomalies against the model's
 * healthy pipeline, ranks root-cause hypotheses over the CMS topology and
 * reports the top one with its evidence (each a query and its result,
 * linked to Grafana Explore), remediation, propagation and confidence.
 */
import type { LabModel } from '../model/lab';
import { SERVICE_NAMES, type ServiceName, readersOf } from '../model/services';
import { type AlertContext, parseAlert } from './alert';
import {
  type Anomaly,
  consumerSlow,
  contributorRemovals,
  engagementsStopped,
  pageConditionHolds,
  eventLoopLag,
  inputsAtDeclaredRates,
  incompatibleQos,
  ingestLoss,
  latencyHigh,
  memoryGrowth,
  publishRateAnomalies,
  qosOverrides,
  queueDeep,
  rateConfig,
  removedSensors,
  restarts,
  scrapeFailures,
  serviceOfSensor,
  stopOrSilence,
  tracksHigh,
  tracksLow,
} from './detectors';
import { type Answer, ANSWER_SCHEMA_ID } from '../runner/answer/contract';
import type { RemediationAction } from '../model/fault-taxonomy';
import { selectedMetrics } from '../model/promql';
import { SPANS } from '../model/telemetry';
import { type DetectedCategory, type Hypothesis, confidenceOf, rankHypotheses } from './ranking';
import { renderReport } from './report';
import { SourceError, type Series, type Sources } from './sources';

export interface EvidenceItem {
  readonly source: 'prometheus' | 'logs' | 'traces';
  readonly query: string;
  readonly finding: string;
  /** Grafana Explore link that reproduces the query. */
  readonly exploreUrl?: string;
}

/** Support a cause on another service needs to be reported beside the first, as a fault of its own. */
const INDEPENDENT_CAUSE_MIN_SCORE = 4;

export interface InvestigationResult {
  readonly agent: 'baseline';
  readonly alert: { readonly name: string; readonly rule?: string; readonly startsAt: string; readonly pipelineName?: string };
  /** The root cause, or `service: null` when nothing is wrong. */
  readonly rootCause: { readonly service: ServiceName | null; readonly category: DetectedCategory | 'undetermined' | 'none'; readonly summary: string };
  /** Root causes on other services that stand on evidence of their own, none of it explained by the first (several faults at once). */
  readonly furtherCauses: ReadonlyArray<{ readonly service: ServiceName; readonly category: DetectedCategory; readonly summary: string }>;
  readonly evidence: readonly EvidenceItem[];
  readonly remediation: string;
  readonly propagation: readonly string[];
  readonly confidence: number;
  readonly hypotheses: ReadonlyArray<{ service: string; category: string; score: number }>;
  /** Evidence the investigator could not gather, and why. */
  readonly missingSources: readonly string[];
  readonly queries: number;
  readonly durationMs: number;
  /** Readable report (markdown). */
  readonly report: string;
  /** The same conclusion in the lab's answer contract (runner/answer/contract.ts). */
  readonly answer: Answer;
}

export interface InvestigateOptions {
  readonly lab: LabModel;
  readonly sources: Sources;
  /** Evaluation time, seconds since the epoch. @default now */
  readonly now?: number;
  /** How far before the alert to look, seconds. @default 300 */
  readonly lookbackS?: number;
  /** Grafana root URL for Explore links. @default the lab's host URL */
  readonly grafanaUrl?: string;
}

export const QUERIES = {
  up: 'up{job="cms-services"}',
  publish: 'sum by (sensor_id) (rate(cms_sensor_published_total[30s]))',
  ingest: 'sum by (sensor_id) (rate(cms_fusion_ingested_total[30s]))',
  latency: 'histogram_quantile(0.95, sum(rate(cms_fusion_processing_seconds_bucket[1m])) by (le))',
  queue: 'cms_fusion_queue_depth',
  memory: 'cms_fusion_memory_bytes',
  tracks: 'cms_fusion_active_tracks',
  removed: 'sum(increase(cms_fusion_contributors_changed_total{change="removed"}[1m]))',
  incompatible: 'cms_dds_incompatible_qos_total',
  starts: 'process_start_time_seconds{job="cms-services"}',
  lag: 'nodejs_eventloop_lag_p99_seconds{job="cms-services"}',
  engageOrders: 'sum(increase(cms_orders_issued_total{action="ENGAGE"}[1m]))',
} as const;

/** Per-message handler latency of the readers that publish it (their writers' back-pressure shows there). */
const HANDLER_METRIC: Partial<Record<ServiceName, string>> = {
  'threat-evaluator': 'cms_threat_processing_seconds',
  'command-center': 'cms_command_processing_seconds',
  'tactical-display': 'cms_display_handler_seconds',
};

function handlerQuery(service: ServiceName): string {
  return `histogram_quantile(0.95, sum(rate(${HANDLER_METRIC[service]}_bucket[1m])) by (le))`;
}

export const LOG_QUERIES = {
  writerReady: '{service_name=~".+"} |= "dds_writer_ready"',
  sensorStarted: '{service_name=~".+"} |= "sensor_started"',
  contributors: '{service_name="track-fusion"} |= "tactical_track_contributors_changed"',
  service: (service: string) => `{service_name="${service}"}`,
} as const;

const REMEDIATION: Record<DetectedCategory, (service: string) => string> = {
  'process-stopped': (s) => `Start ${s} again (docker start ${s}) and find out why it stopped.`,
  'network-partition': (s) => `Reconnect ${s} to the lab network (docker network connect); the process is running and needs no restart.`,
  'transport-qos-mismatch': (s) => `Restore ${s}'s canonical DDS writer QoS: remove the CMS_FORCE_QOS override from its environment and restart it.`,
  'publish-rate-anomaly': (s) => `Restore ${s}'s configured scan rate (unset PUBLISH_RATE_HZ or set it back to the declared rate) and restart it.`,
  'cpu-starvation': (s) => `Remove the CPU limit on ${s} (docker update --cpu-quota -1 ${s}: a zero leaves the quota in place) or give it more CPU.`,
  'memory-leak': (s) => `Restart ${s} to reclaim memory, then roll back the change that makes it retain memory (its CMS_LEAK_RATE_BYTES setting or build).`,
};

/** The typed remediation each category's advice begins with. */
const ACTION: Record<DetectedCategory, RemediationAction> = {
  'process-stopped': 'start-service',
  'network-partition': 'restore-network',
  'transport-qos-mismatch': 'revert-configuration',
  'publish-rate-anomaly': 'revert-configuration',
  'cpu-starvation': 'remove-resource-limit',
  'memory-leak': 'restart-service',
};

const COMPONENT: Record<DetectedCategory, string> = {
  'process-stopped': 'its process',
  'network-partition': 'its network link',
  'transport-qos-mismatch': 'its DDS writer QoS',
  'publish-rate-anomaly': 'its publish-rate configuration',
  'cpu-starvation': 'its CPU allowance',
  'memory-leak': 'its memory',
};

/** The signal an evidence query reads, by the telemetry contract's name: the metric it selects, the log event it filters on, the span it searches. */
export function signalOfQuery(source: EvidenceItem['source'], query: string): string {
  if (source === 'prometheus') return selectedMetrics(query)[0] ?? query;
  if (source === 'logs') return /\|=\s*"([^"]+)"/.exec(query)?.[1] ?? 'logs';
  const named = /\bname\s*=\s*"([^"]+)"/.exec(query)?.[1];
  if (named) return named;
  const service = /service\.name\s*=\s*"([^"]+)"/.exec(query)?.[1];
  const span = SPANS.find((s) => (s.services as readonly string[]).includes(service ?? ''));
  return span?.name ?? 'traces';
}

/** What to look at first for each candidate mechanism, when two fit equally. */
const FIRST_STEP: Record<DetectedCategory, (s: string) => string> = {
  'process-stopped': (s) => `start ${s} if its process is gone`,
  'network-partition': (s) => `reconnect ${s} to the network if it runs but cannot be reached`,
  'transport-qos-mismatch': (s) => `compare ${s}'s DDS writer QoS with its readers'`,
  'publish-rate-anomaly': (s) => `compare ${s}'s configured rate with its declared one`,
  'cpu-starvation': (s) => `check ${s}'s CPU allowance`,
  'memory-leak': (s) => `check ${s}'s memory trend`,
};

/** The honest conclusion when two mechanisms of one service fit the evidence equally (worded so as not to assert either). */
function UNDETERMINED(top: Hypothesis, rival: Hypothesis, missing: readonly string[]): string {
  const pair = new Set([top.category, rival.category]);
  const how =
    pair.has('process-stopped') && pair.has('network-partition')
      ? `its scrape fails and its telemetry has stopped arriving, whether its process is gone or it is unreachable`
      : 'more than one mechanism fits what was observed';
  const blind = missing.length ? `; evidence not gathered: ${missing.map((m) => m.split(':')[0]).join(', ')}` : '';
  return `${top.service} is at fault, but the evidence gathered cannot tell how: ${how}${blind}.`;
}

const SUMMARY: Record<DetectedCategory, (s: string) => string> = {
  'process-stopped': (s) => `${s} stopped: its process exited, so nothing scrapes it and its samples stopped.`,
  'network-partition': (s) => `${s} is unreachable: it keeps running but is cut off from the network, so its scrape fails and its telemetry stops arriving.`,
  'transport-qos-mismatch': (s) => `${s}'s DDS writer uses a QoS its readers cannot match: it keeps publishing but nothing is delivered (silent message loss).`,
  'publish-rate-anomaly': (s) => `${s} publishes far above its declared rate (a configuration change), flooding the pipeline downstream.`,
  'cpu-starvation': (s) => `${s} is starved of CPU: its inputs are healthy but it cannot process them in time.`,
  'memory-leak': (s) => `${s} leaks memory: its resident memory grows steadily with the messages it ingests.`,
};

const DOWNSTREAM: Partial<Record<DetectedCategory, string[]>> = {
  'process-stopped': ['its scrape fails (up = 0)', 'track-fusion stops receiving it and it leaves the tactical tracks'],
  'network-partition': ['its scrape fails (up = 0) and its telemetry stops', 'DDS loses it after the lease: it leaves the tactical tracks'],
  'transport-qos-mismatch': ['DDS matches none of its readers (incompatible QoS on both sides)', 'track-fusion ingests nothing from it while it still publishes', 'it leaves the tactical tracks'],
  'publish-rate-anomaly': ['its publish rate is many times the declared one', 'track-fusion and the display ingest the extra samples'],
  'cpu-starvation': ['source tracks wait before correlation: processing latency exceeds the SLO', 'downstream services see stale tracks'],
  'memory-leak': ['resident memory climbs toward its limit', 'eventually the limit kills it and the pipeline loses its tracks'],
};

function exploreUrl(grafana: string, datasourceUid: string, type: string, query: string, start: number, end: number): string {
  const pane = { a: { datasource: datasourceUid, queries: [{ refId: 'A', expr: query, datasource: { type, uid: datasourceUid } }], range: { from: String(Math.floor(start * 1000)), to: String(Math.ceil(end * 1000)) } } };
  return `${grafana.replace(/\/$/, '')}/explore?schemaVersion=1&orgId=1&panes=${encodeURIComponent(JSON.stringify(pane))}`;
}

export async function investigate(alertInput: unknown, options: InvestigateOptions): Promise<InvestigationResult> {
  const began = Date.now();
  const alert: AlertContext = parseAlert(alertInput);
  const end = options.now ?? Date.now() / 1000;
  const start = Math.min(alert.startsAt, end) - (options.lookbackS ?? 300);
  const step = options.lab.observability.scrapeIntervalS;
  const { sources } = options;
  const missing: string[] = [];
  let queries = 0;

  const range = async (expr: string): Promise<Series[]> => {
    queries++;
    return sources.metrics.queryRange(expr, start, end, step);
  };
  // metrics are required: without them nothing can be said, so their errors propagate
  const [up, publish, ingest, latency, queue, memory, tracks, removed, incompatible, starts, lag, engageOrders] = await Promise.all([
    range(QUERIES.up),
    range(QUERIES.publish),
    range(QUERIES.ingest),
    range(QUERIES.latency),
    range(QUERIES.queue),
    range(QUERIES.memory),
    range(QUERIES.tracks),
    range(QUERIES.removed),
    range(QUERIES.incompatible),
    range(QUERIES.starts),
    range(QUERIES.lag),
    range(QUERIES.engageOrders),
  ]);
  const anomalies: Anomaly[] = [
    ...scrapeFailures(up, end, QUERIES.up),
    ...publishRateAnomalies(publish, end, QUERIES.publish),
    ...ingestLoss(ingest, publish, end, QUERIES.ingest),
    ...latencyHigh(latency, end, QUERIES.latency),
    ...queueDeep(queue, end, QUERIES.queue),
    ...memoryGrowth(memory, end, QUERIES.memory),
    ...tracksLow(tracks, end, QUERIES.tracks),
    ...tracksHigh(tracks, end, QUERIES.tracks),
    ...contributorRemovals(removed, QUERIES.removed),
    ...incompatibleQos(incompatible, QUERIES.incompatible, end),
    ...restarts(starts, QUERIES.starts),
    ...eventLoopLag(lag, end, QUERIES.lag),
    ...engagementsStopped(engageOrders, end, QUERIES.engageOrders),
  ];
  // the page itself, checked first as an SRE would: does the paged rule's condition hold now?
  if (alert.rule) {
    const pagedService = (SERVICE_NAMES as readonly string[]).includes(alert.pipelineName ?? '') ? (alert.pipelineName as ServiceName) : alert.rule.services[0];
    anomalies.push(...pageConditionHolds(await range(alert.rule.expr), end, alert.rule.expr, alert.rule, pagedService));
  }

  // logs: the distinguishing evidence for look-alikes (stopped or unreachable; QoS override; rate configuration)
  let removedFromLogs: Array<{ sensorId: string; time: number }> = [];
  if (sources.logs) {
    const logs = sources.logs;
    const logQuery = async (q: string) => {
      queries++;
      return logs.query(q, start, end, 500);
    };
    try {
      const failing = anomalies.filter((a) => a.kind === 'scrape-failure');
      const [writerReady, sensorStarted, contributors, ...perService] = await Promise.all([
        logQuery(LOG_QUERIES.writerReady),
        logQuery(LOG_QUERIES.sensorStarted),
        logQuery(LOG_QUERIES.contributors),
        ...failing.map((a) => logQuery(LOG_QUERIES.service(a.service))),
      ]);
      anomalies.push(...qosOverrides(writerReady, LOG_QUERIES.writerReady), ...rateConfig(sensorStarted, LOG_QUERIES.sensorStarted));
      failing.forEach((a, i) => anomalies.push(...stopOrSilence(a.service, perService[i], a.onset, LOG_QUERIES.service(a.service))));
      removedFromLogs = removedSensors(contributors);
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      missing.push(`logs (${error.message}): could not tell a stopped process from an unreachable one, nor read writer QoS and rate configuration`);
    }
  } else {
    missing.push('logs: no log source configured, so a stopped process cannot be told from an unreachable one, and writer QoS and rate configuration records are not read');
  }
  if (sources.traces) {
    try {
      for (const a of anomalies.filter((x) => x.kind === 'scrape-failure')) {
        queries++;
        const q = `{ resource.service.name = "${a.service}" }`;
        const found = await sources.traces.search(q, a.onset + 10, end, 5);
        if (found.length === 0) anomalies.push({ kind: 'traces-stopped', service: a.service, onset: a.onset, source: 'traces', query: q, finding: `no trace from ${a.service} since it became unscrapable` });
      }
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      missing.push(`traces (${error.message})`);
    }
  } else {
    missing.push('traces: no trace source configured');
  }

  const ranked = rankHypotheses(anomalies);
  // the sensor fusion says it lost, when the logs name one, corroborates causes on that sensor
  const lostSensors = new Set(removedFromLogs.map((r) => serviceOfSensor(r.sensorId)).filter(Boolean));
  const favourite: Hypothesis | undefined = ranked.find((h) => lostSensors.size === 0 || lostSensors.has(h.service) || h.score > (ranked[0]?.score ?? 0) - 1) ?? ranked[0];
  // a slow writer is no proof of its own CPU shortage when a reader of its topics is slow too (back-pressure fits as well): then say "not found" rather than guess
  const slowReaders: Anomaly[] = [];
  if (favourite?.category === 'cpu-starvation') {
    const readers = readersOf(favourite.service)
      .filter((c) => HANDLER_METRIC[c])
      .map((c) => ({ service: c, query: handlerQuery(c) }));
    const handlers = await Promise.all(readers.map((r) => range(r.query)));
    readers.forEach((r, i) => slowReaders.push(...consumerSlow(handlers[i], r.service, end, r.query)));
    anomalies.push(...slowReaders);
  }
  const top = slowReaders.length ? undefined : favourite;
  const grafana = options.grafanaUrl ?? `http://${options.lab.bindAddress}:${options.lab.grafana.hostPort}`;
  const ds = options.lab.grafana.datasources;
  const cite = (a: Anomaly): EvidenceItem => ({
    source: a.source,
    query: a.query,
    finding: a.finding,
    exploreUrl:
      a.source === 'prometheus'
        ? exploreUrl(grafana, ds.prometheus.uid, 'prometheus', a.query, start, end)
        : a.source === 'logs'
          ? exploreUrl(grafana, ds.loki.uid, 'loki', a.query, start, end)
          : exploreUrl(grafana, ds.tempo.uid, 'tempo', a.query, start, end),
  });
  // a second fault at once: a strong cause on another service whose evidence the first cause does not account for
  const further: Hypothesis[] = [];
  if (top) {
    for (const h of ranked) {
      if (h === top || h.score < INDEPENDENT_CAUSE_MIN_SCORE || h.service === top.service || further.some((f) => f.service === h.service)) continue;
      if (h.supporting.some((a) => top.explains.includes(a) || top.supporting.includes(a))) continue;
      further.push(h);
    }
  }
  const evidence = top ? [...top.supporting, ...top.explains, ...further.flatMap((h) => h.supporting)].map(cite) : [];
  // what tells a starved or leaking consumer from a flooded one: its input is normal
  const healthyInput = top && (top.category === 'cpu-starvation' || top.category === 'memory-leak') ? inputsAtDeclaredRates(publish, end) : undefined;
  if (healthyInput) evidence.push({ source: 'prometheus', query: QUERIES.publish, finding: healthyInput, exploreUrl: exploreUrl(grafana, ds.prometheus.uid, 'prometheus', QUERIES.publish, start, end) });
  const confidence = confidenceOf(top ? [top, ...ranked.filter((h) => h !== top)] : [], sources.logs !== undefined && !missing.some((m) => m.startsWith('logs')));
  const base = {
    agent: 'baseline' as const,
    alert: { name: alert.alertName, rule: alert.rule?.uid, startsAt: new Date(alert.startsAt * 1000).toISOString(), pipelineName: alert.pipelineName },
    furtherCauses: further.map((h) => ({ service: h.service, category: h.category, summary: SUMMARY[h.category](h.service) })),
    hypotheses: (top ? [top, ...ranked.filter((h) => h !== top)] : ranked).slice(0, 5).map((h) => ({ service: h.service, category: h.category, score: h.score })),
    missingSources: missing,
    queries,
    confidence,
  };
  // the picture itself is off now (tracks missing or extra): a fault exists even when no detector can name its cause
  const ongoing = [
    ...anomalies.filter((a) => a.kind === 'tracks-high' || a.kind === 'tracks-low' || a.kind === 'engagements-stopped' || a.kind === 'page-condition-holds'),
    // the vetoed favourite's own evidence and the slow reader that vetoed it
    ...(slowReaders.length && favourite ? [...favourite.supporting, ...slowReaders] : []),
  ];
  // restarts up to two minutes before the first of them: the changes worth a look, named as such and not as a cause
  const firstOngoing = Math.min(...ongoing.map((a) => a.onset));
  const changes = anomalies.filter((a) => a.kind === 'restart' && a.onset <= firstOngoing && a.onset >= firstOngoing - 120);
  // a rival mechanism on the same service with as much support: the evidence cannot tell them apart, so say so rather than guess
  const rival = top && ranked.find((h) => h !== top && h.service === top.service && h.category !== top.category && h.score >= top.score - 0.5);
  const conclusion = top
    ? rival
      ? {
          category: 'undetermined' as const,
          component: 'not determined',
          summary: UNDETERMINED(top, rival, missing),
          remediation: `Look at ${top.service} itself first: ${[top.category, rival.category].map((c) => FIRST_STEP[c](top.service)).join('; ')}.`,
          action: 'other' as const,
          propagation: [`${top.service}: not determined (${top.category} or ${rival.category} fit equally)`, ...top.explains.map((a) => `observed: ${a.finding}`)],
        }
      : {
          category: top.category,
          component: COMPONENT[top.category],
          summary: SUMMARY[top.category](top.service),
          remediation: [top, ...further].map((h) => REMEDIATION[h.category](h.service)).join(' '),
          action: ACTION[top.category],
          propagation: [`${top.service}: ${top.category}`, ...(DOWNSTREAM[top.category] ?? []), ...top.explains.map((a) => `observed: ${a.finding}`)],
        }
    : undefined;
  const result: Omit<InvestigationResult, 'report' | 'durationMs' | 'answer'> =
    top && conclusion
      ? {
          ...base,
          rootCause: { service: top.service, category: conclusion.category, summary: conclusion.summary },
          evidence,
          remediation: conclusion.remediation,
          propagation: conclusion.propagation,
        }
      : ongoing.length
        ? {
            // something is off, but no anomaly supports a cause it can name: say so, never "nothing is wrong"
            ...base,
            rootCause: {
              service: null,
              category: 'undetermined',
              summary: `Root cause not found: ${ongoing.map((a) => a.finding).join('; ')} — ${
                slowReaders.length && favourite
                  ? `a slow writer with a slow reader (${slowReaders.map((a) => a.service).join(', ')}) fits back-pressure from that reader as well as too little CPU for ${favourite.service}, and nothing gathered tells them apart`
                  : 'but no detector ties it to a cause'
              }.${changes.length ? ` Changed shortly before: ${changes.map((a) => a.finding).join('; ')}.` : ''}`,
            },
            evidence: [...ongoing, ...changes].map(cite),
            remediation: `Not determined: look at what changed just before the anomalies began${changes.length ? ` (${changes.map((a) => a.service).join(', ')} restarted)` : ''}.`,
            propagation: [...changes, ...ongoing].map((a) => `observed: ${a.finding}`),
          }
        : {
            ...base,
            rootCause: { service: null, category: 'none', summary: 'No root cause: every signal is within the healthy baseline (sensors at their declared rates, three tracks, no scrape failure, no transport error).' },
            evidence: [],
            remediation: 'Nothing to remediate.',
            propagation: [],
          };
  const window = { from: new Date(start * 1000).toISOString(), to: new Date(end * 1000).toISOString() };
  const answer: Answer = {
    schema: ANSWER_SCHEMA_ID,
    verdict: top ? 'fault' : result.rootCause.category === 'undetermined' ? 'undetermined' : 'no-fault',
    root_causes:
      top && conclusion
        ? [{ service: top.service, component: conclusion.component, category: conclusion.category, summary: conclusion.summary }, ...further.map((h) => ({ service: h.service, component: COMPONENT[h.category], category: h.category, summary: SUMMARY[h.category](h.service) }))]
        : [],
    evidence: result.evidence.map((e) => ({ signal: signalOfQuery(e.source, e.query), kind: e.source === 'prometheus' ? 'metric' : e.source === 'logs' ? 'log' : 'trace', query: e.query, observed: e.finding, ...window })),
    remediation: top && conclusion ? { action: conclusion.action, target: top.service, details: conclusion.remediation } : result.rootCause.category === 'undetermined' ? { action: 'other', details: result.remediation } : { action: 'no-action', details: 'Nothing to remediate.' },
    confidence,
    summary: result.rootCause.summary,
  };
  const durationMs = Date.now() - began;
  return { ...result, durationMs, answer, report: renderReport({ ...result, durationMs }) };
}
