/**
 * Runs async jobs in at most `lanes` parallel lanes, longest first, keeping
 * their input order in the results. When a job fails, no new job starts, and
 * the call settles only after every running job has finished (so each can
 * clean up its lab), then rethrows the first failure.
 */
export async function inLanes<T, R>(items: readonly T[], lanes: number, weight: (item: T) => number, run: (item: T) => Promise<R>): Promise<R[]> {
  const order = items.map((item, index) => ({ item, index })).sort((a, b) => weight(b.item) - weight(a.item));
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < order.length) {
      const { item, index } = order[next++];
      try {
        results[index] = await run(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, lane));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  return results;
}

/**
 * Like inLanes, over lanes that are things (engines, labs) rather than a
 * count, and that may join while the jobs run: each job runs on a lane that
 * is free, longest first; a lane added later takes the jobs still waiting.
 * When a job fails, or the signal aborts, no new job starts and `run`
 * settles once the running ones have finished, rethrowing the first failure
 * (or the abort's reason).
 */
export class LanePool<L> {
  private readonly free: L[] = [];
  private wake: (() => void) | undefined;
  private running = false;

  /** Lanes ready to take jobs (now, or while `run` is under way). */
  add(...lanes: L[]): void {
    this.free.push(...lanes);
    this.wake?.();
  }

  /** Runs every item's job on a free lane, one job per lane at a time; one `run` at a time per pool. */
  async run<T, R>(items: readonly T[], weight: (item: T) => number, job: (item: T, lane: L) => Promise<R>, signal?: AbortSignal): Promise<R[]> {
    if (this.running) throw new Error('LanePool.run is already under way: one run at a time shares the lanes');
    this.running = true;
    const order = items.map((item, index) => ({ item, index })).sort((a, b) => weight(b.item) - weight(a.item));
    const results = new Array<R>(items.length);
    const inFlight = new Set<Promise<void>>();
    const failures: unknown[] = [];
    const onAbort = () => this.wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      let next = 0;
      while (next < order.length && failures.length === 0 && !signal?.aborted) {
        if (this.free.length === 0) {
          // a lane comes back when a job ends, or joins through add(); an abort wakes the wait too
          await new Promise<void>((resolve) => (this.wake = resolve));
          this.wake = undefined;
          continue;
        }
        const lane = this.free.shift()!;
        const { item, index } = order[next++];
        // a job that throws at once fails like one that rejects: its lane comes back, the others are awaited
        const tracked: Promise<void> = Promise.resolve()
          .then(() => job(item, lane))
          .then(
            (result) => {
              results[index] = result;
            },
            (error: unknown) => {
              failures.push(error);
            },
          )
          .finally(() => {
            inFlight.delete(tracked);
            this.add(lane);
          });
        inFlight.add(tracked);
      }
      await Promise.all(inFlight);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.running = false;
    }
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} jobs failed; the first: ${(failures[0] as Error)?.message ?? String(failures[0])}`);
    if (failures.length === 1) throw failures[0];
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
    return results;
  }
}
