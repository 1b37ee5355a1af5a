// aggregate() over columns: the same periods and exact volumes, without an object per candle.
//
// Two passes. periodBounds finds each period's first row from a few times per period; then fold
// runs over each period's rows once, checking that the times increase, picking high and low
// without branches and summing volumes as integer 1e-8 units checked once per period. A period
// whose units could be inexact (negative, huge or non-finite volumes) is summed again the general
// way, so every result equals aggregate()'s, bit for bit (test/node/aggregate-columns.test.ts).
import { allocColumnArrays, type CandleColumns } from "./columns";
import { addTo, type DecimalSum, decimalTotal, UNIT_LIMIT, VOLUME_UNITS } from "./decimal-sum";
import { checkOrder, periodBounds } from "./period-bounds";
import type { Timeframe } from "./timeframes";

/**
 * Columns of `tf` candles from sorted finer candles in columns (1m, or a timeframe that nests in
 * `tf`): equal to aggregate(fromColumns(cols), tf), field for field.
 */
export function aggregateColumns(cols: CandleColumns, tf: Timeframe): CandleColumns {
  const { count, first, start } = periodBounds(cols.time, cols.length, tf);
  const out = allocColumnArrays(count);
  out.time.set(start.subarray(0, count));
  for (let p = 0; p < count; ) p = fold(cols, first, p, count, out);
  return out;
}

/**
 * Rows per fold call. One call over a whole year would run in on-stack-replaced code, which V8
 * compiles worse (boxed loop variables, constants re-read); calls of a few thousand rows let it
 * compile fold as a function after the first few (measured: 5m 30% faster).
 */
const CHUNK_ROWS = 4096;

// Selecting the new high with a branch costs a mispredicted jump whenever a candle in a short
// period beats the running high (measured: 5m periods fold three times slower). So the running
// high and low are picked from two-slot pairs by the comparison's 0 or 1: the same result as
// `if (h > hi) hi = h` (NaN and -0 included), without a jump.
const pick = new Float64Array(4); // [high so far, candidate, low so far, candidate]
// Literals, not the imported VOLUME_UNITS and UNIT_LIMIT: V8 re-checks the type of an imported
// binding at every use in the loop (test/node/aggregate-columns.test.ts checks they agree).
const SCALE = 1e8;
const LIMIT = 2 ** 50;
/** x + ROUNDER - ROUNDER rounds a double |x| < 2^51 to an integer (ties to even). */
const ROUNDER = 1.5 * 2 ** 52;

/**
 * Open, high, low, close and volume of periods p = from, from + 1, ... (rows [first[p],
 * first[p + 1])) until CHUNK_ROWS rows are done; returns the next period. Checks the order.
 */
function fold(
  cols: CandleColumns,
  first: Int32Array,
  from: number,
  count: number,
  out: CandleColumns,
): number {
  const { time, open, high, low, close, volume } = cols;
  const { open: outOpen, high: outHigh, low: outLow, close: outClose, volume: outVolume } = out;
  const pairs = pick;
  let a = first[from];
  const stop = a + CHUNK_ROWS;
  let last = a > 0 ? time[a - 1] : -Infinity; // a literal: Number.X is a property read to deopt on
  let unsorted = 0; // 1 once a time fails to exceed the one before it; checked once per period
  let p = from;
  for (; p < count && a < stop; p++) {
    const b = first[p + 1];
    let hi = high[a];
    let lo = low[a];
    const t0 = time[a];
    unsorted |= +!(t0 > last);
    last = t0;
    const x0 = volume[a] * SCALE;
    let units = x0 + ROUNDER - ROUNDER;
    if (x0 - units === 0.5) units += 1;
    let magnitude = Math.abs(units);
    for (let i = a + 1; i < b; i++) {
      const t = time[i];
      unsorted |= +!(t > last);
      last = t;
      const h = high[i];
      const l = low[i];
      pairs[0] = hi;
      pairs[1] = h;
      hi = pairs[+(h > hi)];
      pairs[2] = lo;
      pairs[3] = l;
      lo = pairs[2 + +(l < lo)];
      const x = volume[i] * SCALE;
      let u = x + ROUNDER - ROUNDER;
      if (x - u === 0.5) u += 1;
      units += u;
      magnitude += Math.abs(u);
    }
    if (unsorted) checkOrder(time, b); // throws the first unsorted time's error
    outOpen[p] = open[a];
    outHigh[p] = hi;
    outLow[p] = lo;
    outClose[p] = close[b - 1];
    // Unit counts all >= 0 with a total below 2^50: each was Math.round(v * 1e8) (a count of
    // 2^50 or more, where the rounding trick may differ, would push the total over) and every
    // partial sum was an exact integer, as in aggregate().
    outVolume[p] = magnitude < LIMIT && magnitude === units ? units / SCALE : exactVolume(volume, a, b);
    a = b;
  }
  return p;
}

/** The exact decimal sum of volume[a..b) for any volumes, as aggregate() computes it. */
function exactVolume(volume: Float64Array, a: number, b: number): number {
  let units = 0;
  const spilled: DecimalSum = { int: 0, frac: 0 };
  for (let i = a; i < b; i++) {
    const v = volume[i];
    const u = Math.round(v * VOLUME_UNITS);
    if (u >= 0 && u < UNIT_LIMIT && units < UNIT_LIMIT) {
      units += u;
    } else {
      spilled.frac += units; // a huge or negative volume, or a huge running sum
      units = 0;
      addTo(spilled, v);
    }
  }
  return decimalTotal(spilled.int, spilled.frac + units);
}
