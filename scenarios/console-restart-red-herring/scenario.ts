import { CATEGORY_PATTERNS } from '../category-patterns';
import type { ScenarioSpec } from '../types';

const THREAT_EVALUATOR = 'threat[- ]evaluat\\w*';

export const consoleRestartRedHerring: ScenarioSpec = {
  name: 'console-restart-red-herring',
  title: 'Red herring from the noise: a console restarting, threat evaluation cut off',
  oneLiner: 'A console restarting in a loop is the loudest change and explains nothing; the engagements stop because threat-evaluator is off the network',
  layer: 'network',
  difficulty: {
    level: 'hard',
    why: "the background noise turns loud at the moment of the fault: tactical-display restarts every 10 s, service-restarting fires, its target flaps and its logs fill with starts and stops; but the display publishes nothing, and only threat-evaluator's target, down without a stop log, shows where the chain is cut",
  },
  fault: { kind: 'network-detach', service: 'threat-evaluator' },
  // the red herring is noise, not a decoy fault: the runner's noise restarts the display (docker restart / a new process) from injection to revert
  noise: { restarts: { service: 'tactical-display', everyS: 10 } },
  expectedAlerts: ['engagement-orders-absent', 'service-restarting'],
  allowedAlerts: [],
  // the rule looks a minute back: that minute must hold healthy engagements, not a young Prometheus's empty window
  historyS: 75,
  signalDelayS: () => ({ seconds: 60, why: 'threat-evaluator is cut off at once and command-center receives no assessment more; the 1 m window of ENGAGE orders then empties' }),
  // the display's fifth restart comes 40-60 s in, then service-restarting's 30 s `for`: well inside the same budget
  exampleAlertValue: 0,
  groundTruth: {
    rootCause: {
      service: 'threat-evaluator',
      aliases: ['threat-evaluator', 'threat evaluator', 'threat evaluation', 'threat-evaluation'],
      component: "threat-evaluator's network attachment (the process runs, detached from the lab network)",
    },
    category: 'network-partition',
    categoryPatterns: CATEGORY_PATTERNS['network-partition'],
    summary:
      'threat-evaluator was detached from the lab network: it keeps running but nothing reaches it, so command-center receives no assessment and issues no order. At the same time the tactical display was restarting every 10 s (service-restarting); the display only consumes, so its restarts explain none of it.',
    evidence: [
      { kind: 'metric', signal: 'up', shows: 'the threat-evaluator:9105 target is down for good (the display only blips between restarts)', query: 'up{job="cms-services", instance="threat-evaluator:9105"}' },
      { kind: 'log', signal: 'service_stopping', shows: 'absent: threat-evaluator never logged a stop or a signal — its logs simply end', query: '{service_name="threat-evaluator"} |= "service_stopping"', absence: true, phrases: ['(never|no|without)[^.]{0,30}(stop|shutdown|sigterm|signal)', 'logs (simply |just )?(end|stop|cease|go quiet)'] },
      { kind: 'log', signal: 'dds_liveliness_changed', shows: "command-center saw threat-evaluator's writer lose liveliness (a lease expiry, not an orderly goodbye)", query: '{service_name="command-center"} |= "dds_liveliness_changed"' },
    ],
    remediation: {
      summary: "Reconnect threat-evaluator to the lab network (docker network connect); the process needs no restart. The display's restarts are a separate nuisance to stop, not the fix.",
      actions: ['restore-network'],
      patterns: [`\\b(re)?connect\\w*[^.;]{0,40}${THREAT_EVALUATOR}`, `${THREAT_EVALUATOR}[^.;]{0,40}\\b(re)?connect`, `restore[^.;]{0,40}(network|connectivity)[^.;]{0,40}${THREAT_EVALUATOR}`, `reattach[^.;]{0,30}${THREAT_EVALUATOR}`],
    },
    propagation: [
      'threat-evaluator detached from the network while running',
      'command-center receives no assessment and issues no order (engagement-orders-absent)',
      'meanwhile, unrelated: tactical-display restarts every 10 s (service-restarting); it publishes nothing, so nothing downstream notices',
    ],
    misattributions: [
      {
        claim: "the tactical display's restarts are the cause",
        patterns: [
          'root cause\\W{0,10}(is |was |lies )?(on |in |with )?(the )?(tactical[- ]display|display)',
          '(tactical[- ]display|display)[^.;]{0,40}(is|was) the (root )?cause',
          '(restart(s|ing)?|restart loop|flapping)[^.;]{0,30}(of )?(the )?(tactical[- ]display|display)[^.;]{0,40}(caused|causes|led to|leads to|explains the|stopped|blocks?)',
        ],
        penalty: 2,
      },
      { claim: 'threat-evaluator crashed or stopped', patterns: [`${THREAT_EVALUATOR}[^.;]{0,30}(was |got |has )?(crash(ed)?|exited|terminated|stopped)\\b(?! \\w+ing\\b)`], penalty: 1 },
      { claim: 'command-center is the cause', patterns: ['root cause\\W{0,10}(is |was |lies )?(on |in |with )?(the )?command-center', 'command-center[^.]{0,40}(is|was) the (root )?cause'], penalty: 1 },
    ],
  },
};
