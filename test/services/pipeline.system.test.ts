/**
 * The eight services as native processes over real Cyclone DDS on loopback,
 * exporting OTLP to an in-test receiver.
 *
 * Expected span tree of one engagement (every span in one trace):
 *
 *   sensor.scan.<sensor_id>                      radar-sensor | esm-sensor | eo-sensor   (the only root)
 *   ├── display.ingest.SourceTrackTopic          tactical-display
 *   └── fusion.ingest                            track-fusion       (one per detection of the scan)
 *       ├── display.ingest.TacticalTrackTopic    tactical-display
 *       └── threat.evaluate                      threat-evaluator
 *           ├── display.ingest.ThreatAssessmentTopic
 *           └── command.issue_order              command-center     (when an order is due)
 *               ├── display.ingest.MissionOrderTopic
 *               └── effector.engage              effector-manager   (ACCEPTED → IN_FLIGHT → HIT/MISS)
 *                   └── display.ingest.EngagementStatusTopic  × 3 (one per transition)
 */
import { NativeLab } from '../../harness/native-lab';
import { waitFor } from '../../lib/wait';
import { OtlpReceiver, type ReceivedSpan } from '../../harness/otlp-receiver';
import { sumOf } from '../../harness/prom-text';
import { SERVICE_NAMES, serviceSpec } from '../../model/services';
import { LOG_ENVELOPE_FIELDS, RUNTIME_METRICS, SPANS, logEventsOf, metricsOf, spanNameMatches } from '../../model/telemetry';
import { TOPIC_NAMES } from '../../model/topics';
import { type Picture, steadyStateReached } from './support';
import { uniqueLabName } from '../../harness/lab-scan';

jest.setTimeout(120_000);

const SENSOR_SERVICES = SERVICE_NAMES.filter((s) => serviceSpec(s).sensor !== undefined);

/**
 * When the display had received from every writer upstream of an order.
 * SourceTrack, TacticalTrack and ThreatAssessment are VOLATILE: a scan
 * published while discovery was still under way never reaches the display
 * (MissionOrder is TRANSIENT_LOCAL and still arrives, from history), so the
 * display can join only the traces begun after this.
 */
function displayJoinedAtNs(spans: readonly ReceivedSpan[]): bigint | undefined {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const first = new Map<string, bigint>();
  for (const span of spans) {
    const writer = span.service === 'tactical-display' ? byId.get(span.parentSpanId ?? '')?.service : undefined;
    const key = `${span.name} from ${writer}`;
    if (writer && (first.get(key) ?? span.startNs + 1n) > span.startNs) first.set(key, span.startNs);
  }
  const needed = [...SENSOR_SERVICES.map((s) => `display.ingest.SourceTrackTopic from ${s}`), 'display.ingest.TacticalTrackTopic from track-fusion', 'display.ingest.ThreatAssessmentTopic from threat-evaluator'];
  const times = needed.map((k) => first.get(k));
  return times.every((t) => t !== undefined) ? (times as bigint[]).reduce((a, b) => (b > a ? b : a)) : undefined;
}

/** Resolved engagements, each with whether its trace began after the display had joined. */
function resolvedEngagements(spans: readonly ReceivedSpan[]): Array<{ engage: ReceivedSpan; displayJoined: boolean }> {
  const joinedAt = displayJoinedAtNs(spans);
  return spans
    .filter((s) => s.name === 'effector.engage' && s.attributes['engagement.outcome'] !== undefined)
    .map((engage) => {
      const root = spans.find((s) => s.traceId === engage.traceId && !s.parentSpanId);
      return { engage, displayJoined: joinedAt !== undefined && root !== undefined && root.startNs > joinedAt };
    });
}

describe('the CMS pipeline over real Cyclone DDS', () => {
  const receiver = new OtlpReceiver();
  let lab: NativeLab;

  beforeAll(async () => {
    const endpoint = await receiver.start();
    lab = new NativeLab({ name: uniqueLabName('cms-test-pipeline'), otlpEndpoint: endpoint });
    await lab.start();
  });

  afterAll(async () => {
    await lab?.stop();
    await receiver.stop();
  });

  it('reaches steady state: three tactical tracks fed by every sensor, threat levels, orders, resolved engagements', async () => {
    await waitFor('steady state', () => steadyStateReached(lab), 60_000, 1000);
    await waitFor(
      'orders of both kinds and a resolved engagement',
      async () => {
        const command = await lab.scrape('command-center');
        const effector = await lab.scrape('effector-manager');
        const seen = {
          engage: sumOf(command, 'cms_orders_issued_total', { action: 'ENGAGE' }),
          monitor: sumOf(command, 'cms_orders_issued_total', { action: 'MONITOR' }),
          outcomes: sumOf(effector, 'cms_engagement_outcomes_total'),
        };
        if (seen.engage > 0 && seen.monitor > 0 && seen.outcomes > 0) return true;
        throw new Error(`so far ${JSON.stringify(seen)}`);
      },
      60_000,
      1000,
    );
    const picture = (await lab.getJson('tactical-display', '/api/picture')) as Picture;
    expect(new Set(picture.tracks.map((t) => t.threat_level))).toEqual(new Set(['CRITICAL', 'HIGH', 'MEDIUM']));
    expect(picture.tracks.map((t) => t.classification).sort()).toEqual(['AIRCRAFT', 'AIRCRAFT', 'MISSILE']);
    expect(lab.events('engagement_resolved').map((l) => l.outcome)).toEqual(expect.arrayContaining([expect.stringMatching(/^(HIT|MISS)$/)]));
  });

  it('serves exactly the contract metrics on every /metrics, with their types and labels', async () => {
    for (const service of SERVICE_NAMES) {
      const families = await lab.scrape(service);
      const contract = metricsOf(service);
      expect([...families.keys()].sort()).toEqual([...contract.map((m) => m.name), ...RUNTIME_METRICS].sort());
      for (const metric of contract) {
        const family = families.get(metric.name);
        expect({ service, metric: metric.name, type: family?.type, help: family?.help }).toEqual({ service, metric: metric.name, type: metric.type, help: metric.help });
        for (const sample of family?.samples ?? []) {
          const labels = Object.keys(sample.labels).filter((l) => l !== 'le').sort();
          expect({ metric: metric.name, labels }).toEqual({ metric: metric.name, labels: [...metric.labels].sort() });
          for (const [label, allowed] of Object.entries(metric.labelValues ?? {})) {
            expect(allowed as readonly string[]).toContain(sample.labels[label]);
          }
        }
      }
    }
    // the series a healthy pipeline must have, by sensor
    const fusion = await lab.scrape('track-fusion');
    for (const id of ['RADAR-1', 'ESM-2', 'EO-3']) expect(sumOf(fusion, 'cms_fusion_ingested_total', { sensor_id: id })).toBeGreaterThan(0);
    for (const sensor of ['radar-sensor', 'esm-sensor', 'eo-sensor'] as const) {
      const id = serviceSpec(sensor).sensor?.sensorId as string;
      expect(sumOf(await lab.scrape(sensor), 'cms_sensor_published_total', { sensor_id: id })).toBeGreaterThan(0);
    }
  });

  it('logs only contract events, each at its level with its fields, as JSON on stdout and OTLP with service_name', async () => {
    for (const service of SERVICE_NAMES) {
      const events = new Map(logEventsOf(service).map((e) => [e.event, e]));
      const lines = lab.logs(service);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        const spec = events.get(line.event);
        expect({ service, event: line.event, inContract: spec !== undefined }).toEqual({ service, event: line.event, inContract: true });
        expect(line.level).toBe(spec?.level);
        for (const field of [...LOG_ENVELOPE_FIELDS, ...(spec?.fields ?? [])]) expect({ event: line.event, field, present: field in line }).toEqual({ event: line.event, field, present: true });
      }
      expect(lab.stderr(service)).toEqual([]);
      await waitFor(`${service} logs over OTLP`, () => receiver.logs.some((l) => l.service === service && l.attributes.event === 'service_starting'), 10_000);
    }
    const withTrace = await waitFor('engagement_resolved over OTLP', () => receiver.logs.find((l) => l.attributes.event === 'engagement_resolved'), 10_000);
    expect(withTrace.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.parse(withTrace.body)).toMatchObject({ event: 'engagement_resolved', service: 'effector-manager' });
  });

  it('pushes the same instruments over OTLP, tagged with service.name', async () => {
    await waitFor('OTLP metrics from fusion', () => receiver.metrics.some((m) => m.service === 'track-fusion' && m.name === 'cms_fusion_active_tracks'), 15_000);
    const fusionPushed = new Set(receiver.metrics.filter((m) => m.service === 'track-fusion').map((m) => m.name));
    for (const metric of metricsOf('track-fusion')) expect(fusionPushed).toContain(metric.name);
    expect(receiver.metrics.find((m) => m.name === 'cms_fusion_processing_seconds')?.kind).toBe('histogram');
    expect(receiver.rejected).toEqual([]);
  });

  describe('after a graceful stop of every service', () => {
    let spans: ReceivedSpan[];

    beforeAll(async () => {
      // usually the first engagement; after a late display, the next re-engagement (within about 20 s)
      await waitFor('a resolved engagement begun after the display had joined', () => resolvedEngagements(receiver.spans).some((e) => e.displayJoined), 60_000, 1000);
      await lab.stop();
      spans = receiver.spans;
    });

    it('exits cleanly, logging the signal and the stop', () => {
      for (const service of SERVICE_NAMES) {
        expect(lab.process(service)?.exitInfo).toEqual({ code: 0, signal: null });
        expect(lab.events('signal_received', service).map((l) => l.signal)).toEqual(['SIGTERM']);
        expect(lab.events('service_stopping', service)).toHaveLength(1);
      }
    });

    it('leaves no span orphaned and names every span as the contract does, under its service', () => {
      const ids = new Set(spans.map((s) => s.spanId));
      expect(spans.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId)).map((s) => s.name)).toEqual([]);
      for (const span of spans) {
        const spec = SPANS.find((p) => spanNameMatches(p.name, span.name));
        expect({ span: span.name, known: spec !== undefined }).toEqual({ span: span.name, known: true });
        expect(spec?.services as readonly string[]).toContain(span.service);
        for (const attribute of spec?.attributes ?? []) expect({ span: span.name, attribute, present: attribute in span.attributes }).toEqual({ span: span.name, attribute, present: true });
      }
    });

    it('gives every engagement one trace, rooted at a sensor scan, through fusion, threat, command and effector, joined by the display once it has discovered every writer', () => {
      const byId = new Map(spans.map((s) => [s.spanId, s]));
      const engagements = resolvedEngagements(spans);
      expect(engagements.filter((e) => e.displayJoined).length).toBeGreaterThan(0);
      for (const { engage, displayJoined } of engagements) {
        const trace = spans.filter((s) => s.traceId === engage.traceId);
        const roots = trace.filter((s) => !s.parentSpanId);
        expect(roots).toHaveLength(1);
        expect(roots[0].name).toMatch(/^sensor\.scan\.(RADAR-1|ESM-2|EO-3)$/);

        const chain: string[] = [];
        for (let span: ReceivedSpan | undefined = engage; span; span = span.parentSpanId ? byId.get(span.parentSpanId) : undefined) {
          chain.push(`${span.service}:${span.name.replace(/^sensor\.scan\..*/, 'sensor.scan.*')}`);
        }
        expect(chain).toEqual([
          'effector-manager:effector.engage',
          'command-center:command.issue_order',
          'threat-evaluator:threat.evaluate',
          'track-fusion:fusion.ingest',
          `${roots[0].service}:sensor.scan.*`,
        ]);
        if (!displayJoined) continue;
        const displayed = new Set(trace.filter((s) => s.service === 'tactical-display').map((s) => s.name.replace('display.ingest.', '')));
        expect([...displayed].sort()).toEqual([...TOPIC_NAMES].sort());
        // each display span hangs off the span that wrote the message it ingested
        for (const span of trace.filter((s) => s.service === 'tactical-display')) {
          const parent = byId.get(span.parentSpanId as string);
          const spec = SPANS.find((p) => p.name === 'display.ingest.<topic>');
          expect(spec?.parents.some((p) => spanNameMatches(p, parent?.name ?? ''))).toBe(true);
        }
        // ACCEPTED, IN_FLIGHT and the outcome are all displayed under the engage span
        expect(trace.filter((s) => s.name === 'display.ingest.EngagementStatusTopic' && s.parentSpanId === engage.spanId)).toHaveLength(3);
      }
    });
  });
});
