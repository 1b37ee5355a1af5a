// Where the periods of a timeframe begin in a sorted column of candle times: the first pass of
// aggregateColumns. It reads two or three times per period, not every time: a period usually
// holds as many rows as the one before (no gap), so its end is checked at that guess and searched
// for only when the guess misses. A fixed-length period (5m ... 1W) that follows its predecessor
// starts where that one ended; only a gap or a calendar month asks floorTo or Date.UTC for a
// boundary. The caller must check that the times increase (checkOrder, or a loop of its own): on
// unsorted times the bounds are meaningless, though always within [0, n].
import { fixedPeriods, floorTo, nextPeriodStart, periodStart, type Timeframe } from "./timeframes";

/** Periods found by periodBounds; the arrays are scratch space, valid until its next call. */
export interface PeriodBounds {
  /** Number of periods. */
  count: number;
  /** first[p] is the row of period p's first candle; first[count] is the number of rows. */
  first: Int32Array;
  /** start[p] is the Unix second at which period p opens. */
  start: Float64Array;
}

// Reused between calls (a chart request aggregates once; a benchmark thousands of times).
const scratch: PeriodBounds = { count: 0, first: new Int32Array(0), start: new Float64Array(0) };
/** Boundaries the add-a-length step may produce: integers this small are exact doubles. */
const EXACT = 2 ** 52;
const SHORTEST_MONTH = 28 * 86_400;

/** At most how many periods `n` sorted times can fill (plus one slot for first[count]). */
function capacity(time: Float64Array, n: number, length: number): number {
  if (n === 0) return 1;
  const cap = Math.floor((time[n - 1] - time[0]) / length) + 3;
  return cap >= 1 && cap <= n ? cap : n + 1;
}

function grow(to: number): void {
  const first = new Int32Array(to);
  const start = new Float64Array(to);
  first.set(scratch.first.subarray(0, Math.min(to, scratch.first.length)));
  start.set(scratch.start.subarray(0, Math.min(to, scratch.start.length)));
  scratch.first = first;
  scratch.start = start;
}

/**
 * Throws the RangeError for the first bad time: one that does not exceed the time before it
 * (NaN included), or +Infinity. Returns when every time is finite and sorted.
 */
export function checkOrder(time: Float64Array, n: number): void {
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const t = time[i];
    if (!(t > last)) {
      throw new RangeError(`candles must be sorted by time without repeats: ${t} after ${last}`);
    }
    if (t === Number.POSITIVE_INFINITY) throw new RangeError("candle time must be finite");
    last = t;
  }
}

/** The first row in (i, n] whose time is at or after `end`, guessing row `guess` first. */
function endRow(time: Float64Array, n: number, i: number, end: number, guess: number): number {
  if (guess > i && guess < n) {
    if (time[guess - 1] < end && time[guess] >= end) return guess;
  } else if (guess >= n && time[n - 1] < end) {
    return n;
  }
  let lo = i + 1;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid] >= end) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Splits `n` times, assumed sorted, into the periods of `tf`. */
export function periodBounds(time: Float64Array, n: number, tf: Timeframe): PeriodBounds {
  const fixed = fixedPeriods(tf);
  const size = fixed ? fixed[0] : 0; // 0: calendar months
  const origin = fixed ? fixed[1] : 0;
  const cap = capacity(time, n, size || SHORTEST_MONTH);
  if (scratch.first.length < cap) grow(cap);
  let k = 0;
  let end = Number.NEGATIVE_INFINITY;
  let rows = 1; // rows in the last period: the guess for the next one
  for (let i = 0; i < n; ) {
    const t = time[i];
    if (!Number.isFinite(t)) checkOrder(time, n); // throws: no period starts at NaN or +-Infinity
    let s = end;
    if (size > 0 && t >= end && t < end + size && end < EXACT && end > -EXACT) {
      end += size; // the period right after the last one
    } else if (size > 0) {
      end = floorTo(t, size, origin) + size;
      s = end - size;
    } else {
      s = periodStart(t, tf);
      end = nextPeriodStart(s, tf);
    }
    if (k + 1 >= scratch.first.length) grow(n + 1); // only unsorted times outgrow the capacity
    scratch.first[k] = i;
    scratch.start[k] = s;
    k++;
    const next = endRow(time, n, i, end, i + rows);
    rows = next - i;
    i = next;
  }
  scratch.first[k] = n;
  scratch.count = k;
  return scratch;
}
