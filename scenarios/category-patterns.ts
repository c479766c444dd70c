/**
 * The words that name a fault category in a report, for categories more than
 * one scenario uses (case-insensitive regular expressions). A scenario with
 * its own vocabulary lists its patterns itself.
 */
import type { FaultCategory } from '../model/fault-taxonomy';

export const CATEGORY_PATTERNS = {
  'network-partition': ['network partition', '(detached|disconnected|isolated|cut off) from (the )?network', 'network (isolation|connectivity|outage|split)', 'unreachable[^.]{0,60}(running|alive)', '(running|alive)[^.]{0,60}unreachable'],
  'process-frozen': ['\\b(frozen|freez(e|ing)|paused|hung|hang(s|ing)?|stuck|deadlock(ed)?|unresponsive|sigstop)\\b'],
  'transport-partition-mismatch': ['partition[^.]{0,40}(mismatch|differ|wrong|foreign|maintenance|incompatib)', '(different|wrong|foreign|another|other) (dds )?partition', 'policy[= ]"?partition'],
} as const satisfies Partial<Record<FaultCategory, readonly string[]>>;
