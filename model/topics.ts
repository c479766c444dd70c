/**
 * The five DDS topics and their QoS contracts (the reference table), plus the
 * writer-only overrides that `CMS_FORCE_QOS` may apply. Every service builds
 * its readers and writers from here; nothing else names a QoS policy.
 */

export const TOPIC_NAMES = [
  'SourceTrackTopic',
  'TacticalTrackTopic',
  'ThreatAssessmentTopic',
  'MissionOrderTopic',
  'EngagementStatusTopic',
] as const;
export type TopicName = (typeof TOPIC_NAMES)[number];

export type Reliability = 'BEST_EFFORT' | 'RELIABLE';
export type Durability = 'VOLATILE' | 'TRANSIENT_LOCAL';
export type History = { readonly kind: 'KEEP_LAST'; readonly depth: number } | { readonly kind: 'KEEP_ALL' };

export interface QosProfile {
  readonly reliability: Reliability;
  readonly history: History;
  readonly durability: Durability;
  /** @default 'SHARED' */
  readonly ownership?: 'SHARED' | 'EXCLUSIVE';
  /** Latency budget in milliseconds. @default 0 */
  readonly latencyBudgetMs?: number;
  /** Publisher/subscriber partition. @default the default (empty) partition */
  readonly partition?: string;
  /**
   * Most samples an endpoint's history may hold. A KEEP_ALL reader whose
   * cache is full stops acknowledging, and its RELIABLE KEEP_ALL writer
   * then blocks (Cyclone 0.10 enforces it on the reader's cache).
   * @default unlimited
   */
  readonly maxSamples?: number;
}

export interface TopicSpec {
  readonly name: TopicName;
  /** IDL struct carried by the topic (module `cms`). */
  readonly type: 'SourceTrack' | 'TacticalTrack' | 'ThreatAssessment' | 'MissionOrder' | 'EngagementStatus';
  readonly qos: QosProfile;
}

export const TOPICS = [
  {
    name: 'SourceTrackTopic',
    type: 'SourceTrack',
    qos: { reliability: 'BEST_EFFORT', history: { kind: 'KEEP_LAST', depth: 10 }, durability: 'VOLATILE' },
  },
  {
    name: 'TacticalTrackTopic',
    type: 'TacticalTrack',
    // every update reaches every consumer: a reader that falls 256 samples behind holds fusion back instead of losing tracks
    qos: { reliability: 'RELIABLE', history: { kind: 'KEEP_ALL' }, durability: 'VOLATILE', maxSamples: 256 },
  },
  {
    name: 'ThreatAssessmentTopic',
    type: 'ThreatAssessment',
    qos: { reliability: 'RELIABLE', history: { kind: 'KEEP_LAST', depth: 20 }, durability: 'VOLATILE' },
  },
  {
    name: 'MissionOrderTopic',
    type: 'MissionOrder',
    qos: { reliability: 'RELIABLE', history: { kind: 'KEEP_ALL' }, durability: 'TRANSIENT_LOCAL' },
  },
  {
    name: 'EngagementStatusTopic',
    type: 'EngagementStatus',
    qos: { reliability: 'RELIABLE', history: { kind: 'KEEP_LAST', depth: 20 }, durability: 'VOLATILE' },
  },
] as const satisfies readonly TopicSpec[];

/** The IDL struct name a topic carries, at the type level. */
export type TopicTypeName<N extends TopicName> = Extract<(typeof TOPICS)[number], { name: N }>['type'];

export function topicSpec(name: TopicName): TopicSpec {
  const spec = (TOPICS as readonly TopicSpec[]).find((t) => t.name === name);
  if (!spec) throw new Error(`unknown topic '${name}'`);
  return spec;
}

/**
 * Writer-only overrides for `CMS_FORCE_QOS`. Each one is a genuine
 * requested-versus-offered incompatibility with the canonical reader of any
 * topic (checked against Cyclone DDS 0.10 in test/services/runtime/dds), so
 * discovery succeeds but no sample is delivered. A RELIABLE writer is not
 * among them: it satisfies a BEST_EFFORT reader and would inject no fault.
 */
export const FORCED_WRITER_QOS = {
  /** Offered ownership EXCLUSIVE against a requested SHARED reader. */
  EXCLUSIVE_OWNERSHIP: { ownership: 'EXCLUSIVE' },
  /** Offered latency budget of 100 ms against a requested budget of 0. */
  LATENCY_BUDGET_100MS: { latencyBudgetMs: 100 },
  /** Writer in partition `maintenance`; the canonical readers use the default partition. */
  FOREIGN_PARTITION: { partition: 'maintenance' },
} as const satisfies Record<string, Partial<QosProfile>>;
export type ForcedWriterQos = keyof typeof FORCED_WRITER_QOS;
export const FORCED_WRITER_QOS_NAMES = Object.keys(FORCED_WRITER_QOS) as ForcedWriterQos[];

/**
 * Profile names that look like overrides but are DDS-compatible with the
 * canonical readers; rejected with an explanation instead of silently
 * injecting nothing (the original experiment's mistake).
 */
export const COMPATIBLE_OVERRIDES_REJECTED: Readonly<Record<string, string>> = {
  RELIABLE_KEEP_LAST:
    'a RELIABLE writer satisfies a BEST_EFFORT reader under DDS requested-versus-offered matching, so every sample would still be delivered',
  RELIABLE: 'a RELIABLE writer satisfies a BEST_EFFORT reader, so every sample would still be delivered',
  TRANSIENT_LOCAL: 'an offered durability stronger than the requested one is compatible',
};

export function writerQos(topic: TopicName, override?: ForcedWriterQos): QosProfile {
  const base = topicSpec(topic).qos;
  return override ? { ...base, ...FORCED_WRITER_QOS[override] } : base;
}

export function readerQos(topic: TopicName): QosProfile {
  return topicSpec(topic).qos;
}

export function describeHistory(history: History): string {
  return history.kind === 'KEEP_ALL' ? 'KEEP_ALL' : `KEEP_LAST(${history.depth})`;
}
