import { CATEGORY_PATTERNS } from '../category-patterns';
import type { ScenarioSpec } from '../types';

export const sensorFreeze: ScenarioSpec = {
  name: 'sensor-freeze',
  title: 'Frozen sensor',
  oneLiner: 'Process alive but doing nothing — its container stays up',
  layer: 'process',
  difficulty: {
    level: 'hard',
    why: 'it fires the same page as a stopped or a cut-off sensor and, like a cut-off one, leaves no stop log: only scrapes that hang until their timeout (rather than failing at once) and the writer losing liveliness point at a process that is there but frozen',
  },
  fault: { kind: 'freeze', service: 'eo-sensor' },
  expectedAlerts: ['sensor-down'],
  allowedAlerts: ['fusion-contributors-dropped'],
  signalDelayS: (c) => ({ seconds: c.scrapeIntervalS, why: 'the next scrape of the frozen process hangs until its timeout (one scrape interval less a second)' }),
  exampleAlertValue: 1,
  groundTruth: {
    rootCause: { service: 'eo-sensor', aliases: ['eo-sensor', 'eo sensor', 'EO-3', 'electro-optical sensor', 'eo'], component: 'the eo-sensor process, frozen (paused) while its container stays up' },
    category: 'process-frozen',
    categoryPatterns: CATEGORY_PATTERNS['process-frozen'],
    summary: 'The eo-sensor process was frozen (docker pause / SIGSTOP): it is alive and its container up, but it does nothing — its scrapes hang until they time out, its writer stops asserting liveliness and fusion loses EO-3.',
    evidence: [
      { kind: 'metric', signal: 'up', shows: 'the eo-sensor:9103 target is down', query: 'up{job="cms-services", instance="eo-sensor:9103"}' },
      { kind: 'metric', signal: 'scrape_duration_seconds', shows: "eo-sensor's scrapes last the whole scrape timeout (the process accepts the connection but never answers)", query: 'scrape_duration_seconds{job="cms-services", instance="eo-sensor:9103"}', phrases: ['scrapes?[^.]{0,40}(hang|time(d)? ?out|timing out|deadline)', '(hang|hangs|hanging)[^.]{0,30}(scrape|request|connection)', 'accepts? (the )?connections?[^.]{0,30}never (answers|responds|replies)'] },
      { kind: 'log', signal: 'service_stopping', shows: 'absent: eo-sensor never logged a stop or a signal — its logs simply end', query: '{service_name="eo-sensor"} |= "service_stopping"', absence: true, phrases: ['(never|no|without)[^.]{0,30}(stop|shutdown|sigterm|signal)', 'logs (simply |just )?(end|stop|cease|go quiet)'] },
      { kind: 'log', signal: 'dds_liveliness_changed', shows: "fusion saw EO's writer lose liveliness (lease expiry, not an orderly goodbye)", query: '{service_name="track-fusion"} |= "dds_liveliness_changed"', phrases: ['liveliness[^.]{0,30}(lost|expired|changed|drop)'] },
      { kind: 'log', signal: 'tactical_track_contributors_changed', shows: 'EO-3 left every tactical track', query: '{service_name="track-fusion"} |= "tactical_track_contributors_changed" |= "EO-3"' },
    ],
    remediation: {
      summary: 'Resume the eo-sensor process (docker unpause; a restart also ends the freeze), then find out what froze it.',
      actions: ['restart-service', 'other'],
      patterns: ['\\bunpause\\b', '\\b(resume|thaw|unfreeze|sigcont)\\b[^.]{0,40}(eo|process|container|sensor)', '(eo|process|container|sensor)[^.]{0,40}\\b(resume|thaw|unfreeze|sigcont)', '\\brestart(ed|ing)?\\b[^.]{0,40}\\beo\\b', '\\beo[^.]{0,40}\\brestart'],
    },
    propagation: ['eo-sensor frozen in place: alive, doing nothing', 'its scrapes hang until their timeout (sensor-down)', 'its writer stops asserting liveliness: fusion loses EO-3 as a contributor (fusion-contributors-dropped)'],
    misattributions: [
      { claim: 'an orderly stop of the process', patterns: ['(orderly|graceful|clean) (stop|shutdown)', '(was|got) stopped\\b', '\\bsigterm\\b'], penalty: 1 },
      { claim: 'a network partition or detached container', patterns: ['network partition', '\\b(detached|disconnected|cut off) from (the )?network', 'network (isolation|outage)'], penalty: 1 },
      { claim: 'track-fusion is the cause', patterns: ['root cause\\W{0,10}(is |was |lies )?(on |in |with )?(the )?track-fusion', 'track-fusion[^.]{0,40}(is|was) the (root )?cause'], penalty: 1 },
    ],
  },
};
