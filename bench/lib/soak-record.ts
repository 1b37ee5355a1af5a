// The soak's per-minute record (bench/soak.ts): was the minute collected and pushed to every socket,
// how late, what failed, and memory; the table per 10 minutes, the summary with slopes, the verdict.
import type { ProcessMemory } from "./proc-cpu";
import { median, percentile, sum } from "./stats";

export interface MinuteRecord {
  /** minutes since the soak's load started */
  n: number;
  /** the candle checked: its open time (Unix s); it closed 60 s later */
  time: number;
  /** per symbol: the minute was stored (the newest 1m candle reached it) */
  collected: Record<string, boolean>;
  /** sockets open since before the candle closed (each should have received it) */
  expected: number;
  received: number;
  /** ms from the candle's close to each socket receiving it */
  latencies: number[];
  /** running totals at the check */
  requests: number;
  status5xx: number;
  status4xx: number;
  errors: number;
  dropped: number;
  openSockets: number;
  /** bytes: workerd's resident memory, the isolate's heap after a full GC (null: not read) */
  rss: number;
  /** the same per workerd process: wrangler's proxy (the port clients use) and the Worker's runtime */
  processes: { proxy: ProcessMemory; worker: ProcessMemory };
  heap: number | null;
  /** bytes of ArrayBuffer backing stores the isolate holds outside its heap, read with it */
  backing: number | null;
  /** the machine's 1-minute load average (2 cores, shared) */
  load: number;
}

export interface Bounds {
  /** the isolate's heap after GC may never pass this (worker/memory.ts ISOLATE_MEMORY_BYTES) */
  heapMax: number;
  /** growth allowed from the warm reading (minute WARM_MINUTE) to the end: heap and RSS, bytes */
  heapGrowth: number;
  /**
   * null: workerd's RSS is recorded, not bounded. Under `wrangler dev` it grows with the requests served
   * whatever the Worker does (bench/dev-runtime-memory.ts: a six-line Worker grows it the same way).
   */
  rssGrowth: number | null;
  /** the heap is read (not with --no-heap) */
  heapRead: boolean;
}

/** Memory is compared from this minute on: the first minutes fill the bounded caches on purpose. */
export const WARM_MINUTE = 10;

const MB = 1e6;
const mb = (b: number | null) => (b === null ? "-" : (b / MB).toFixed(1));
const s = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)}` : "-");

/** The least-squares slope of `ys` over minutes `xs`, in units per hour. */
export function slopePerHour(xs: number[], ys: number[]): number {
  if (xs.length < 2) return Number.NaN;
  const mx = sum(xs) / xs.length;
  const my = sum(ys) / ys.length;
  const num = sum(xs.map((x, i) => (x - mx) * (ys[i] - my)));
  const den = sum(xs.map((x) => (x - mx) ** 2));
  return den === 0 ? Number.NaN : (num / den) * 60;
}

/** One line per 10 minutes (or fewer at the end): what those minutes did. */
export function tableRows(minutes: MinuteRecord[]): string[] {
  const rows = [
    "  min   collected  pushes rcvd/exp  lat med/p90 s   5xx  4xx  err  drop  sockets  rss MB  heap MB  load",
  ];
  for (let i = 0; i < minutes.length; i += 10) {
    const part = minutes.slice(i, i + 10);
    const last = part[part.length - 1];
    const collected = part.filter((m) => Object.values(m.collected).every(Boolean)).length;
    const lat = part.flatMap((m) => m.latencies);
    rows.push(
      [
        `${String(part[0].n).padStart(3)}-${String(last.n).padEnd(3)}`,
        `${collected}/${part.length}`.padStart(9),
        `${sum(part.map((m) => m.received))}/${sum(part.map((m) => m.expected))}`.padStart(16),
        `${s(median(lat))}/${s(percentile(lat, 90))}`.padStart(14),
        String(last.status5xx).padStart(5),
        String(last.status4xx).padStart(4),
        String(last.errors).padStart(4),
        String(last.dropped).padStart(5),
        String(last.openSockets).padStart(8),
        mb(last.rss).padStart(7),
        mb(last.heap).padStart(8),
        last.load.toFixed(2).padStart(5),
      ].join(" "),
    );
  }
  return rows;
}

export interface Summary {
  minutesCollected: number;
  minutesExpected: number;
  pushesReceived: number;
  pushesExpected: number;
  latencyMedianMs: number;
  latencyP90Ms: number;
  status5xx: number;
  status4xx: number;
  errors: number;
  dropped: number;
  requests: number;
  /** bytes at the first reading, the middle and the end; slopes from WARM_MINUTE on, MB per hour */
  rss: { start: number; middle: number; end: number; slopeMBh: number };
  /** slopes from WARM_MINUTE on, MB per hour, per workerd process */
  processSlopesMBh: { proxy: number; worker: number; workerAnon: number };
  heap: {
    start: number | null;
    middle: number | null;
    end: number | null;
    max: number | null;
    /** the largest heap plus backing stores read in one minute: the isolate's memory */
    maxWithBacking: number | null;
    slopeMBh: number;
  };
  loadAverage: number;
  failures: string[];
}

export function summarize(minutes: MinuteRecord[], bounds: Bounds): Summary {
  const last = minutes[minutes.length - 1];
  const mid = minutes[Math.floor(minutes.length / 2)];
  const warm = minutes.filter((m) => m.n >= WARM_MINUTE);
  const heaps = minutes.filter((m) => m.heap !== null) as (MinuteRecord & { heap: number })[];
  const warmHeaps = heaps.filter((m) => m.n >= WARM_MINUTE);
  const lat = minutes.flatMap((m) => m.latencies);
  /** MB per hour of `bytes` over the minutes from WARM_MINUTE on (of `of`: all, or those with a heap). */
  const warmSlope = <M extends MinuteRecord>(bytes: (m: M) => number, of: M[]) =>
    slopePerHour(
      of.map((m) => m.n),
      of.map((m) => bytes(m) / MB),
    );
  const out: Summary = {
    minutesCollected: minutes.filter((m) => Object.values(m.collected).every(Boolean)).length,
    minutesExpected: minutes.length,
    pushesReceived: sum(minutes.map((m) => m.received)),
    pushesExpected: sum(minutes.map((m) => m.expected)),
    latencyMedianMs: median(lat),
    latencyP90Ms: percentile(lat, 90),
    status5xx: last.status5xx,
    status4xx: last.status4xx,
    errors: last.errors,
    dropped: last.dropped,
    requests: last.requests,
    rss: {
      start: minutes[0].rss,
      middle: mid.rss,
      end: last.rss,
      slopeMBh: warmSlope((m) => m.rss, warm),
    },
    processSlopesMBh: {
      proxy: warmSlope((m) => m.processes.proxy.rss, warm),
      worker: warmSlope((m) => m.processes.worker.rss, warm),
      workerAnon: warmSlope((m) => m.processes.worker.anon, warm),
    },
    heap: {
      start: heaps[0]?.heap ?? null,
      middle: heaps[Math.floor(heaps.length / 2)]?.heap ?? null,
      end: heaps[heaps.length - 1]?.heap ?? null,
      max: heaps.length ? Math.max(...heaps.map((m) => m.heap)) : null,
      maxWithBacking: heaps.some((m) => m.backing != null)
        ? Math.max(...heaps.map((m) => m.heap + (m.backing ?? 0)))
        : null,
      slopeMBh: warmSlope((m) => m.heap, warmHeaps),
    },
    loadAverage: sum(minutes.map((m) => m.load)) / minutes.length,
    failures: [],
  };
  const f = out.failures;
  if (out.minutesCollected < out.minutesExpected)
    f.push(`${out.minutesExpected - out.minutesCollected} minute(s) not collected`);
  if (out.pushesReceived < out.pushesExpected)
    f.push(`${out.pushesExpected - out.pushesReceived} push(es) missed by open sockets`);
  if (out.status5xx > 0) f.push(`${out.status5xx} 5xx answer(s)`);
  if (out.errors > 0) f.push(`${out.errors} request(s) without an answer`);
  if (heaps.length === 0 && bounds.heapRead) f.push("the isolate's heap was never read");
  if (out.heap.maxWithBacking !== null && out.heap.maxWithBacking > bounds.heapMax)
    f.push(
      `heap and backing stores reached ${mb(out.heap.maxWithBacking)} MB, past the bound ${mb(bounds.heapMax)} MB`,
    );
  const grow = (xs: number[]) => (xs.length >= 2 ? xs[xs.length - 1] - xs[0] : 0);
  const heapGrowth = grow(warmHeaps.map((m) => m.heap));
  if (heapGrowth > bounds.heapGrowth)
    f.push(
      `heap grew ${mb(heapGrowth)} MB after minute ${WARM_MINUTE}, past the bound ${mb(bounds.heapGrowth)} MB`,
    );
  const rssGrowth = grow(warm.map((m) => m.rss));
  if (bounds.rssGrowth !== null && rssGrowth > bounds.rssGrowth)
    f.push(
      `workerd RSS grew ${mb(rssGrowth)} MB after minute ${WARM_MINUTE}, past the bound ${mb(bounds.rssGrowth)} MB`,
    );
  return out;
}

export function summaryLines(x: Summary): string[] {
  return [
    `minutes collected: ${x.minutesCollected}/${x.minutesExpected}`,
    `pushes received:   ${x.pushesReceived}/${x.pushesExpected}`,
    `push latency from candle close: median ${s(x.latencyMedianMs)} s, p90 ${s(x.latencyP90Ms)} s`,
    `requests: ${x.requests}; 5xx: ${x.status5xx}; 4xx (not 404): ${x.status4xx}; no answer: ${x.errors}; dropped sockets: ${x.dropped}`,
    `workerd RSS MB: start ${mb(x.rss.start)}, middle ${mb(x.rss.middle)}, end ${mb(x.rss.end)}; slope from minute ${WARM_MINUTE}: ${x.rss.slopeMBh.toFixed(2)} MB/h`,
    `  of it, slope MB/h: wrangler's proxy runtime ${x.processSlopesMBh.proxy.toFixed(1)}, the Worker's runtime ${x.processSlopesMBh.worker.toFixed(1)} (anonymous ${x.processSlopesMBh.workerAnon.toFixed(1)})`,
    `isolate heap MB (after GC): start ${mb(x.heap.start)}, middle ${mb(x.heap.middle)}, end ${mb(x.heap.end)}, max ${mb(x.heap.max)} (${mb(x.heap.maxWithBacking)} with ArrayBuffer backing stores); slope from minute ${WARM_MINUTE}: ${x.heap.slopeMBh.toFixed(2)} MB/h`,
    `load average (1 min, 2 cores shared): mean ${x.loadAverage.toFixed(2)}`,
    x.failures.length ? `FAIL: ${x.failures.join("; ")}` : "PASS",
  ];
}
