// OHLCV aggregation into UTC periods, equal to pandas resample(rule, label='left', closed='left')
// .agg(first, max, min, last, sum).dropna(), with volumes summed as exact decimals.
import { decimalTotal, VOLUME_UNITS } from "./decimal-sum";
import { canRollUp, fixedPeriods, floorTo, nextPeriodStart, periodStart, type Timeframe } from "./timeframes";
import type { Candle } from "./types";

/**
 * Streaming aggregator: feed sorted candles in any number of chunks (day files, pages of rows);
 * a period that spans chunks stays open until a later candle or a flush closes it. The input may
 * be 1m candles or coarser candles whose periods nest in `timeframe` (1h -> 4h, 1D -> 1W or 1M).
 */
export class CandleAggregator {
  readonly timeframe: Timeframe;
  private lastTime = Number.NEGATIVE_INFINITY;
  private start = 0;
  private end = Number.NEGATIVE_INFINITY;
  private open = 0;
  private high = 0;
  private low = 0;
  private close = 0;
  private volInt = 0; // exact volume sum: whole units ...
  private volFrac = 0; // ... plus 1e-8 units (see decimal-sum.ts)
  private pending = false;

  constructor(timeframe: Timeframe) {
    this.timeframe = timeframe;
  }

  /** Adds candles (strictly after every candle fed so far); returns the periods they complete. */
  push(candles: readonly Candle[], out: Candle[] = []): Candle[] {
    const tf = this.timeframe;
    const fixed = fixedPeriods(tf);
    const size = fixed ? fixed[0] : 0; // 0: calendar months
    const origin = fixed ? fixed[1] : 0;
    // Locals, not fields, in the hot loop: V8 keeps them in registers.
    let lastTime = this.lastTime;
    let start = this.start;
    let end = this.end;
    let open = this.open;
    let high = this.high;
    let low = this.low;
    let close = this.close;
    let volInt = this.volInt;
    let volFrac = this.volFrac;
    let pending = this.pending;
    for (let i = 0; i < candles.length; i++) {
      const c = candles[i];
      const t = c.time;
      if (!(t > lastTime)) {
        throw new RangeError(`candles must be sorted by time without repeats: ${t} after ${lastTime}`);
      }
      lastTime = t;
      if (t >= end) {
        if (pending) out.push(makeCandle(start, open, high, low, close, volInt, volFrac));
        if (size > 0) {
          if (t === Number.POSITIVE_INFINITY) throw new RangeError("candle time must be finite");
          start = floorTo(t, size, origin);
          end = start + size;
        } else {
          start = periodStart(t, tf);
          end = nextPeriodStart(start, tf);
        }
        open = c.open;
        high = c.high;
        low = c.low;
        volInt = 0;
        volFrac = 0;
        pending = true;
      } else {
        if (!pending) throw new RangeError(`candle at ${t} falls in a period already flushed`);
        if (c.high > high) high = c.high;
        if (c.low < low) low = c.low;
      }
      close = c.close;
      const v = c.volume;
      const whole = Math.floor(v);
      volInt += whole;
      volFrac += Math.round((v - whole) * VOLUME_UNITS);
    }
    this.lastTime = lastTime;
    this.start = start;
    this.end = end;
    this.open = open;
    this.high = high;
    this.low = low;
    this.close = close;
    this.volInt = volInt;
    this.volFrac = volFrac;
    this.pending = pending;
    return out;
  }

  /** The period still open, as aggregated so far, or null. */
  partial(): Candle | null {
    if (!this.pending) return null;
    const { start, open, high, low, close, volInt, volFrac } = this;
    return makeCandle(start, open, high, low, close, volInt, volFrac);
  }

  /**
   * Closes the open period when it ends at or before `timeSec`: call it once the data is known to
   * be complete up to `timeSec` (e.g. the end of a day chunk) to get that period without waiting.
   */
  flushUntil(timeSec: number): Candle[] {
    if (!this.pending || this.end > timeSec) return [];
    return this.flush();
  }

  /** Closes and returns the open period, if any; later candles must lie in later periods. */
  flush(): Candle[] {
    const last = this.partial();
    this.pending = false; // `end` stays: a later candle before it would reopen a closed period
    return last ? [last] : [];
  }
}

function makeCandle(
  time: number,
  open: number,
  high: number,
  low: number,
  close: number,
  volInt: number,
  volFrac: number,
): Candle {
  return { time, open, high, low, close, volume: decimalTotal(volInt, volFrac) };
}

/** Candles of `tf` from sorted finer candles (1m, or any timeframe that nests in `tf`). */
export function aggregate(candles: readonly Candle[], tf: Timeframe): Candle[] {
  const agg = new CandleAggregator(tf);
  const out = agg.push(candles);
  out.push(...agg.flush());
  return out;
}

/** Rolls stored `from` candles (e.g. 1h or 1D rollups) up into `to`; refuses pairs that do not nest. */
export function rollUp(candles: readonly Candle[], from: Timeframe, to: Timeframe): Candle[] {
  if (!canRollUp(from, to)) throw new RangeError(`${from} periods do not nest in ${to} periods`);
  for (const c of candles) {
    if (periodStart(c.time, from) !== c.time) {
      throw new RangeError(`candle time ${c.time} is not the open of a ${from} period`);
    }
  }
  return aggregate(candles, to);
}
