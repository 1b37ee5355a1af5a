// Async work over a list with a bounded number of items in flight (a Worker invocation, say, keeps at
// most 6 connections open).

/** Runs `work` over `items`, at most `limit` at a time, each item once; resolves when all are done. */
export async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
