/** Shared checks for the service system tests, derived from the model and the contract. */
import type { NativeLab } from '../../harness/native-lab';
import { sumOf } from '../../harness/prom-text';
import { sleep } from '../../lib/wait';

export { ALL_SENSOR_IDS, type Picture, steadyStateReached } from '../../harness/steady-state';

/** Per-second rate of a counter over `seconds`, read from a service's /metrics. */
export async function measureRate(lab: NativeLab, service: Parameters<NativeLab['scrape']>[0], metric: string, labels: Record<string, string>, seconds: number): Promise<number> {
  const before = sumOf(await lab.scrape(service), metric, labels);
  const start = Date.now();
  await sleep(seconds * 1000);
  const after = sumOf(await lab.scrape(service), metric, labels);
  return (after - before) / ((Date.now() - start) / 1000);
}
