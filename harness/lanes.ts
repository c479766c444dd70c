/** Runs async jobs in at most `lanes` parallel lanes, longest first, keeping their input order in the results. */
export async function inLanes<T, R>(items: readonly T[], lanes: number, weight: (item: T) => number, run: (item: T) => Promise<R>): Promise<R[]> {
  const order = items.map((item, index) => ({ item, index })).sort((a, b) => weight(b.item) - weight(a.item));
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < order.length) {
      const { item, index } = order[next++];
      results[index] = await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, lane));
  return results;
}
