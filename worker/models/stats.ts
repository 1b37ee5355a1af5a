// Price statistics from stored candles: the 1d return from 1m candles, 7d / 30d from 1D rollups, and
// volatility, Sharpe ratio and maximum drawdown from the daily closes of the last (up to) 365 days.
import { type Candle, DAY, MINUTE } from "../../core/candles/types";
import type { Db } from "../db/client";
import { ApiError } from "../errors";
import { minuteAtOrBefore, readChart } from "../market/chart";
import type { StoredProfile } from "../market/store";
import { INSIGHT_CACHE_SIZE, PERIODS_PER_YEAR, RETURN_DAYS, STATS_WINDOW_DAYS } from "./insight-config";
import { LruCache } from "./model-cache";

export interface StatsInput {
  /** The last 1m candle and the one open at or before 1440 minutes earlier (null if none within a day). */
  last: Candle;
  dayAgo: Candle | null;
  /** Daily candles, oldest first; the last one is the current UTC day so far. */
  daily: readonly Candle[];
  periodsPerYear: number;
}

/** Close of the latest daily candle that opens at or before `time`, or null. */
function dailyCloseAt(daily: readonly Candle[], time: number): number | null {
  for (let i = daily.length - 1; i >= 0; i--) if (daily[i].time <= time) return daily[i].close;
  return null;
}

/**
 * Returns are simple fractions. 7d / 30d compare the last close with the daily close 7 / 30 UTC days
 * before the current day's (so they span 7 / 30 days up to the current time of day). Volatility and
 * Sharpe use sample statistics (n - 1) of daily log returns, a zero risk-free rate, and
 * `periodsPerYear` daily returns a year; the drawdown is the deepest fall of a daily close below the
 * highest daily close before it, as a fraction <= 0. Days without a candle are skipped, so a gap's
 * return spans it.
 */
export function computeStats(input: StatsInput) {
  const { last, dayAgo, periodsPerYear } = input;
  const daily = input.daily.slice(-(STATS_WINDOW_DAYS + 1));
  const price = last.close;
  const today = daily.at(-1)?.time ?? last.time - (last.time % DAY);
  const since = (close: number | null) => (close === null ? null : price / close - 1);
  const closes = daily.map((c) => c.close);
  const r = closes.slice(1).map((c, i) => Math.log(c / closes[i]));
  let volatility: number | null = null;
  let sharpe: number | null = null;
  if (r.length >= 2) {
    const mean = r.reduce((s, v) => s + v, 0) / r.length;
    const sd = Math.sqrt(r.reduce((s, v) => s + (v - mean) ** 2, 0) / (r.length - 1));
    volatility = sd * Math.sqrt(periodsPerYear);
    sharpe = sd > 0 ? (mean / sd) * Math.sqrt(periodsPerYear) : null;
  }
  let peak = Number.NEGATIVE_INFINITY;
  let drawdown = 0;
  for (const c of closes) {
    peak = Math.max(peak, c);
    drawdown = Math.min(drawdown, c / peak - 1);
  }
  const oneDay = since(dayAgo?.close ?? null);
  return {
    as_of: new Date((last.time + MINUTE) * 1000).toISOString(),
    price,
    change_24h: oneDay,
    returns: {
      "1d": oneDay,
      "7d": since(dailyCloseAt(daily, today - RETURN_DAYS["7d"] * DAY)),
      "30d": since(dailyCloseAt(daily, today - RETURN_DAYS["30d"] * DAY)),
    },
    volatility_annualized: volatility,
    sharpe_annualized: sharpe,
    max_drawdown: closes.length ? drawdown : null,
    window: { from: daily[0]?.time ?? null, to: daily.at(-1)?.time ?? null, daily_returns: r.length },
  };
}

export type InstrumentStats = ReturnType<typeof computeStats> & { symbol: string };

const cache = new LruCache<number, { lastTime: number; value: InstrumentStats }>(INSIGHT_CACHE_SIZE);

/** Stats of a profile's stored candles, recomputed when a new 1m candle has arrived. */
export async function instrumentStats(
  bucket: R2Bucket,
  db: Db,
  profile: StoredProfile & { profileType: keyof typeof PERIODS_PER_YEAR },
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
