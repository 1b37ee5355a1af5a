// Pure candle and forecast arithmetic for the chart: period grids, merging pages, forecast lines.
import {
  nextPeriodStart,
  periodStart,
  TIMEFRAME_SECONDS,
  type Timeframe,
} from "../../../core/candles/timeframes";
import { MODEL_PERIOD_SECONDS } from "../../../core/models/model-config";
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

/** When a forecast point's value is due: the close of its target hour (its `time` is the hour's open). */
export const closeOf = (p: Pick<ForecastPoint, "time">) => p.time + MODEL_PERIOD_SECONDS;

export interface LinePoint {
  /** The chart slot: the period of `tf` holding the moment drawn. */
  time: number;
  value: number;
  lower: number;
  upper: number;
  /** The close the value forecasts (Unix seconds); null for the anchor, the last price. */
  close: number | null;
}

/**
 * A model's forecast as chart points on the chart's period grid. Each point forecasts its hour's close,
 * so it is drawn at that close: in the period of `tf` that holds the moment (on 1m-1h the slot that
 * opens at the close itself). Points whose close falls in or before the last candle's period are
 * dropped, several in one period keep the latest (times never repeat), and the line starts from the
 * last price at the last candle, so the fan widens from where the price is.
 */
export function forecastLine(
  forecast: ForecastPoint[],
  last: Candle,
  tf: Timeframe,
  maxSlots: number,
): LinePoint[] {
  const snapped = new Map<number, ForecastPoint>();
  const sorted = [...forecast].filter((p) => Number.isFinite(p.value)).sort((a, b) => a.time - b.time);
  for (const p of sorted) {
    const t = periodStart(closeOf(p), tf);
    if (t > last.time) snapped.set(t, p);
  }
  const times = [...snapped.keys()].sort((a, b) => a - b).slice(0, maxSlots);
  if (times.length === 0) return [];
  const bound = (v: number, p: ForecastPoint) => (Number.isFinite(v) ? v : p.value);
  const anchor = { time: last.time, value: last.close, lower: last.close, upper: last.close, close: null };
  return [
    anchor,
    ...times.map((time) => {
      const p = snapped.get(time)!;
      return { time, value: p.value, lower: bound(p.lower, p), upper: bound(p.upper, p), close: closeOf(p) };
    }),
  ];
}

/** The close of the last forecast point among all models, or null. */
export function lastForecastClose(forecasts: ForecastPoint[][]): number | null {
  let max: number | null = null;
  for (const f of forecasts) for (const p of f) if (max === null || closeOf(p) > max) max = closeOf(p);
  return max;
}

/** The shortest candle of `tf` in seconds (a calendar month lasts at least 28 days). */
export const shortestCandle = (tf: Timeframe) => (tf === "1M" ? 28 * 86_400 : TIMEFRAME_SECONDS[tf]);

/**
 * Whether a forecast path covers at least one whole candle of `tf`: from when it was made (its first
 * hour's open) to its last close. A 24 h path on 1W or 1M candles would otherwise be stretched across a
 * whole week or month.
 */
export function spansCandle(forecast: ForecastPoint[], tf: Timeframe): boolean {
  const times = forecast.map((p) => p.time).sort((a, b) => a - b);
  if (times.length === 0) return false;
  return closeOf({ time: times[times.length - 1] }) - times[0] >= shortestCandle(tf);
}
