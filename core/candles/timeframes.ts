// Chart timeframes and their UTC period boundaries, matching pandas resample(label='left', closed='left').
import { DAY, MINUTE, WEEK } from "./types";

export const TIMEFRAMES = ["1m", "5m", "15m", "1h", "4h", "1D", "1W", "1M"] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

const HOUR = 60 * MINUTE;

/** Length in seconds of the fixed-length timeframes; 1M is a calendar month, so it has none. */
export const TIMEFRAME_SECONDS: Readonly<Record<Exclude<Timeframe, "1M">, number>> = {
  "1m": MINUTE,
  "5m": 5 * MINUTE,
  "15m": 15 * MINUTE,
  "1h": HOUR,
  "4h": 4 * HOUR,
  "1D": DAY,
  "1W": WEEK,
};

/**
 * The pandas offset alias that gives the same periods with resample(rule, label='left', closed='left').
 * Intraday rules are multiples of a day-divisor, so pandas' default origin ('start_day') lands on
 * 00:00 UTC boundaries. 'W-MON' anchors weeks that end on Monday; closed and labelled on the left,
 * a bin is [Monday 00:00, next Monday 00:00) named by its Monday. 'MS' bins are calendar months
 * named by their first day.
 */
export const PANDAS_RULES: Readonly<Record<Timeframe, string>> = {
  "1m": "1min",
  "5m": "5min",
  "15m": "15min",
  "1h": "1h",
  "4h": "4h",
  "1D": "1D",
  "1W": "W-MON",
  "1M": "MS",
};

/** 1970-01-01 was a Thursday: the Monday that starts its week is three days earlier. */
const MONDAY_BEFORE_EPOCH = -3 * DAY;

export function isTimeframe(s: unknown): s is Timeframe {
  return typeof s === "string" && (TIMEFRAMES as readonly string[]).includes(s);
}

/**
 * [length, origin] of a fixed-length timeframe's periods (they start at origin + k * length), or
 * null for 1M. Hot loops use it to find period starts without the general function.
 */
export function fixedPeriods(tf: Timeframe): [number, number] | null {
  if (tf === "1M") return null;
  return [TIMEFRAME_SECONDS[tf], tf === "1W" ? MONDAY_BEFORE_EPOCH : 0];
}

/** Floor modulo: periods before 1970 must also start on their boundary, not after it. */
export function floorTo(time: number, size: number, origin: number): number {
  const r = (time - origin) % size;
  return time - (r < 0 ? r + size : r);
}

function monthStart(timeSec: number, monthOffset: number): number {
  const d = new Date(timeSec * 1000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + monthOffset, 1) / 1000;
}

function checkTime(timeSec: number): void {
  if (!Number.isFinite(timeSec)) throw new RangeError(`time must be a finite number, got ${timeSec}`);
}

/** Unix second at which the period of `tf` that contains `timeSec` opens (UTC). */
export function periodStart(timeSec: number, tf: Timeframe): number {
  checkTime(timeSec);
  if (tf === "1M") return monthStart(timeSec, 0);
  return floorTo(timeSec, TIMEFRAME_SECONDS[tf], tf === "1W" ? MONDAY_BEFORE_EPOCH : 0);
}

/** Unix second at which the period after the one containing `startSec` opens. */
export function nextPeriodStart(startSec: number, tf: Timeframe): number {
  checkTime(startSec);
  if (tf === "1M") return monthStart(startSec, 1);
  return periodStart(startSec, tf) + TIMEFRAME_SECONDS[tf];
}

/**
 * True when every period of `from` lies inside one period of `to`, so `to` candles can be built
 * from `from` candles (1h -> 4h, 1D -> 1M). Weeks straddle months, so 1W never rolls up into 1M.
 */
export function canRollUp(from: Timeframe, to: Timeframe): boolean {
  if (from === to) return true;
  if (from === "1M" || from === "1W") return false;
  if (to === "1M" || to === "1W") return true; // every fixed period up to 1D divides a day
  return TIMEFRAME_SECONDS[to] % TIMEFRAME_SECONDS[from] === 0;
}
