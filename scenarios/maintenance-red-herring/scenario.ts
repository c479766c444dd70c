import { CATEGORY_PATTERNS } from '../category-patterns';
import type { ScenarioSpec } from '../types';

export const maintenanceRedHerring: ScenarioSpec = {
  name: 'maintenance-red-herring',
  title: 'Red herring: a sensor in maintenance, threat evaluation frozen',
  oneLiner: 'A sensor outage pages loudly and explains nothing; the frozen threat-evaluator behind the missing engagements raises no alert of its own',
  layer: 'process',
  difficulty: {
    level: 'hard',
    why: 'eo-sensor is taken down for maintenance at the same moment, so sensor-down and fusion-contributors-dropped fire and a sensor loss seems to explain the missing engagements; but fusion keeps its three tracks from radar and ESM, and only the threat-evaluator scrapes that hang and its silent logs show where the chain stops',
  },
  fault: { kind: 'freeze', service: 'threat-evaluator' },
  decoys: [{ kind: 'stop-service', service: 'eo-sensor' }],
  expectedAlerts: ['engagement-orders-absent', 'sensor-down'],
  allowedAlerts: ['fusion-contributors-dropped'],
  // the rule looks a minute back: that minute must hold healthy engagements, not a young Prometheus's empty window
  historyS: 75,
  signalDelayS: () => ({ seconds: 60, why: 'threat-evaluator freezes at once and command-center receives no assessment more; the 1 m window of ENGAGE orders then empties' }),
  exampleAlertValue: 0,
  groundTruth: {
    rootCause: {
      service: 'threat-evaluator',
      aliases: ['threat-evaluator', 'threat evaluator', 'threat evaluation', 'threat-evaluation'],
      component: 'the threat-evaluator process, frozen (paused) while its container stays up',
    },
    category: 'process-frozen',
    categoryPatterns: CATEGORY_PATTERNS['process-frozen'],
    summary:
      'The threat-evaluator process was frozen (docker pause / SIGSTOP): it assesses nothing, so command-center issues no order and the missile is never engaged. At the same moment eo-sensor was stopped for maintenance; that fires sensor-down but is harmless: fusion keeps all three tracks from radar and ESM.',
    // no `up`, stop logs or liveliness changes: the decoy shows them too, so citing them tells nothing about the frozen evaluator
    evidence: [
      { kind: 'metric', signal: 'scrape_duration_seconds', shows: "threat-evaluator's scrapes last the whole scrape timeout (the process accepts the connection but never answers)", query: 'scrape_duration_seconds{job="cms-services", instance=~"threat-evaluator:.+"}', phrases: ['scrapes?[^.]{0,40}(hang|time(d)? ?out|timing out|deadline)', '(hang|hangs|hanging)[^.]{0,30}(scrape|request|connection)'] },
      { kind: 'trace', signal: 'threat.evaluate', shows: 'absent: no threat.evaluate span since the freeze, while fusion.ingest spans go on', query: '{ name = "threat.evaluate" }', absence: true, phrases: ['no (threat[. ]evaluat\\w*|assessment)s?[^.]{0,30}(spans?|traces?)', '(spans?|traces?)[^.]{0,40}threat[- ]evaluat\\w*[^.]{0,30}(stop|end|ceas|absent|missing)'] },
      { kind: 'metric', signal: 'cms_fusion_active_tracks', shows: 'fusion keeps all three tracks without EO-3: the sensor outage explains nothing', query: 'cms_fusion_active_tracks', phrases: ['(three|3|all) (tactical )?tracks', 'tracks?[^.]{0,30}(intact|unchanged|still (held|there|maintained))'] },
    ],
    remediation: {
      summary: 'Resume the threat-evaluator process (docker unpause; a restart also ends the freeze), then find out what froze it. The eo-sensor maintenance needs nothing.',
      actions: ['restart-service', 'other'],
      patterns: ['\\b(unpause|resume|thaw|unfreeze|sigcont|restart)\\b[^.;,]{0,30}threat[- ]evaluat'],
    },
    propagation: [
      'threat-evaluator frozen in place: alive, assessing nothing',
      'command-center receives no assessment and issues no order (engagement-orders-absent)',
      'meanwhile, unrelated: eo-sensor stopped for maintenance (sensor-down, fusion-contributors-dropped); fusion keeps its three tracks from radar and ESM',
    ],
    misattributions: [
      { claim: 'the eo-sensor outage is the cause', patterns: ['root cause\\W{0,10}(is |was |lies )?(on |in |with )?(the )?(eo-sensor|eo sensor|EO-3|electro-optical)', '(eo-sensor|eo sensor|EO-3)[^.;,]{0,40}(is|was) the (root )?cause', '(loss|outage|stop\\w*) of (the )?(eo-sensor|eo sensor|EO-3)[^.;,]{0,40}(caused|causes|led to|leads to|stopped|explains the)'], penalty: 2 },
      { claim: 'command-center is the cause', patterns: ['root cause\\W{0,10}(is |was |lies )?(on |in |with )?(the )?command-center', 'command-center[^.]{0,40}(is|was) the (root )?cause'], penalty: 1 },
      { claim: 'an orderly stop of threat-evaluator', patterns: ['threat[- ]evaluator[^.;,]{0,30}(was |got |has )?(stopped|exited|crashed)\\b(?! \\w+ing\\b)'], penalty: 1 },
    ],
  },
};
