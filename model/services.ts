import type { TopicName } from './topics';

/** The eight CMS services, in pipeline order. */
export const SERVICE_NAMES = [
  'radar-sensor',
  'esm-sensor',
  'eo-sensor',
  'track-fusion',
  'threat-evaluator',
  'command-center',
  'effector-manager',
  'tactical-display',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const SENSOR_SERVICES = ['radar-sensor', 'esm-sensor', 'eo-sensor'] as const;
export type SensorServiceName = (typeof SENSOR_SERVICES)[number];

export interface SensorSpec {
  /** Value of the `sensor_id` label and of SourceTrack.sensor_id. */
  readonly sensorId: string;
  readonly sensorType: 'RADAR' | 'ESM' | 'EO';
  /** Scans per second at steady state; `PUBLISH_RATE_HZ` overrides it. */
  readonly rateHz: number;
  /** Probability that one scan detects one target. */
  readonly detectionProbability: number;
  /** One-sigma position noise, metres. */
  readonly positionSigmaM: number;
  /** One-sigma velocity noise, metres per second. */
  readonly velocitySigmaMps: number;
  /** Whether the sensor reports the target's class (radar does not). */
  readonly classifies: boolean;
}

export interface CmsServiceSpec {
  readonly name: ServiceName;
  /** Prometheus `/metrics` (and health) port inside the container. */
  readonly metricsPort: number;
  readonly description: string;
  readonly publishes: readonly TopicName[];
  readonly subscribes: readonly TopicName[];
  readonly sensor?: SensorSpec;
}

export const CMS_SERVICES: readonly CmsServiceSpec[] = [
  {
    name: 'radar-sensor',
    metricsPort: 9101,
    description: 'Active radar: 10 Hz, low position noise, no fine classification',
    publishes: ['SourceTrackTopic'],
    subscribes: [],
    sensor: {
      sensorId: 'RADAR-1',
      sensorType: 'RADAR',
      rateHz: 10,
      detectionProbability: 0.97,
      positionSigmaM: 40,
      velocitySigmaMps: 4,
      classifies: false,
    },
  },
  {
    name: 'esm-sensor',
    metricsPort: 9102,
    description: 'Passive RF (ESM): 5 Hz, wider position noise, classifies the emitter',
    publishes: ['SourceTrackTopic'],
    subscribes: [],
    sensor: {
      sensorId: 'ESM-2',
      sensorType: 'ESM',
      rateHz: 5,
      detectionProbability: 0.93,
      positionSigmaM: 600,
      velocitySigmaMps: 25,
      classifies: true,
    },
  },
  {
    name: 'eo-sensor',
    metricsPort: 9103,
    description: 'Electro-optical: 2 Hz, tight position when it detects (70%)',
    publishes: ['SourceTrackTopic'],
    subscribes: [],
    sensor: {
      sensorId: 'EO-3',
      sensorType: 'EO',
      rateHz: 2,
      detectionProbability: 0.7,
      positionSigmaM: 10,
      velocitySigmaMps: 2,
      classifies: true,
    },
  },
  {
    name: 'track-fusion',
    metricsPort: 9104,
    description: 'Nearest-neighbour correlation of source tracks into one tactical track per target, through a bounded queue',
    publishes: ['TacticalTrackTopic'],
    subscribes: ['SourceTrackTopic'],
  },
  {
    name: 'threat-evaluator',
    metricsPort: 9105,
    description: 'Rule-based threat scoring by speed, altitude and classification',
    publishes: ['ThreatAssessmentTopic'],
    subscribes: ['TacticalTrackTopic'],
  },
  {
    name: 'command-center',
    metricsPort: 9106,
    description: 'Issues ENGAGE / MONITOR mission orders against assessed threats',
    publishes: ['MissionOrderTopic'],
    subscribes: ['ThreatAssessmentTopic'],
  },
  {
    name: 'effector-manager',
    metricsPort: 9107,
    description: 'Runs the engagement lifecycle ACCEPTED → IN_FLIGHT → HIT/MISS',
    publishes: ['EngagementStatusTopic'],
    subscribes: ['MissionOrderTopic'],
  },
  {
    name: 'tactical-display',
    metricsPort: 9108,
    description: 'Operator surface: ingests every topic and serves the live picture over HTTP (JSON)',
    publishes: [],
    subscribes: ['SourceTrackTopic', 'TacticalTrackTopic', 'ThreatAssessmentTopic', 'MissionOrderTopic', 'EngagementStatusTopic'],
  },
];

export function serviceSpec(name: ServiceName): CmsServiceSpec {
  const spec = CMS_SERVICES.find((s) => s.name === name);
  if (!spec) throw new Error(`unknown CMS service '${name}'`);
  return spec;
}

/** The services that read what `service` writes (its consumers over DDS). */
export function readersOf(service: ServiceName): ServiceName[] {
  const writes = serviceSpec(service).publishes;
  return CMS_SERVICES.filter((c) => c.subscribes.some((t) => writes.includes(t))).map((c) => c.name);
}

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}

/** Sensor services with their sensor spec, for code that needs both. */
export function sensorSpecs(): ReadonlyArray<{ service: ServiceName; sensor: SensorSpec }> {
  return CMS_SERVICES.filter((s) => s.sensor).map((s) => ({ service: s.name, sensor: s.sensor as SensorSpec }));
}
