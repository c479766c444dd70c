import type { ScenarioSpec } from '../types';

export const threatThresholdDrift: ScenarioSpec = {
  name: 'threat-threshold-drift',
  title: 'Threat threshold drift',
  oneLiner: 'Every track is there and every service healthy — and the inbound missile is never engaged',
  layer: 'content',
  difficulty: {
    level: 'hard',
    why: 'the page is command-center\'s (no ENGAGE orders) and every process, rate and transport is healthy: only the levels threat-evaluator now assigns (no HIGH or CRITICAL), its start-up thresholds and the scores beside the levels in its spans point at it',
  },
  // 70 points on every threshold: the 108-point missile now scores MEDIUM (HIGH needs 120), the 60-point aircraft LOW; no level sits within the hysteresis of a score
  fault: { kind: 'restart-with', service: 'threat-evaluator', env: { CMS_THREAT_THRESHOLD_SHIFT: '70' } },
  expectedAlerts: ['engagement-orders-absent'],
  allowedAlerts: [],
  // the rule looks a minute back: that minute must hold healthy engagements, not a young Prometheus's empty window
  historyS: 75,
  signalDelayS: () => ({ seconds: 62, why: 'threat-evaluator restarts (~2 s) and assesses no track HIGH or CRITICAL again; the 1 m window of ENGAGE orders then empties' }),
  exampleAlertValue: 0,
  groundTruth: {
    rootCause: { service: 'threat-evaluator', aliases: ['threat-evaluator', 'threat evaluator', 'threat evaluation', 'threat-evaluation'], component: "threat-evaluator's level thresholds (every one raised by 70 points)" },
    category: 'configuration-error',
    categoryPatterns: ['thresholds?[^.]{0,40}(raised|drift\\w*|changed|shifted|too high|wrong|misconfigur\\w*|increased)', '(raised|drift\\w*|changed|shifted|wrong|misconfigur\\w*)[^.]{0,30}thresholds?', '(mis)?classif\\w*[^.]{0,30}(too low|downgraded|under)', '(under|down)[- ]?(rat|grad|scor)\\w*[^.]{0,30}threats?', 'configuration (error|drift|change)'],
    summary: 'threat-evaluator was restarted with every threat-level threshold raised by 70 points (CMS_THREAT_THRESHOLD_SHIFT=70): the 108-point missile is assessed MEDIUM instead of CRITICAL and no track reaches HIGH, so command-center issues only MONITOR orders and nothing is engaged.',
    evidence: [
      { kind: 'metric', signal: 'cms_threat_evaluated_total', shows: 'no HIGH or CRITICAL evaluation since threat-evaluator restarted; MEDIUM and LOW evaluations instead', query: 'sum by (level) (rate(cms_threat_evaluated_total[1m]))', phrases: ['no (track|threat)s?[^.]{0,30}(high|critical)', '(critical|high)[^.]{0,40}(stopped|dropped to (zero|0)|none|disappeared|vanished)', '(missile|HOSTILE-1)[^.]{0,40}(medium|low)', '(medium|low)[^.]{0,40}(missile|HOSTILE-1)', 'levels?[^.]{0,30}(dropped|downgraded|lowered)'] },
      { kind: 'log', signal: 'threat_thresholds_loaded', shows: 'threat-evaluator started with CRITICAL 150, HIGH 120, MEDIUM 100 (specified: 80, 50, 30)', query: '{service_name="threat-evaluator"} |= "threat_thresholds_loaded"', phrases: ['thresholds?[^.]{0,40}(150|120|100)', '(150|120|100)[^.]{0,40}thresholds?', 'thresholds? (loaded|in force|at start)'] },
      { kind: 'metric', signal: 'cms_orders_issued_total', shows: 'only MONITOR orders since the restart; no ENGAGE', query: 'sum by (action) (increase(cms_orders_issued_total[1m]))', phrases: ['only monitor', 'monitor orders? only', 'no (engage|engagement) orders?', '(engage|engagement) orders? (stopped|ceased|dropped)'] },
      { kind: 'trace', signal: 'threat.evaluate', shows: 'threat.evaluate spans of HOSTILE-1\'s track: score 108 beside level MEDIUM', query: '{ name = "threat.evaluate" && span.threat.level = "MEDIUM" }', phrases: ['score[^.]{0,30}108', '108[^.]{0,40}(medium|score)'] },
      { kind: 'metric', signal: 'process_start_time_seconds', shows: 'threat-evaluator restarted just before the ENGAGE orders stopped', query: 'process_start_time_seconds{service_name="threat-evaluator"}' },
    ],
    remediation: {
      summary: "Restore threat-evaluator's specified thresholds (unset CMS_THREAT_THRESHOLD_SHIFT) and restart it; meanwhile let the operators take the engagement decision.",
      actions: ['revert-configuration', 'rollback-release'],
      patterns: ['(unset|remove|drop|revert|undo)[^.]{0,30}\\bCMS_THREAT_THRESHOLD_SHIFT\\b', '(restore|revert|reset|roll ?back|fix|correct|lower)[^.]{0,40}thresholds?', 'thresholds?[^.]{0,40}(restored|reverted|reset|back to)', 'roll ?back[^.]{0,30}threat-evaluator'],
    },
    propagation: [
      'threat-evaluator restarted with every level threshold raised by 70 points',
      'the missile (score 108) is assessed MEDIUM, the aircraft LOW: no track is HIGH or CRITICAL',
      'command-center issues MONITOR orders only: no ENGAGE order for over a minute (engagement-orders-absent); the effector stays idle',
    ],
    misattributions: [
      { claim: 'command-center or the effector is the cause', patterns: ['root cause\\W{0,10}(is |was |lies )?(on |in |with )?(the )?(command-center|effector-manager|effector)', '(command-center|effector-manager)[^.]{0,40}(is|was) the (root )?cause', '(bug|defect|crash|stall\\w*) in (the )?(command-center|effector)'], penalty: 1 },
      { claim: 'the targets left or were lost upstream (sensors or fusion)', patterns: ['(targets?|tracks?)[^.]{0,20}(left|gone|lost|disappeared|collapsed)', '(sensor|fusion)[^.]{0,30}(is|was) the (root )?cause'], penalty: 1 },
      { claim: 'a DDS transport or QoS problem between threat-evaluator and command-center', patterns: ['(qos|partition) (mismatch|incompatib\\w*)', 'ThreatAssessmentTopic[^.]{0,30}(not delivered|no match|lost)'], penalty: 1 },
    ],
  },
};
