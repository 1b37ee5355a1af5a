// How a ledger entry is scored once its hours have closed: per horizon the error and the random walk's
// error, inside the 95% band or not, the direction, the interval (Winkler) score and, for a volatility
// model, QLIKE against the EWMA benchmark it recorded. Pure functions of the entry and the hourly
// candles, so anyone with the export and the chart API can recompute every number.
import type { LedgerEntry } from "./entry";

/** Seconds an entry may be made after its target hour opened and still be scored on it. */
export const LEDGER_GRACE_SECONDS = 300;
export const HOUR_SECONDS = 3600;
/** The band's nominal miss rate: the Winkler score charges 2 / alpha per unit outside the band. */
export const WINKLER_ALPHA = 0.05;

/** A closed hourly candle as the chart API gives it. */
export interface HourBar {
  time: number;
  open: number;
  close: number;
}

export interface HorizonScore {
  /** Hours after the origin (1 = the hour right after it). */
  horizon: number;
  /** Open of the target hour; the forecast is of its close. */
  target: number;
  actual: number;
  abs_error: number;
  /** |last close - actual|: the random walk's error. */
  rw_abs_error: number;
  inside: boolean;
  /** Whether the forecast's direction from the last close was the close's (null: a volatility model). */
  hit: boolean | null;
  winkler: number;
  /** A volatility model's QLIKE of this hour's variance, and the EWMA's. */
  qlike?: number;
  ewma_qlike?: number;
  /** A volatility model's calibrated range, at its last hour. */
  range_inside?: boolean;
}

/** Whether an entry counts on a target hour: made no later than LEDGER_GRACE_SECONDS after it opened. */
export const eligible = (entry: Pick<LedgerEntry, "made_at">, target: number) =>
  Date.parse(entry.made_at) / 1000 <= target + LEDGER_GRACE_SECONDS;

/** A volatility entry carries its EWMA benchmark; its value stays at the last close (no direction). */
export const isVolatilityEntry = (e: Pick<LedgerEntry, "ewma_sigma">) => e.ewma_sigma !== undefined;

export function winkler(lower: number, upper: number, actual: number, alpha = WINKLER_ALPHA) {
  return (
    upper - lower + (2 / alpha) * Math.max(0, lower - actual) + (2 / alpha) * Math.max(0, actual - upper)
  );
}

const qlike = (sd: number, r: number) => {
  const h = (100 * sd) ** 2;
  return Math.log(h) + (r * r) / h;
};

/**
 * The score of `entry` at horizon index k (0-based) given the closes by hour open; null when the target
 * hour has no closed candle yet, or the entry was made too late for it.
 */
export function scoreHorizon(
  entry: LedgerEntry,
  k: number,
  closeAt: (time: number) => number | undefined,
): HorizonScore | null {
  const point = entry.forecast[k];
  if (!point || !eligible(entry, point.time)) return null;
  const actual = closeAt(point.time);
  if (actual === undefined) return null;
  const base = entry.last_close;
  const volatility = isVolatilityEntry(entry);
  const score: HorizonScore = {
    horizon: k + 1,
    target: point.time,
    actual,
    abs_error: Math.abs(point.value - actual),
    rw_abs_error: Math.abs(base - actual),
    inside: point.lower <= actual && actual <= point.upper,
    hit: volatility ? null : Math.sign(point.value - base) === Math.sign(actual - base),
    winkler: winkler(point.lower, point.upper, actual),
  };
  if (volatility) {
    const before = k === 0 ? base : closeAt(point.time - HOUR_SECONDS);
    if (before !== undefined && point.sigma && point.sigma > 0 && entry.ewma_sigma && entry.ewma_sigma > 0) {
      const r = 100 * Math.log(actual / before);
      score.qlike = qlike(point.sigma, r);
      score.ewma_qlike = qlike(entry.ewma_sigma, r);
    }
    if (entry.range && entry.range.hours === k + 1)
      score.range_inside = entry.range.lower <= actual && actual <= entry.range.upper;
  }
  return score;
}

/** Every horizon of `entry` that can be scored with `bars`. */
export function scoreEntry(entry: LedgerEntry, bars: readonly HourBar[]): HorizonScore[] {
  const closes = new Map(bars.map((b) => [b.time, b.close]));
  const out: HorizonScore[] = [];
  for (let k = 0; k < entry.forecast.length; k++) {
    const s = scoreHorizon(entry, k, (t) => closes.get(t));
    if (s) out.push(s);
  }
  return out;
}
