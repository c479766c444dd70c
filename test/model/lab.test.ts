import { ALERT_RULES, type AlertRule } from '../../model/alerts';
import { DEFAULT_LAB, LabModelError, buildLabModel, validateLabModel } from '../../model/lab';

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof LabModelError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the model to be refused');
}

describe('the lab model', () => {
  it('accepts the default lab and carries the seven reference rules and the added ones', () => {
    const lab = buildLabModel();
    expect(lab.alertRules.map((r) => r.uid)).toEqual([
      'sensor-down',
      'fusion-latency-high',
      'tactical-tracks-collapsed',
      'sensor-flood',
      'fusion-queue-deep',
      'fusion-contributors-dropped',
      'fusion-memory-elevated',
      'tactical-tracks-excess',
      'engagement-orders-absent',
      'service-restarting',
    ]);
    expect(lab.bindAddress).toBe('127.0.0.1');
  });

  it.each([
    [{ grafana: { hostPort: 19090 } }, 'grafana.hostPort: duplicate host port 19090 (also observability.prometheus.hostPort)'],
    [{ grafana: { hostPort: 3000 } }, 'grafana.hostPort: host ports live in 13000-13999 or 19000-19999'],
    [{ bindAddress: '0.0.0.0' }, 'bindAddress: must be a loopback address'],
    [{ images: { grafana: 'grafana/grafana:latest' } }, "images.grafana: must not use the moving tag 'latest'"],
    [{ images: { loki: 'grafana/loki' } }, 'images.loki: must pin a tag or digest'],
    [{ observability: { prometheus: { retention: 'a day' } } }, 'observability.prometheus.retention: must be a duration'],
    [{ observability: { loki: { retention: '12h' } } }, 'observability.loki.retention: Loki retention must be at least 24h'],
    [{ observability: { scrapeIntervalS: 30 } }, 'observability.scrapeIntervalS:'],
    [{ grafana: { adminUser: 'admin' } }, "grafana.adminUser: must not be the default 'admin'"],
    [{ agents: { opensre: { ref: 'v2026.4.25' } } }, 'agents.opensre.ref: must be v2026.4.28 or later'],
    [{ agents: { ollama: { model: 'llama3.1:8b' } } }, 'agents.opensre.llm.model: must be the model Ollama serves'],
    [{ cms: { services: DEFAULT_LAB.cms.services.slice(1) } }, "cms.services: service 'radar-sensor' is missing"],
    [{ agentNetwork: { name: 'cms-lab' } }, 'agentNetwork.name: must differ from network.name'],
    [{ agentNetwork: { subnet: '172.30.80.0/24' } }, 'agentNetwork.subnet: must differ from network.subnet'],
    [{ noise: { ambient: { restarts: { service: 'radar-sensor', everyS: 150 } } } }, 'noise.ambient.restarts.service: must be a service nothing reads from (tactical-display): restarting radar-sensor interrupts the data flow, which is a fault, not noise'],
    [{ noise: { ambient: { cpuNeighbour: { name: 'track-fusion', cpus: 0.25 } } } }, "noise.ambient.cpuNeighbour.name: must not be a CMS service's name ('track-fusion')"],
    [{ noise: { ambient: { cpuNeighbour: { name: 'report-indexer', cpus: 1.5 } } } }, 'noise.ambient.cpuNeighbour.cpus:'],
    [{ noise: { ambient: { logBursts: { services: ['track-fusion', 'track-fusion'], everyS: 40 } } } }, "noise.ambient.logBursts.services.1: 'track-fusion' is listed twice"],
    [{ unexpected: true }, 'Unrecognized key'],
  ])('refuses %p, naming the field', (overrides, message) => {
    const problems = problemsOf(() => buildLabModel(overrides as never));
    expect(problems.join('\n')).toContain(message);
  });

  it('refuses a duplicated service', () => {
    const services = [...DEFAULT_LAB.cms.services, DEFAULT_LAB.cms.services[0]];
    expect(problemsOf(() => buildLabModel({ cms: { services } })).join('\n')).toContain("cms.services.8.name: service 'radar-sensor' is listed twice");
  });

  const ruleWith = (changes: Partial<AlertRule>): AlertRule[] => [{ ...ALERT_RULES[0], ...changes }, ...ALERT_RULES.slice(1)];

  it.each([
    [{ expr: 'sum(rate(cms_sensor_published_total[1m]) > ' }, 'alertRules[0] (sensor-down).expr: syntax error'],
    [{ expr: 'cms_sensor_publised_total > 1' }, "metric 'cms_sensor_publised_total' is not in the telemetry contract"],
    [{ for: 'half a minute' }, "alertRules[0] (sensor-down).for: 'half a minute' is not a duration"],
    [{ services: ['sonar-sensor' as never] }, "alertRules[0] (sensor-down).services: unknown service 'sonar-sensor'"],
    [{ pipelineName: { from: 'static' as const, service: 'nope' as never } }, "pipelineName.service: unknown service 'nope'"],
    [{ uid: 'fusion-latency-high' }, 'duplicate rule uid'],
  ] as Array<[Partial<AlertRule>, string]>)('refuses an alert rule with %p', (changes, message) => {
    expect(problemsOf(() => validateLabModel(DEFAULT_LAB, ruleWith(changes))).join('\n')).toContain(message);
  });

  it('lists every problem at once', () => {
    expect(problemsOf(() => buildLabModel({ bindAddress: '10.0.0.1', grafana: { adminUser: 'admin' } }))).toHaveLength(2);
  });
});
