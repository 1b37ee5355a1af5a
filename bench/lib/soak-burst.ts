// The soak's heavier burst (bench/soak.ts --burst): every dashboard asks for the biggest 1m charts
// (5,000 candles) over distinct ranges at once, round after round, while the isolate's heap is read as
// it is every 250 ms (its peak: answers in flight plus the caches filling) and after a full GC at the end.
import type { InspectorHeap } from "./inspector-heap";
import type { Dashboard } from "./soak-dashboard";

export interface BurstRecord {
  rounds: number;
  requests: number;
  seconds: number;
  /** bytes: the heap before, its peak while the charts were built, and after a full GC at the end */
  heapBefore: number;
  heapPeak: number;
  heapAfterGc: number;
}

const CHART = 5000;
const STEP_S = 3 * 3600; // ranges 3 h apart: each request a new answer (the chart cache fills, then evicts)

export async function chartBurst(
  dashboards: Dashboard[],
  heap: InspectorHeap,
  rounds = 3,
): Promise<BurstRecord> {
  const heapBefore = (await heap.usage()).used;
  let heapPeak = heapBefore;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      heapPeak = Math.max(heapPeak, (await heap.usage(false)).used);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const start = performance.now();
  const now = Math.floor(Date.now() / 1000);
  let requests = 0;
  for (let r = 0; r < rounds; r++) {
    await Promise.all(
      dashboards.map((d, i) => {
        requests++;
        const end = now - (r * dashboards.length + i) * STEP_S;
        return d.call(`/api/instruments/${d.symbol}/data/1m?limit=${CHART}&end=${end}`);
      }),
    );
  }
  const seconds = (performance.now() - start) / 1000;
  sampling = false;
  await sampler;
  return { rounds, requests, seconds, heapBefore, heapPeak, heapAfterGc: (await heap.usage()).used };
}
