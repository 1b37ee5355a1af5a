// Price statistics from candles, pure (no storage): the 1d return from 1m candles, 7d / 30d and the
// daily-window figures from 1D candles. stats.ts reads the candles; tests and tools call this directly.
import { type Candle, DAY, MINUTE } from "../../core/candles/types";
import { RETURN_DAYS, STATS_WINDOW_DAYS } from "./insight-config";

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
