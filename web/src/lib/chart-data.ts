// Pure candle and forecast arithmetic for the chart: period grids, merging pages, forecast lines.
import {
  nextPeriodStart,
  periodStart,
  TIMEFRAME_SECONDS,
  type Timeframe,
} from "../../../core/candles/timeframes";
import type { Candle, ForecastPoint } from "../api-types";

/** Older pages joined to the loaded candles: sorted by time, one candle per time (the newer copy wins). */
export function mergeCandles(older: Candle[], loaded: Candle[]): Candle[] {
  const byTime = new Map<number, Candle>();
  for (const c of older) byTime.set(c.time, c);
  for (const c of loaded) byTime.set(c.time, c);
  return [...byTime.values()].sort((a, b) => a.time - b.time);
}

/**
 * Candles from a refresh that the chart can take through `update()`: those at or after the last
 * shown candle, oldest first (update() rejects anything older than the series' last point).
 */
export function streamable(lastShown: number | null, fresh: Candle[]): Candle[] {
  const sorted = [...fresh].sort((a, b) => a.time - b.time);
  return lastShown === null ? sorted : sorted.filter((c) => c.time >= lastShown);
}

/**
 * A newly closed 1m candle folded into the chart's last period of `tf`: the same period grows (high,
 * low, close, volume), a later period starts from the minute alone. Null when the minute is older than
 * the last period (it cannot be drawn by update() and a reload already holds it).
 */
export function foldMinute(last: Candle | null, minute: Candle, tf: Timeframe): Candle | null {
  const start = periodStart(minute.time, tf);
  if (!last || start > last.time) return { ...minute, time: start };
  if (start < last.time) return null;
  if (tf === "1m") return { ...minute };
  return {
    time: last.time,
    open: last.open,
    high: Math.max(last.high, minute.high),
    low: Math.min(last.low, minute.low),
    close: minute.close,
    volume: last.volume + minute.volume,
  };
}

/** Period opens after `last` up to and including the period holding `until`, at most `maxSlots`. */
export function futureGrid(last: number, until: number, tf: Timeframe, maxSlots: number): number[] {
  const grid: number[] = [];
  let t = nextPeriodStart(periodStart(last, tf), tf);
  const stop = periodStart(until, tf);
  while (t <= stop && grid.length < maxSlots) {
    grid.push(t);
    t = nextPeriodStart(t, tf);
  }
  return grid;
}

export interface ForecastLine {
  center: { time: number; value: number }[];
  lower: { time: number; value: number }[];
  upper: { time: number; value: number }[];
}

/**
 * A model's forecast as chart lines on the chart's period grid: points are snapped to the period that
 * holds them (the last point of a period wins, so times never repeat), only periods after the last
 * candle are kept, and every line starts at the last close so the forecast visibly leaves the price.
 */
export function forecastLine(
  forecast: ForecastPoint[],
  last: Candle,
  tf: Timeframe,
  maxSlots: number,
): ForecastLine {
  const snapped = new Map<number, ForecastPoint>();
  const sorted = [...forecast].filter((p) => Number.isFinite(p.value)).sort((a, b) => a.time - b.time);
  for (const p of sorted) {
    const t = periodStart(p.time, tf);
    if (t > last.time) snapped.set(t, p);
  }
  const times = [...snapped.keys()].sort((a, b) => a - b).slice(0, maxSlots);
  const anchor = { time: last.time, value: last.close };
  const pick = (get: (p: ForecastPoint) => number) => [
    anchor,
    ...times.map((t) => {
      const p = snapped.get(t)!;
      const v = get(p);
      return { time: t, value: Number.isFinite(v) ? v : p.value };
    }),
  ];
  if (times.length === 0) return { center: [], lower: [], upper: [] };
  return { center: pick((p) => p.value), lower: pick((p) => p.lower), upper: pick((p) => p.upper) };
}

/** Time of the last forecast point among all models, or null. */
export function lastForecastTime(forecasts: ForecastPoint[][]): number | null {
  let max: number | null = null;
  for (const f of forecasts) for (const p of f) if (max === null || p.time > max) max = p.time;
  return max;
}

/** The shortest candle of `tf` in seconds (a calendar month lasts at least 28 days). */
export const shortestCandle = (tf: Timeframe) => (tf === "1M" ? 28 * 86_400 : TIMEFRAME_SECONDS[tf]);

/**
 * Whether a forecast path covers at least one whole candle of `tf`: from its origin (one step before
 * its first point) to its last point. A 24 h path on 1W or 1M candles would otherwise be stretched
 * across a whole week or month.
 */
export function spansCandle(forecast: ForecastPoint[], tf: Timeframe): boolean {
  const times = forecast.map((p) => p.time).sort((a, b) => a - b);
  if (times.length === 0) return false;
  const step = times.length > 1 ? times[1] - times[0] : 3600;
  return times[times.length - 1] - times[0] + step >= shortestCandle(tf);
}
