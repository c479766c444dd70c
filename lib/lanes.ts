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
