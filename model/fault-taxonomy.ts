/**
 * The lab's fault taxonomy and its typed remediation actions: the words an
 * agent's structured answer chooses from, and the ground truth's. Broader
 * than the faults the catalogue injects, so that the list itself never tells
 * an agent which faults to expect.
 */

export const FAULT_CATEGORIES = {
  'process-stopped': 'a service process stopped or exited and stays down',
  'process-frozen': 'a service process is alive but does no work (hung, paused, deadlocked)',
  'crash-loop': 'a service keeps exiting and being restarted',
  'network-partition': 'a service is cut off from the network the others share',
  'transport-qos-mismatch': 'DDS readers and writers of a topic request and offer incompatible QoS, so they never match',
  'transport-partition-mismatch': 'DDS endpoints of a topic sit in different partitions or domains, so they never match',
  'slow-consumer': 'a reader cannot keep up and holds back its writers (reliable back-pressure, growing queues)',
  'publish-rate-anomaly': 'a producer publishes far above or below its declared rate',
  'cpu-starvation': 'a service gets too little CPU (limit, quota, contention)',
  'memory-leak': "a service's memory grows without bound",
  'configuration-error': 'a service runs with a wrong configuration value',
  'data-quality': 'a service emits wrong content (bias, miscalibration, corrupted values)',
  'logic-error': "a service's decision logic misbehaves (thresholds, rules)",
  'dependency-failure': 'something the services depend on outside the lab fails',
  other: 'none of the above',
  undetermined: 'something is wrong with the service, but the evidence cannot tell what',
} as const;

export type FaultCategory = keyof typeof FAULT_CATEGORIES;
export const FAULT_CATEGORY_IDS = Object.keys(FAULT_CATEGORIES) as [FaultCategory, ...FaultCategory[]];

export const REMEDIATION_ACTIONS = {
  'start-service': 'start a stopped service again',
  'restart-service': 'restart a running service',
  'restore-network': "restore a service's network connectivity",
  'remove-resource-limit': 'lift or raise a CPU or memory limit',
  'revert-configuration': "put a service's configuration back to its intended values (and restart it)",
  'rollback-release': 'roll back the build or change that introduced the fault',
  'throttle-producer': 'slow down a producer that publishes too much',
  recalibrate: 'recalibrate a sensor or correct the data it produces',
  'scale-out': 'add capacity (more instances or resources)',
  'no-action': 'nothing to remediate',
  other: 'something else, described in the details',
} as const;

export type RemediationAction = keyof typeof REMEDIATION_ACTIONS;
export const REMEDIATION_ACTION_IDS = Object.keys(REMEDIATION_ACTIONS) as [RemediationAction, ...RemediationAction[]];
