/**
 * The native form of each fault kind, applied to a namespaces-mode native
 * lab: what `docker stop`, a variant container (with a CPU limit or not),
 * `docker network disconnect` and `docker pause` do to a container, done to
 * a process.
 */
import { cfsQuotaOf } from '../scenarios/faults';
import type { FaultSpec } from '../scenarios/types';
import type { NativeLab } from './native-lab';

/** Injects the fault; returns the function that reverts it. */
export async function injectNative(lab: NativeLab, fault: FaultSpec): Promise<() => Promise<void>> {
  switch (fault.kind) {
    case 'stop-service':
      await lab.stopService(fault.service, 'SIGTERM');
      return () => lab.startService(fault.service);
    case 'cpu-quota':
      // as on Docker: the service restarted (the variant), then its CPU limited; the revert lifts the limit and restarts it again
      await lab.startService(fault.service, {}, { memoryLimitMb: undefined });
      lab.cgroup(fault.service).setCpus(fault.cpus, cfsQuotaOf(fault).periodUs);
      return async () => {
        lab.cgroup(fault.service).setCpus(undefined);
        await lab.startService(fault.service, {}, { memoryLimitMb: undefined });
      };
    case 'restart-with':
      await lab.startService(fault.service, fault.env, { memoryLimitMb: fault.memoryLimitMb });
      return () => lab.startService(fault.service, {}, { memoryLimitMb: undefined });
    case 'network-detach':
      lab.bridgeNetwork().setLink(fault.service, false);
      return async () => lab.bridgeNetwork().setLink(fault.service, true);
    case 'freeze':
      // what docker pause does through the cgroup freezer: every thread stopped, the process and its sockets kept
      lab.signalService(fault.service, 'SIGSTOP');
      return async () => lab.signalService(fault.service, 'SIGCONT');
  }
}
