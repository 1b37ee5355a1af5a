// The chart requests a bench times: two floors (what any request costs in the dev server) and every
// timeframe at a limit, latest and with `end` mid-data, each answer checked against the stored span.
import { nextPeriodStart, periodStart, TIMEFRAMES, type Timeframe } from "../../core/candles/timeframes";
import type { CandlesAnswer } from "../../worker/contract";
import type { LatencyCase } from "./latency";

export const FLOOR_404 = "floor: unknown route (404)";
export const FLOOR_AUTH = "floor: admin auth, then 400 (limit=0)";

/** Periods of `tf` that open in [first, end] when every minute between is stored. */
export function periodsBetween(first: number, end: number, tf: Timeframe): number {
  let n = 0;
  for (let t = periodStart(first, tf); t <= end; t = nextPeriodStart(t, tf)) n++;
  return n;
}

export function chartCases(opts: {
  base: string;
  profileId: number;
  token: string;
  limit: number;
  /** the stored span (no gaps inside) */
  first: number;
  last: number;
  mid: number;
}): LatencyCase[] {
  const headers = { authorization: `Bearer ${opts.token}` };
  const profileUrl = `${opts.base}/api/admin/profiles/${opts.profileId}`;
  const cases: LatencyCase[] = [
    { name: FLOOR_404, url: `${opts.base}/api/no-such-route`, status: 404 },
    { name: FLOOR_AUTH, url: `${profileUrl}/data/1M?limit=0`, headers, status: 400 },
  ];
  for (const tf of TIMEFRAMES) {
    for (const end of [undefined, opts.mid]) {
      const last = end ?? opts.last;
      const want = Math.min(opts.limit, periodsBetween(opts.first, last, tf));
      cases.push({
        name: `${tf.padEnd(4)} ${end === undefined ? "latest  " : "mid-year"}`,
        url: `${profileUrl}/data/${tf}?limit=${opts.limit}${end === undefined ? "" : `&end=${end}`}`,
        headers,
        status: 200,
        check: (body) => {
          const got = (body as CandlesAnswer).candles;
          const sorted = got.every((c, i) => i === 0 || got[i - 1].time < c.time);
          if (got.length !== want || !sorted || got[got.length - 1].time > last)
            throw new Error(`${tf} end=${end}: ${got.length} candles (want ${want}), sorted ${sorted}`);
        },
      });
    }
  }
  return cases;
}
