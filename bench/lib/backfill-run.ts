// One timed backfill through the admin API, and where its wall time went, read from outside: the
// replay's request log shows each klines page; the pause after a page that completed a UTC day holds
// that day's storage work (R2 put, D1 index and rollups), and a page that starts earlier than the
// previous one ended marks a new alarm slice re-fetching its unfinished day.
import type { DataStatus, Job } from "../../worker/contract";
import type { AdminApi, JobSample } from "./admin-api";
import { waitForJob } from "./admin-api";
import type { RecordedReplay, ReplayRequest } from "./replay";
import { median, sum } from "./stats";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const PAGE = 1000;
const KLINES = "/api/v3/klines";

export interface BackfillRun {
  days: number;
  /** performance.now() just before the POST */
  startedAt: number;
  wallMs: number;
  job: Job;
  samples: JobSample[];
  /** polls that lost their connection (the local runtime reset meanwhile) */
  connectionErrors: number;
  status: DataStatus;
  requests: ReplayRequest[];
}

export async function timeBackfill(
  api: AdminApi,
  replay: RecordedReplay,
  symbol: string,
  days: number,
  opts: { pollMs: number; timeoutMs: number },
): Promise<BackfillRun> {
  const profileId = await api.profileId(symbol);
  const t0 = performance.now();
  const id = await api.collect(symbol, days);
  const { job, samples, connectionErrors } = await waitForJob(api, id, opts.pollMs, opts.timeoutMs);
  const wallMs = performance.now() - t0;
  const requests = replay.requests.filter((r) => r.at >= t0 && r.at <= t0 + wallMs);
  const status = await api.dataStatus(profileId);
  return { days, startedAt: t0, wallMs, job, samples, connectionErrors, status, requests };
}

export interface BackfillProfile {
  pages: number;
  /** pages asked again because a slice ended inside a day */
  refetchedPages: number;
  slices: number;
  replayMs: number;
  /** POST until the first klines answer (job row, Durable Object, markets) */
  startMs: number;
  /** last klines answer until the job was seen succeeded */
  endMs: number;
  /** pause after a page inside a day: parse + rate limit + next answer, median and sum */
  fetchGap: { n: number; median: number; total: number };
  /** pause after a page that completed a day: the above plus storing the day */
  storeGap: { n: number; median: number; total: number };
  /** pause at a slice boundary (progress report, next alarm, re-fetch) */
  sliceGap: { n: number; median: number; total: number };
}

const summary = (xs: number[]) => ({ n: xs.length, median: median(xs), total: sum(xs) });

export function profileBackfill(run: BackfillRun): BackfillProfile {
  const t0 = run.startedAt;
  const pages = run.requests.filter((r) => r.path === KLINES && r.startTime !== null);
  const fetchGaps: number[] = [];
  const storeGaps: number[] = [];
  const sliceGaps: number[] = [];
  const seen = new Set<number>();
  let refetched = 0;
  for (let i = 0; i < pages.length; i++) {
    const s = pages[i].startTime as number;
    if (seen.has(s)) refetched++;
    seen.add(s);
    if (i === 0) continue;
    const prev = pages[i - 1].startTime as number;
    const gap = pages[i].at - pages[i - 1].at;
    if (s < prev + PAGE * MINUTE_MS) {
      sliceGaps.push(gap);
    } else if (Math.floor((prev + PAGE * MINUTE_MS) / DAY_MS) > Math.floor(prev / DAY_MS)) {
      storeGaps.push(gap);
    } else {
      fetchGaps.push(gap);
    }
  }
  const first = pages[0]?.at ?? t0;
  const last = pages[pages.length - 1]?.at ?? t0;
  return {
    pages: pages.length,
    refetchedPages: refetched,
    slices: run.samples.filter((s) => s.status === "running" || s.status === "succeeded").length,
    replayMs: sum(pages.map((p) => p.ms)),
    startMs: first - t0,
    endMs: t0 + run.wallMs - last,
    fetchGap: summary(fetchGaps),
    storeGap: summary(storeGaps),
    sliceGap: summary(sliceGaps),
  };
}

export function printProfile(p: BackfillProfile) {
  const f = (x: number) => `${(x / 1000).toFixed(2)} s`;
  const g = (name: string, s: BackfillProfile["fetchGap"]) =>
    `  ${name}: ${s.n ? `${s.n} x median ${s.median.toFixed(0)} ms = ${f(s.total)}` : "none"}`;
  console.log(
    `  klines pages ${p.pages} (${p.refetchedPages} asked again after a slice ended mid-day), ` +
      `job updates seen ${p.slices}, replay server time ${f(p.replayMs)}`,
  );
  console.log(`  POST -> first page ${f(p.startMs)}; last page -> succeeded seen ${f(p.endMs)}`);
  console.log(g("pause after a page inside a day (fetch, parse, rate limit)", p.fetchGap));
  console.log(g("pause after a page that completed a UTC day (+ store the day)", p.storeGap));
  console.log(g("pause at a slice boundary (report, next alarm, re-fetch)", p.sliceGap));
}
