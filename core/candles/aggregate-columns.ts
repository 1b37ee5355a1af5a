// aggregate() over columns: the same periods and exact volumes, without an object per candle.
import { allocColumns, type CandleColumns } from "./columns";
import { addTo, type DecimalSum, decimalTotal, UNIT_LIMIT, VOLUME_UNITS } from "./decimal-sum";
import { fixedPeriods, floorTo, nextPeriodStart, periodStart, type Timeframe } from "./timeframes";

/** Where the period of `tf` that contains `t` ends (the next period's open). */
function periodEnd(t: number, tf: Timeframe, size: number, origin: number): number {
  if (t === Number.POSITIVE_INFINITY) throw new RangeError("candle time must be finite");
  return size > 0 ? floorTo(t, size, origin) + size : nextPeriodStart(periodStart(t, tf), tf);
}

/** Number of periods, checking that times are sorted without repeats (first of two passes). */
function countPeriods(time: Float64Array, n: number, tf: Timeframe, size: number, origin: number): number {
  let count = 0;
  let end = Number.NEGATIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const t = time[i];
    if (!(t > last))
      throw new RangeError(`candles must be sorted by time without repeats: ${t} after ${last}`);
    last = t;
    if (t >= end) {
      count++;
      end = periodEnd(t, tf, size, origin);
    }
  }
  return count;
}

/**
 * Columns of `tf` candles from sorted finer candles in columns (1m, or a timeframe that nests in
 * `tf`): equal to aggregate(fromColumns(cols), tf), field for field.
 */
export function aggregateColumns(cols: CandleColumns, tf: Timeframe): CandleColumns {
  const fixed = fixedPeriods(tf);
  const size = fixed ? fixed[0] : 0; // 0: calendar months
  const origin = fixed ? fixed[1] : 0;
  const { length: n, time, open, high, low, close, volume } = cols;
  const out = allocColumns(countPeriods(time, n, tf, size, origin));
  let k = -1; // the output period being filled
  let end = Number.NEGATIVE_INFINITY;
  let hi = 0;
  let lo = 0;
  let units = 0; // volume in 1e-8 units while below 2^51 (see decimal-sum.ts) ...
  const spilled: DecimalSum = { int: 0, frac: 0 }; // ... plus what did not fit
  for (let i = 0; i < n; i++) {
    const t = time[i];
    if (t >= end) {
      if (k >= 0) {
        out.high[k] = hi;
        out.low[k] = lo;
        out.close[k] = close[i - 1];
        out.volume[k] = decimalTotal(spilled.int, spilled.frac + units);
      }
      k++;
      end = periodEnd(t, tf, size, origin);
      out.time[k] = size > 0 ? end - size : periodStart(t, tf);
      out.open[k] = open[i];
      hi = high[i];
      lo = low[i];
      units = 0;
      spilled.int = 0;
      spilled.frac = 0;
    } else {
      const h = high[i];
      const l = low[i];
      if (h > hi) hi = h;
      if (l < lo) lo = l;
    }
    const v = volume[i];
    const u = Math.round(v * VOLUME_UNITS);
    if (u >= 0 && u < UNIT_LIMIT && units < UNIT_LIMIT) {
      units += u;
    } else {
      spilled.frac += units; // rare: a huge or negative volume, or a huge running sum
      units = 0;
      addTo(spilled, v);
    }
  }
  if (k >= 0) {
    out.high[k] = hi;
    out.low[k] = lo;
    out.close[k] = close[n - 1];
    out.volume[k] = decimalTotal(spilled.int, spilled.frac + units);
  }
  return out;
}
