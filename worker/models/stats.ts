// Price statistics from stored candles: the 1d return from 1m candles, 7d / 30d from 1D rollups, and
// volatility, Sharpe ratio and maximum drawdown from the daily closes of the last (up to) 365 days.
import { DAY } from "../../core/candles/types";
import { PERIODS_PER_YEAR, type ProfileType } from "../../core/instruments";
import type { Db } from "../db/client";
import { ApiError } from "../errors";
import { minuteAtOrBefore, readChart } from "../market/chart";
import type { StoredProfile } from "../market/store";
import { ByteLru, bytesOfJson, CACHE_BYTES } from "../memory";
import { STATS_WINDOW_DAYS } from "./insight-config";
import { computeStats } from "./stats-compute";

export { computeStats, type StatsInput } from "./stats-compute";

export type InstrumentStats = ReturnType<typeof computeStats> & { symbol: string };

const cache = new ByteLru<number, { lastTime: number; value: InstrumentStats }>(
  CACHE_BYTES.stats,
  bytesOfJson,
);

/** Stats of a profile's stored candles, recomputed when a new 1m candle has arrived. */
export async function instrumentStats(
  bucket: R2Bucket,
  db: Db,
  profile: StoredProfile & { profileType: ProfileType },
): Promise<InstrumentStats> {
  const [last] = await readChart(bucket, db, profile, "1m", 1);
  if (!last) throw new ApiError(404, "no_candles", `No candles stored for ${profile.symbol} yet`);
  const hit = cache.get(profile.id);
  if (hit?.lastTime === last.time) return hit.value;
  const [dayAgo, daily] = await Promise.all([
    minuteAtOrBefore(bucket, db, profile, last.time - DAY),
    readChart(bucket, db, profile, "1D", STATS_WINDOW_DAYS + 1),
  ]);
  const periodsPerYear = PERIODS_PER_YEAR[profile.profileType];
  const value = { symbol: profile.symbol, ...computeStats({ last, dayAgo, daily, periodsPerYear }) };
  cache.set(profile.id, { lastTime: last.time, value });
  return value;
}
