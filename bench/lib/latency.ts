// Request latency from outside (wall time, cases interleaved round by round so that a busy moment on a
// shared machine hits every case alike) and the CPU the server spent per request (one case at a time).
import { type GroupCpu, groupCpu } from "./proc-cpu";
import { median, percentile } from "./stats";

export interface LatencyCase {
  name: string;
  url: string;
  headers?: Record<string, string>;
  /** the status the case must answer */
  status: number;
  /** throws when an answer is wrong */
  check?: (body: unknown) => void;
}

export interface LatencyFigures {
  median: number;
  p90: number;
  /** CPU ms per request: workerd (runtime, D1 and R2 simulators) and the rest of the dev server */
  cpu: GroupCpu;
}

async function once(c: LatencyCase, check: boolean): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(c.url, { headers: c.headers });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== c.status)
    throw new Error(`${c.name}: ${res.status} (want ${c.status}): ${text.slice(0, 200)}`);
  if (check && c.check) c.check(JSON.parse(text));
  return ms;
}

export async function measureLatency(
  cases: LatencyCase[],
  opts: { warmup: number; rounds: number; cpuRequests: number; pgid: number },
): Promise<Map<string, LatencyFigures>> {
  for (let r = 0; r < opts.warmup; r++) for (const c of cases) await once(c, r === 0);
  const walls = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (let r = 0; r < opts.rounds; r++) for (const c of cases) walls.get(c.name)?.push(await once(c, false));
  const out = new Map<string, LatencyFigures>();
  for (const c of cases) {
    const before = groupCpu(opts.pgid);
    for (let i = 0; i < opts.cpuRequests; i++) await once(c, false);
    const after = groupCpu(opts.pgid);
    const ms = walls.get(c.name) ?? [];
    out.set(c.name, {
      median: median(ms),
      p90: percentile(ms, 90),
      cpu: {
        workerd: (after.workerd - before.workerd) / opts.cpuRequests,
        other: (after.other - before.other) / opts.cpuRequests,
      },
    });
  }
  return out;
}
