/**
 * The thin koffi binding to Cyclone DDS 0.10's C API (libddsc from Debian's
 * libddsc0debian). Only the calls the facade needs are declared; constants
 * are copied from the 0.10 headers (dds.h, dds_public_qosdefs.h).
 */
import * as koffi from 'koffi';

export const DDSC_LIBRARY = process.env.CMS_DDSC_LIBRARY ?? 'libddsc.so.0debian';

function loadDdsc(): koffi.LibraryHandle {
  try {
    return koffi.load(DDSC_LIBRARY);
  } catch (error) {
    throw new Error(
      `cannot load the Cyclone DDS runtime '${DDSC_LIBRARY}' (${(error as Error).message}). ` +
        'Install Debian package libddsc0debian (the test command does this), or set CMS_DDSC_LIBRARY.',
    );
  }
}

export const lib = loadDdsc();

// --- constants (dds.h / dds_public_qosdefs.h, Cyclone DDS 0.10) ------------------------------
export const RELIABILITY = { BEST_EFFORT: 0, RELIABLE: 1 } as const;
export const HISTORY = { KEEP_LAST: 0, KEEP_ALL: 1 } as const;
export const DURABILITY = { VOLATILE: 0, TRANSIENT_LOCAL: 1 } as const;
export const OWNERSHIP = { SHARED: 0, EXCLUSIVE: 1 } as const;
export const ANY_STATE = 0x7f;

/** Status bits: 1 << dds_status_id_t (dds.h). */
export const STATUS = {
  OFFERED_INCOMPATIBLE_QOS: 1 << 3,
  REQUESTED_INCOMPATIBLE_QOS: 1 << 4,
  DATA_AVAILABLE: 1 << 8,
  LIVELINESS_CHANGED: 1 << 10,
  PUBLICATION_MATCHED: 1 << 11,
  SUBSCRIPTION_MATCHED: 1 << 12,
} as const;

/** dds_qos_policy_id_t, indexed by value, for readable status reports. */
export const QOS_POLICY_NAMES = [
  'INVALID',
  'USERDATA',
  'DURABILITY',
  'PRESENTATION',
  'DEADLINE',
  'LATENCYBUDGET',
  'OWNERSHIP',
  'OWNERSHIPSTRENGTH',
  'LIVELINESS',
  'TIMEBASEDFILTER',
  'PARTITION',
  'RELIABILITY',
  'DESTINATIONORDER',
  'HISTORY',
  'RESOURCELIMITS',
  'ENTITYFACTORY',
  'WRITERDATALIFECYCLE',
  'READERDATALIFECYCLE',
  'TOPICDATA',
  'GROUPDATA',
  'TRANSPORTPRIORITY',
  'LIFESPAN',
  'DURABILITYSERVICE',
  'PROPERTY',
  'TYPE_CONSISTENCY_ENFORCEMENT',
  'DATA_REPRESENTATION',
] as const;

export function policyName(id: number): string {
  return QOS_POLICY_NAMES[id] ?? `POLICY_${id}`;
}

// --- structs ---------------------------------------------------------------------------------
// Anonymous on purpose: koffi type names are process-global and this module
// may be evaluated more than once per process (jest does so per test file).
export const SampleInfo = koffi.struct({
  sample_state: 'uint32_t',
  view_state: 'uint32_t',
  instance_state: 'uint32_t',
  valid_data: 'bool',
  source_timestamp: 'int64_t',
  instance_handle: 'uint64_t',
  publication_handle: 'uint64_t',
  disposed_generation_count: 'uint32_t',
  no_writers_generation_count: 'uint32_t',
  sample_rank: 'uint32_t',
  generation_rank: 'uint32_t',
  absolute_generation_rank: 'uint32_t',
});

export const IncompatibleQosStatus = koffi.struct({
  total_count: 'uint32_t',
  total_count_change: 'int32_t',
  last_policy_id: 'uint32_t',
});

export const MatchedStatus = koffi.struct({
  total_count: 'uint32_t',
  total_count_change: 'int32_t',
  current_count: 'uint32_t',
  current_count_change: 'int32_t',
  last_handle: 'uint64_t',
});

export const LivelinessChangedStatus = koffi.struct({
  alive_count: 'uint32_t',
  not_alive_count: 'uint32_t',
  alive_count_change: 'int32_t',
  not_alive_count_change: 'int32_t',
  last_publication_handle: 'uint64_t',
});

/** Leading fields of dds_topic_descriptor_t, to check generated layouts at start-up. */
export const TopicDescriptorHead = koffi.struct({
  m_size: 'uint32_t',
  m_align: 'uint32_t',
  m_flagset: 'uint32_t',
  m_nkeys: 'uint32_t',
  m_typename: 'const char *',
});

export interface IncompatibleQos {
  total_count: number;
  total_count_change: number;
  last_policy_id: number;
}
export interface Matched {
  total_count: number;
  total_count_change: number;
  current_count: number;
  current_count_change: number;
}
export interface LivelinessChanged {
  alive_count: number;
  not_alive_count: number;
  alive_count_change: number;
  not_alive_count_change: number;
}
export interface SampleInfoValue {
  valid_data: boolean;
  source_timestamp: number | bigint;
}

// --- functions -------------------------------------------------------------------------------
const fn = (signature: string) => lib.func(signature);

export const dds = {
  create_domain: fn('int32_t dds_create_domain(uint32_t domain, const char *config)'),
  create_participant: fn('int32_t dds_create_participant(uint32_t domain, void *qos, void *listener)'),
  create_topic: fn('int32_t dds_create_topic(int32_t participant, void *descriptor, const char *name, void *qos, void *listener)'),
  create_writer: fn('int32_t dds_create_writer(int32_t participant, int32_t topic, void *qos, void *listener)'),
  create_reader: fn('int32_t dds_create_reader(int32_t participant, int32_t topic, void *qos, void *listener)'),
  write: fn('int32_t dds_write(int32_t writer, const void *data)'),
  unregister_instance: fn('int32_t dds_unregister_instance(int32_t writer, const void *data)'),
  take: lib.func('dds_take', 'int32_t', ['int32_t', 'void **', 'void *', 'size_t', 'uint32_t']),
  return_loan: fn('int32_t dds_return_loan(int32_t reader, void **buf, int32_t n)'),
  create_waitset: fn('int32_t dds_create_waitset(int32_t participant)'),
  waitset_attach: fn('int32_t dds_waitset_attach(int32_t waitset, int32_t entity, intptr_t x)'),
  waitset_wait: fn('int32_t dds_waitset_wait(int32_t waitset, void *xs, size_t nxs, int64_t reltimeout)'),
  create_readcondition: fn('int32_t dds_create_readcondition(int32_t reader, uint32_t mask)'),
  create_guardcondition: fn('int32_t dds_create_guardcondition(int32_t owner)'),
  set_guardcondition: fn('int32_t dds_set_guardcondition(int32_t guard, bool triggered)'),
  set_status_mask: fn('int32_t dds_set_status_mask(int32_t entity, uint32_t mask)'),
  get_status_changes: fn('int32_t dds_get_status_changes(int32_t entity, _Out_ uint32_t *status)'),
  get_requested_incompatible_qos_status: lib.func('dds_get_requested_incompatible_qos_status', 'int32_t', ['int32_t', koffi.out(koffi.pointer(IncompatibleQosStatus))]),
  get_offered_incompatible_qos_status: lib.func('dds_get_offered_incompatible_qos_status', 'int32_t', ['int32_t', koffi.out(koffi.pointer(IncompatibleQosStatus))]),
  get_subscription_matched_status: lib.func('dds_get_subscription_matched_status', 'int32_t', ['int32_t', koffi.out(koffi.pointer(MatchedStatus))]),
  get_publication_matched_status: lib.func('dds_get_publication_matched_status', 'int32_t', ['int32_t', koffi.out(koffi.pointer(MatchedStatus))]),
  get_liveliness_changed_status: lib.func('dds_get_liveliness_changed_status', 'int32_t', ['int32_t', koffi.out(koffi.pointer(LivelinessChangedStatus))]),
  delete: fn('int32_t dds_delete(int32_t entity)'),
  create_qos: fn('void *dds_create_qos()'),
  delete_qos: fn('void dds_delete_qos(void *qos)'),
  qset_reliability: fn('void dds_qset_reliability(void *qos, int kind, int64_t max_blocking_time)'),
  qset_history: fn('void dds_qset_history(void *qos, int kind, int32_t depth)'),
  qset_durability: fn('void dds_qset_durability(void *qos, int kind)'),
  qset_ownership: fn('void dds_qset_ownership(void *qos, int kind)'),
  qset_latency_budget: fn('void dds_qset_latency_budget(void *qos, int64_t duration)'),
  qset_partition1: fn('void dds_qset_partition1(void *qos, const char *name)'),
  qset_resource_limits: fn('void dds_qset_resource_limits(void *qos, int32_t max_samples, int32_t max_instances, int32_t max_samples_per_instance)'),
  strretcode: fn('const char *dds_strretcode(int32_t ret)'),
};

export class DdsError extends Error {
  constructor(operation: string, readonly code: number) {
    super(`${operation} failed: ${dds.strretcode(code) as string} (${code})`);
    this.name = 'DdsError';
  }
}

/** Throws a DdsError for a negative return code; returns the value otherwise. */
export function check(operation: string, result: number): number {
  if (result < 0) throw new DdsError(operation, result);
  return result;
}
