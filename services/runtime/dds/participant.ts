/**
 * The DDS facade every CMS service uses: one participant, typed writers that
 * validate before writing, and readers driven by a waitset whose blocking
 * wait runs on koffi's worker thread (never Cyclone listeners: listeners
 * calling back into JavaScript deadlock on delete). Transport status changes
 * (incompatible QoS, matches, liveliness) are reported to an observer, since
 * Cyclone itself logs nothing about them.
 */
import * as koffi from 'koffi';
import path from 'node:path';
import type { MessageTypes } from '../../generated/messages';
import { schema } from '../../generated/messages';
import {
  type ForcedWriterQos,
  type QosProfile,
  type TopicName,
  type TopicTypeName,
  readerQos,
  topicSpec,
  writerQos,
} from '../../../model/topics';
import { projectRoot } from '../paths';
import {
  ANY_STATE,
  DURABILITY,
  HISTORY,
  type IncompatibleQos,
  type LivelinessChanged,
  type Matched,
  OWNERSHIP,
  RELIABILITY,
  STATUS,
  SampleInfo,
  type SampleInfoValue,
  check,
  dds,
  policyName,
} from './ffi';
import { type Rejection, type StructCodec, TypeRegistry, TypeSupport } from './types';

export type TopicMessage<N extends TopicName> = MessageTypes[TopicTypeName<N>];
export type Side = 'reader' | 'writer';

export interface DdsObserver {
  incompatibleQos(event: { topic: TopicName; side: Side; policy: string; totalCount: number; change: number }): void;
  matched(event: { topic: TopicName; side: Side; currentCount: number; currentCountChange: number }): void;
  liveliness(event: {
    topic: TopicName;
    aliveCount: number;
    notAliveCount: number;
    aliveCountChange: number;
    notAliveCountChange: number;
  }): void;
  rejected(event: { topic: TopicName; side: Side } & Rejection): void;
  writeFailed(event: { topic: TopicName; error: string }): void;
  /** Taking, decoding or handling a sample threw; the loop goes on with the next one. */
  receiveFailed(event: { topic: TopicName; error: string }): void;
}

export interface ParticipantOptions {
  /** DDS domain id. @default 0, or CMS_DDS_DOMAIN_ID */
  readonly domainId?: number;
  /**
   * Cyclone configuration for the domain (a `file://` URI or XML), for
   * processes whose C environment cannot carry CYCLONEDDS_URI (a test
   * runner's sandboxed process.env). The first participant of a domain in a
   * process decides its configuration.
   * @default what Cyclone reads from CYCLONEDDS_URI
   */
  readonly config?: string;
  /** Path of the generated type-support library. @default services/generated/native/libcms_messages.so */
  readonly typeSupportPath?: string;
  /** Samples taken from one reader per waitset wake-up, so one busy topic cannot starve the event loop. @default 256 */
  readonly maxSamplesPerWake?: number;
  /** Upper bound of one blocking wait, so shutdown never waits long. @default 1000 */
  readonly waitTimeoutMs?: number;
  /** Receives transport status changes and rejected samples. @default an observer that ignores them */
  readonly observer?: DdsObserver;
}

export interface SampleMeta {
  /** Writer-side source timestamp, nanoseconds since the epoch. */
  readonly sourceTimestampNs: bigint;
}

export type WriteResult = 'written' | 'rejected' | 'failed';

const IGNORE: DdsObserver = {
  incompatibleQos: () => undefined,
  matched: () => undefined,
  liveliness: () => undefined,
  rejected: () => undefined,
  writeFailed: () => undefined,
  receiveFailed: () => undefined,
};

const DEFAULT_TYPE_SUPPORT = path.join(projectRoot(), 'services', 'generated', 'native', 'libcms_messages.so');
/** A RELIABLE writer blocks at most this long when its history is full. */
const MAX_BLOCKING_NS = 50_000_000n;

let sharedTypeSupport: TypeSupport | undefined;

/** Domains this process created with an explicit configuration, with their participant count. */
const explicitDomains = new Map<number, { handle: number; users: number }>();

function acquireDomain(domainId: number, config: string): void {
  const existing = explicitDomains.get(domainId);
  if (existing) {
    existing.users++;
    return;
  }
  const handle = check(`dds_create_domain(${domainId})`, dds.create_domain(domainId, config) as number);
  explicitDomains.set(domainId, { handle, users: 1 });
}

function releaseDomain(domainId: number): void {
  const domain = explicitDomains.get(domainId);
  if (!domain || --domain.users > 0) return;
  explicitDomains.delete(domainId);
  dds.delete(domain.handle);
}

export class DdsWriter<T> {
  constructor(
    /** The Cyclone entity handle. */
    readonly handle: number,
    readonly topic: TopicName,
    readonly qos: QosProfile,
    readonly qosOverride: ForcedWriterQos | undefined,
    private readonly codec: StructCodec<T>,
    private readonly observer: DdsObserver,
  ) {}

  /** Validates and writes one sample; an invalid sample is reported and refused, never written with blanks. */
  write(sample: T): WriteResult {
    const rejection = this.codec.validate(sample);
    if (rejection) {
      this.observer.rejected({ topic: this.topic, side: 'writer', ...rejection });
      return 'rejected';
    }
    const rc = dds.write(this.handle, koffi.as(this.codec.encode(sample), this.codec.pointerType)) as number;
    if (rc < 0) {
      this.observer.writeFailed({ topic: this.topic, error: dds.strretcode(rc) as string });
      return 'failed';
    }
    return 'written';
  }

  /** Unregisters the sample's instance, so a TRANSIENT_LOCAL history stops holding it. */
  unregister(sample: T): void {
    if (this.codec.validate(sample)) return;
    dds.unregister_instance(this.handle, koffi.as(this.codec.encode(sample), this.codec.pointerType));
  }
}

interface ReaderEntry {
  handle: number;
  topic: TopicName;
  codec: StructCodec<unknown>;
  onSample: (sample: unknown, meta: SampleMeta) => void;
}

interface WriterEntry {
  handle: number;
  topic: TopicName;
}

function applyQos(qos: unknown, profile: QosProfile, side: Side): void {
  dds.qset_reliability(qos, RELIABILITY[profile.reliability], side === 'writer' ? MAX_BLOCKING_NS : 0n);
  dds.qset_history(qos, HISTORY[profile.history.kind], profile.history.kind === 'KEEP_LAST' ? profile.history.depth : 0);
  dds.qset_durability(qos, DURABILITY[profile.durability]);
  if (profile.ownership) dds.qset_ownership(qos, OWNERSHIP[profile.ownership]);
  if (profile.latencyBudgetMs) dds.qset_latency_budget(qos, BigInt(profile.latencyBudgetMs) * 1_000_000n);
  if (profile.partition) dds.qset_partition1(qos, profile.partition);
  if (profile.maxSamples !== undefined) dds.qset_resource_limits(qos, profile.maxSamples, -1, -1);
}

export class DdsParticipant {
  readonly handle: number;
  readonly domainId: number;
  private readonly explicitConfig: boolean;
  private readonly typeSupport: TypeSupport;
  private readonly observer: DdsObserver;
  private readonly maxSamples: number;
  private readonly waitTimeoutNs: bigint;
  private readonly topics = new Map<TopicName, number>();
  private readonly readers: ReaderEntry[] = [];
  private readonly writers: WriterEntry[] = [];
  private readonly waitset: number;
  private readonly guard: number;
  private readonly loanBuffer: unknown;
  private readonly infoBuffer: unknown;
  private running = false;
  private closing = false;
  private loopDone?: Promise<void>;
  private resolveLoopDone?: () => void;

  constructor(options: ParticipantOptions = {}) {
    const typeSupportPath = options.typeSupportPath ?? DEFAULT_TYPE_SUPPORT;
    if (!sharedTypeSupport) sharedTypeSupport = new TypeSupport(typeSupportPath, new TypeRegistry(schema));
    this.typeSupport = sharedTypeSupport;
    this.observer = options.observer ?? IGNORE;
    this.maxSamples = options.maxSamplesPerWake ?? 256;
    this.waitTimeoutNs = BigInt(options.waitTimeoutMs ?? 1000) * 1_000_000n;
    const domainId = options.domainId ?? Number(process.env.CMS_DDS_DOMAIN_ID ?? 0);
    this.domainId = domainId;
    this.explicitConfig = options.config !== undefined;
    if (options.config !== undefined) acquireDomain(domainId, options.config);
    this.handle = check('dds_create_participant', dds.create_participant(domainId, null, null) as number);
    this.waitset = check('dds_create_waitset', dds.create_waitset(this.handle) as number);
    this.guard = check('dds_create_guardcondition', dds.create_guardcondition(this.handle) as number);
    check('dds_waitset_attach(guard)', dds.waitset_attach(this.waitset, this.guard, 0) as number);
    this.loanBuffer = koffi.alloc('void *', this.maxSamples);
    this.infoBuffer = koffi.alloc(SampleInfo, this.maxSamples);
  }

  private topic(name: TopicName): number {
    let handle = this.topics.get(name);
    if (handle === undefined) {
      const spec = topicSpec(name);
      handle = check(
        `dds_create_topic(${name})`,
        dds.create_topic(this.handle, this.typeSupport.descriptor(spec.type), name, null, null) as number,
      );
      this.topics.set(name, handle);
    }
    return handle;
  }

  createWriter<N extends TopicName>(topic: N, override?: ForcedWriterQos): DdsWriter<TopicMessage<N>> {
    const profile = writerQos(topic, override);
    const qos = dds.create_qos();
    let handle: number;
    try {
      applyQos(qos, profile, 'writer');
      handle = check(`dds_create_writer(${topic})`, dds.create_writer(this.handle, this.topic(topic), qos, null) as number);
    } finally {
      dds.delete_qos(qos);
    }
    check('dds_set_status_mask', dds.set_status_mask(handle, STATUS.OFFERED_INCOMPATIBLE_QOS | STATUS.PUBLICATION_MATCHED) as number);
    check('dds_waitset_attach(writer)', dds.waitset_attach(this.waitset, handle, 0) as number);
    this.writers.push({ handle, topic });
    const codec = this.typeSupport.registry.struct<TopicMessage<N>>(topicSpec(topic).type);
    return new DdsWriter(handle, topic, profile, override, codec, this.observer);
  }

  createReader<N extends TopicName>(topic: N, onSample: (sample: TopicMessage<N>, meta: SampleMeta) => void): QosProfile {
    const profile = readerQos(topic);
    const qos = dds.create_qos();
    let handle: number;
    try {
      applyQos(qos, profile, 'reader');
      handle = check(`dds_create_reader(${topic})`, dds.create_reader(this.handle, this.topic(topic), qos, null) as number);
    } finally {
      dds.delete_qos(qos);
    }
    check(
      'dds_set_status_mask',
      dds.set_status_mask(
        handle,
        STATUS.REQUESTED_INCOMPATIBLE_QOS | STATUS.SUBSCRIPTION_MATCHED | STATUS.LIVELINESS_CHANGED,
      ) as number,
    );
    const condition = check('dds_create_readcondition', dds.create_readcondition(handle, ANY_STATE) as number);
    check('dds_waitset_attach(readcondition)', dds.waitset_attach(this.waitset, condition, 0) as number);
    check('dds_waitset_attach(reader)', dds.waitset_attach(this.waitset, handle, 0) as number);
    this.readers.push({
      handle,
      topic,
      codec: this.typeSupport.registry.struct(topicSpec(topic).type),
      onSample: onSample as (sample: unknown, meta: SampleMeta) => void,
    });
    return profile;
  }

  /** Starts the receive loop. Statuses of writers are reported too, so start it even without readers. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = new Promise((resolve) => (this.resolveLoopDone = resolve));
    this.waitOnce();
  }

  private waitOnce(): void {
    if (this.closing) {
      this.resolveLoopDone?.();
      return;
    }
    dds.waitset_wait.async(this.waitset, null, 0, this.waitTimeoutNs, (error: unknown) => {
      if (this.closing) {
        this.resolveLoopDone?.();
        return;
      }
      if (error) {
        for (const reader of this.readers) this.observer.receiveFailed({ topic: reader.topic, error: String(error) });
      } else {
        this.pollStatuses();
        for (const reader of this.readers) {
          try {
            this.drain(reader);
          } catch (caught) {
            this.observer.receiveFailed({ topic: reader.topic, error: String(caught) });
          }
        }
      }
      // yield to timers and I/O between wake-ups
      setImmediate(() => this.waitOnce());
    });
  }

  private drain(reader: ReaderEntry): void {
    koffi.encode(this.loanBuffer, 'void *', new Array(this.maxSamples).fill(null), this.maxSamples);
    const n = dds.take(reader.handle, this.loanBuffer, this.infoBuffer, this.maxSamples, this.maxSamples) as number;
    if (n <= 0) return;
    const pointers = koffi.decode(this.loanBuffer, 'void *', n) as unknown[];
    const infos = koffi.decode(this.infoBuffer, SampleInfo, n) as SampleInfoValue[];
    const decoded: Array<{ sample: unknown; meta: SampleMeta }> = [];
    try {
      for (let i = 0; i < n; i++) {
        // instance-state changes (unregister, dispose, no writers) carry no data
        if (!infos[i].valid_data) continue;
        const sample = reader.codec.decode(koffi.decode(pointers[i], reader.codec.koffiType));
        const rejection = reader.codec.validate(sample);
        if (rejection) {
          this.observer.rejected({ topic: reader.topic, side: 'reader', ...rejection });
          continue;
        }
        decoded.push({ sample, meta: { sourceTimestampNs: BigInt(infos[i].source_timestamp) } });
      }
    } finally {
      dds.return_loan(reader.handle, this.loanBuffer, n);
    }
    for (const { sample, meta } of decoded) {
      try {
        reader.onSample(sample, meta);
      } catch (caught) {
        this.observer.receiveFailed({ topic: reader.topic, error: caught instanceof Error ? caught.stack ?? caught.message : String(caught) });
      }
    }
  }

  private pollStatuses(): void {
    const changes = [0];
    for (const reader of this.readers) {
      if ((dds.get_status_changes(reader.handle, changes) as number) < 0 || changes[0] === 0) continue;
      if (changes[0] & STATUS.REQUESTED_INCOMPATIBLE_QOS) {
        const status = {} as IncompatibleQos;
        dds.get_requested_incompatible_qos_status(reader.handle, status);
        this.observer.incompatibleQos({
          topic: reader.topic,
          side: 'reader',
          policy: policyName(status.last_policy_id),
          totalCount: status.total_count,
          change: status.total_count_change,
        });
      }
      if (changes[0] & STATUS.SUBSCRIPTION_MATCHED) {
        const status = {} as Matched;
        dds.get_subscription_matched_status(reader.handle, status);
        this.observer.matched({
          topic: reader.topic,
          side: 'reader',
          currentCount: status.current_count,
          currentCountChange: status.current_count_change,
        });
      }
      if (changes[0] & STATUS.LIVELINESS_CHANGED) {
        const status = {} as LivelinessChanged;
        dds.get_liveliness_changed_status(reader.handle, status);
        this.observer.liveliness({
          topic: reader.topic,
          aliveCount: status.alive_count,
          notAliveCount: status.not_alive_count,
          aliveCountChange: status.alive_count_change,
          notAliveCountChange: status.not_alive_count_change,
        });
      }
    }
    for (const writer of this.writers) {
      if ((dds.get_status_changes(writer.handle, changes) as number) < 0 || changes[0] === 0) continue;
      if (changes[0] & STATUS.OFFERED_INCOMPATIBLE_QOS) {
        const status = {} as IncompatibleQos;
        dds.get_offered_incompatible_qos_status(writer.handle, status);
        this.observer.incompatibleQos({
          topic: writer.topic,
          side: 'writer',
          policy: policyName(status.last_policy_id),
          totalCount: status.total_count,
          change: status.total_count_change,
        });
      }
      if (changes[0] & STATUS.PUBLICATION_MATCHED) {
        const status = {} as Matched;
        dds.get_publication_matched_status(writer.handle, status);
        this.observer.matched({
          topic: writer.topic,
          side: 'writer',
          currentCount: status.current_count,
          currentCountChange: status.current_count_change,
        });
      }
    }
  }

  /** Stops the receive loop, then deletes the participant and everything it owns. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.running) {
      dds.set_guardcondition(this.guard, true);
      await this.loopDone;
    }
    dds.delete(this.handle);
    if (this.explicitConfig) releaseDomain(this.domainId);
  }
}
