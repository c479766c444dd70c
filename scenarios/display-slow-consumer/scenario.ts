import type { ScenarioSpec } from '../types';

/**
 * Redraw time per tactical-track update. At 100 ms the display takes at most
 * ten updates a second out of the 47 fusion publishes: its 256-sample
 * KEEP_ALL cache fills, it stops acknowledging, and fusion's unacknowledged
 * data reaches Cyclone's writer watermark, after which every write blocks
 * 50 ms: fusion's loop is held in its writes, its reader falls behind and
 * source tracks wait (the oldest overwritten in its DDS cache).
 */
export const DISPLAY_REDRAW_MS = 100;

export const displaySlowConsumer: ScenarioSpec = {
  name: 'display-slow-consumer',
  title: 'Slow consumer: tactical display',
  oneLiner: "Fusion pages on latency, and its CPU is idle: a display down the line cannot keep up and reliable DDS holds fusion's writer back",
  layer: 'transport',
  difficulty: {
    level: 'hard',
    why: "the page is fusion's latency, exactly as under CPU starvation, and the cause is a consumer downstream of it: only fusion's idle CPU, its timed-out DDS writes and the display's busy handler point at the display",
  },
  fault: { kind: 'restart-with', service: 'tactical-display', env: { CMS_DISPLAY_REDRAW_MS: String(DISPLAY_REDRAW_MS) } },
  expectedAlerts: ['fusion-latency-high'],
  allowedAlerts: ['fusion-queue-deep', 'tactical-tracks-collapsed'],
  signalDelayS: () => ({
    seconds: 15,
    why: "the display restarts (~2 s); its 256-sample cache fills in seconds, then fusion's unacknowledged samples (~37 a second) must reach Cyclone's writer watermark before a write blocks and fusion's latency climbs",
  }),
  // how soon the writer's watermark is reached varies: 75 to 131 s to the page, natively and on the engine
  slackS: 60,
  exampleAlertValue: 4.8,
  groundTruth: {
    rootCause: {
      service: 'tactical-display',
      aliases: ['tactical-display', 'tactical display', 'display'],
      component: "tactical-display's TacticalTrackTopic reader, which takes 100 ms per update (a redraw per update) and so cannot keep up",
    },
    category: 'slow-consumer',
    categoryPatterns: [
      'slow (consumer|reader|subscriber)',
      'back[- ]?pressur\\w*',
      '(consumer|reader|subscriber|display)[^.]{0,40}(cannot|can\'t|can not|unable to|fails? to|does not|doesn\'t) keep up',
      '(not|never) acknowledg\\w*',
      '(writer|write)s?[^.]{0,40}(block\\w*|throttl\\w*|time[sd]? ?out)',
    ],
    summary:
      "tactical-display was restarted redrawing its whole picture on every tactical-track update (CMS_DISPLAY_REDRAW_MS=100): its reliable KEEP_ALL reader of TacticalTrackTopic falls behind and stops acknowledging, so track-fusion's writer blocks and times out on every write; fusion's loop is held in its writes, it takes in fewer source tracks than the sensors publish and its latency breaks the SLO while its CPU is idle.",
    evidence: [
      {
        kind: 'log',
        signal: 'dds_write_failed',
        shows: 'track-fusion\'s writes to TacticalTrackTopic fail with "Timeout": the writer is blocked by a reader that does not acknowledge',
        query: '{service_name="track-fusion"} |= "dds_write_failed"',
        phrases: ['write[^.]{0,40}(time[sd]? ?out|timeout|fail\\w*|block\\w*)', 'timeout[^.]{0,40}(write|TacticalTrackTopic)'],
      },
      {
        kind: 'metric',
        signal: 'cms_display_handler_seconds',
        shows: "the display spends ~100 ms on each TacticalTrackTopic update (sub-millisecond before)",
        query: 'histogram_quantile(0.95, sum by (le) (rate(cms_display_handler_seconds_bucket{topic="TacticalTrackTopic"}[1m])))',
        phrases: ['(handler|handling|redraw|render\\w*)[^.]{0,40}(100 ?ms|0\\.1 ?s|slow)', 'display[^.]{0,40}(slow|busy|saturat\\w*|100 ?%)'],
      },
      {
        kind: 'metric',
        signal: 'cms_display_received_total',
        shows: 'the display takes about 10 tactical-track updates a second while fusion publishes far more',
        query: 'sum by (topic) (rate(cms_display_received_total[1m]))',
        phrases: ['display[^.]{0,40}(receiv\\w*|tak\\w*|consum\\w*)[^.]{0,30}(10|fewer|less|behind)'],
      },
      {
        kind: 'metric',
        signal: 'process_cpu_seconds_total',
        shows: 'track-fusion\'s CPU is low (blocked in writes), the display\'s is a full core',
        query: 'rate(process_cpu_seconds_total{service_name=~"track-fusion|tactical-display"}[1m])',
      },
      {
        kind: 'metric',
        signal: 'process_start_time_seconds',
        shows: 'tactical-display restarted shortly before fusion slowed down',
        query: 'process_start_time_seconds{service_name="tactical-display"}',
      },
    ],
    remediation: {
      summary: "Put tactical-display's redraw back to incremental (unset CMS_DISPLAY_REDRAW_MS) and restart it; fusion recovers as soon as the display acknowledges again.",
      // a bare restart keeps the variant's CMS_DISPLAY_REDRAW_MS: only reverting the change (or making the redraw cheap) fixes it
      actions: ['revert-configuration', 'rollback-release'],
      patterns: [
        '(unset|remove|drop|revert|undo)[^.]{0,30}\\bCMS_DISPLAY_REDRAW_MS\\b',
        '(revert|roll ?back|undo|speed up|optimi[sz]e)[^.;]{0,40}(tactical[- ]display|display|redraw)',
        '(tactical[- ]display|display)[^.;]{0,40}(revert\\w*|roll\\w* back)',
        '(incremental|partial) (redraw|render\\w*)',
      ],
    },
    propagation: [
      'tactical-display redraws its whole picture on every tactical-track update (100 ms each)',
      'its reliable KEEP_ALL TacticalTrackTopic reader falls 256 samples behind and stops acknowledging',
      "track-fusion's unacknowledged samples reach the writer watermark: every write blocks 50 ms and times out",
      "fusion's loop is held in its writes: it takes in fewer source tracks than the sensors publish, and its p95 latency breaks the SLO (fusion-latency-high)",
    ],
    misattributions: [
      { claim: 'track-fusion is CPU-starved or is itself the cause', patterns: ['fusion[^.;,]{0,20}\\bcpu\\b[^.;,]{0,20}(starv|throttl|quota|exhaust)', '(starv|throttl)\\w*[^.;,]{0,20}\\bcpu\\b[^.;,]{0,20}fusion', 'fusion[^.;,]{0,20}(is |was )?(cpu[- ])?starv\\w*', 'root cause\\W{0,10}(is |was |lies )?(in |with )?(the )?(track[- ]fusion|fusion)'], penalty: 2 },
      { claim: 'a sensor floods fusion', patterns: ['(message|sensor|publish)[- ]?(flood|storm|rate anomaly)', 'too many (messages|source tracks)'], penalty: 1 },
      { claim: 'a memory leak', patterns: ['memory leak', '\\boom\\b|out of memory'], penalty: 1 },
    ],
  },
};
