import type { ScenarioSpec } from '../types';

/**
 * Tuned so the early alert fires well inside 4 minutes and well before an
 * OOM kill: at ~47 source tracks/s, 32 KiB each is ~1.5 MB/s, so resident
 * memory crosses 200 MB about 80 s after the restart (from ~75 MB) and the
 * rule fires after its 1 m; the 512 MiB cap is reached only after ~5 min.
 * (The original 10 KiB leak needed over 4 minutes to cross 200 MB, past its
 * fixed 75 s wait.)
 */
export const LEAK_BYTES_PER_SOURCE_TRACK = 32 * 1024;
export const LEAK_MEMORY_CAP_MB = 512;
/** Resident memory of a fresh track-fusion, measured (70-85 MB). */
export const FUSION_BASELINE_RSS_BYTES = 75e6;
const THRESHOLD_BYTES = 200e6;

export const memoryLeak: ScenarioSpec = {
  name: 'memory-leak',
  title: 'Memory leak',
  oneLiner: 'Slow degradation, eventual OOM and cascade',
  layer: 'resource',
  difficulty: { level: 'medium', why: "the slowest to show (minutes of growth) and it drags latency and queues with it: a CPU problem or a flood look alike until memory tracks ingest with an empty queue" },
  fault: { kind: 'restart-with', service: 'track-fusion', env: { CMS_LEAK_RATE_BYTES: String(LEAK_BYTES_PER_SOURCE_TRACK) }, memoryLimitMb: LEAK_MEMORY_CAP_MB },
  expectedAlerts: ['fusion-memory-elevated'],
  allowedAlerts: ['fusion-queue-deep', 'tactical-tracks-collapsed', 'fusion-latency-high'],
  signalDelayS: (c) => {
    const growth = LEAK_BYTES_PER_SOURCE_TRACK * c.sourceTrackRatePerS;
    const seconds = 2 + (THRESHOLD_BYTES - FUSION_BASELINE_RSS_BYTES) / growth;
    return { seconds: Math.round(seconds), why: `fusion restarts (~2 s), then RSS grows ~${(growth / 1e6).toFixed(2)} MB/s from ~75 MB to 200 MB` };
  },
  slackS: 20,
  exampleAlertValue: 205000000,
  groundTruth: {
    rootCause: { service: 'track-fusion', aliases: ['track-fusion', 'track fusion', 'fusion', 'correlator'], component: 'memory retained by track-fusion for every source track it ingests' },
    category: 'memory-leak',
    categoryPatterns: ['memory leak', 'leak(s|ing)? memory', 'memory[^.]{0,30}(grow|climb|increas|retain)', 'unbounded memory'],
    summary: 'track-fusion was restarted with a build/configuration that retains memory for every source track it ingests (CMS_LEAK_RATE_BYTES), so its resident memory grows linearly with ingest toward its limit.',
    evidence: [
      { kind: 'metric', signal: 'cms_fusion_memory_bytes', shows: 'resident memory climbing steadily (~1.5 MB/s) past 200 MB', query: 'cms_fusion_memory_bytes' },
      { kind: 'metric', signal: 'process_resident_memory_bytes', shows: 'the same growth in the process collector', query: 'process_resident_memory_bytes{service_name="track-fusion"}' },
      { kind: 'metric', signal: 'cms_fusion_ingested_total', shows: 'growth proportional to the ingest rate, with an empty queue', query: 'sum(rate(cms_fusion_ingested_total[1m]))' },
      { kind: 'log', signal: 'service_starting', shows: 'track-fusion restarted just before the growth began', query: '{service_name="track-fusion"} |= "service_starting"' },
    ],
    remediation: {
      summary: 'Restart track-fusion to reclaim memory and roll back the change that retains memory (unset CMS_LEAK_RATE_BYTES).',
      actions: ['rollback-release', 'restart-service'],
      patterns: ['(unset|remove|drop|revert|delete|undo)[^.]{0,30}\\bCMS_LEAK_RATE_BYTES\\b', '\\bCMS_LEAK_RATE_BYTES\\b[^.]{0,20}(removed|unset|dropped)', '(restart|recycle|redeploy)[^.]{0,40}(track-)?fusion', '(fix|roll ?back|revert)[^.]{0,40}(leak|change|build|release|deploy)'],
    },
    propagation: ['track-fusion retains memory per ingested source track', 'resident memory passes 200 MB (fusion-memory-elevated)', 'eventually the memory limit kills and restarts fusion, briefly losing every track'],
    misattributions: [
      { claim: 'CPU starvation', patterns: ['cpu[^.]{0,30}(starv|throttl|quota)'], penalty: 1 },
      { claim: 'a sensor flood', patterns: ['(message|sensor|publish)[- ]?(flood|storm)'], penalty: 1 },
      { claim: 'a sensor is down', patterns: ['sensor[^.]{0,20}(is )?(down\\b|stopped(?! \\w+ing\\b)|crashed)'], penalty: 1 },
    ],
  },
};
