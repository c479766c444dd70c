/** Lookups into a built lab: fixed container addresses, a service's settings, data volume names. */
import type { LabModel } from './lab';
import { SERVICE_NAMES, type ServiceName } from './services';

/** Containers with a fixed address on the lab network, in address order (.11 onwards, gaps between groups). */
const ADDRESS_ORDER = [
  ...SERVICE_NAMES,
  null,
  'prometheus',
  'loki',
  'tempo',
  'otel-collector',
  'grafana',
  'alert-sink',
] as const;

/** Containers on the agents' network, in address order (.11 onwards). */
const AGENT_NETWORK_ORDER = ['grafana', 'opensre', 'ollama'] as const;

/**
 * The fixed IPv4 address of a lab container. Fixed addresses let a scenario
 * reconnect a detached container exactly as it was, so the lab stack shows
 * no drift after the scenario is destroyed.
 */
export function containerAddress(lab: LabModel, container: string): string {
  const index = (ADDRESS_ORDER as readonly (string | null)[]).indexOf(container);
  if (index < 0) throw new Error(`container '${container}' has no fixed address in the lab network`);
  const [a, b, c] = lab.network.subnet.split('/')[0].split('.');
  return `${a}.${b}.${c}.${11 + index}`;
}

/** The fixed IPv4 address of a container on the agents' network. */
export function agentNetworkAddress(lab: LabModel, container: (typeof AGENT_NETWORK_ORDER)[number]): string {
  const [a, b, c] = lab.agentNetwork.subnet.split('/')[0].split('.');
  return `${a}.${b}.${c}.${11 + AGENT_NETWORK_ORDER.indexOf(container)}`;
}

export function cmsServiceSettings(lab: LabModel, name: ServiceName): LabModel['cms']['services'][number] {
  const settings = lab.cms.services.find((s) => s.name === name);
  if (!settings) throw new Error(`service '${name}' is not in the lab model`);
  return settings;
}

/** The Docker volume holding a stateful observability component's data. */
export function dataVolumeName(lab: LabModel, component: 'prometheus' | 'loki' | 'tempo'): string {
  return `${lab.name}-${component}-data`;
}
