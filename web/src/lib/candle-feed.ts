// The chart's candles: first page, older pages on scroll-back, live minutes folded into the last period,
// and the polling refresh, all drawn through update().
import { api } from "../api";
import type { Candle, Timeframe } from "../api-types";
import { foldMinute, mergeCandles, streamable } from "./chart-data";
import { candleData, type PriceChart, setCandles, setHorizon, volumeData } from "./chart-setup";

export const FIRST_PAGE = 500;
const OLDER_PAGE = 500;
/** The performance mark set each time a pushed minute is drawn; its detail holds the minute's time. */
export const LIVE_CANDLE_MARK = "mm:live-candle";
const REFRESH_LIMIT = 3; // the forming candle plus the ones that closed since the last refresh

export type RefreshOutcome = "stale" | "updated" | "new_candle";

export class CandleFeed {
  candles: Candle[] = [];
  /** The server has no candle older than the first one shown. */
  exhausted = false;
  loadingOlder = false;
  /** The view was fitted to the forecast horizon once for this symbol and timeframe. */
  framed = false;
  // Bumped on every reset: answers that arrive for an older symbol or timeframe are dropped.
  private generation = 0;
  // The newest live minute folded into the candles; null after a load from the server, whose last
  // period may or may not hold the next live minute yet (so that minute is reconciled by a refresh).
  private foldedUntil: number | null = null;

  constructor(private readonly pc: PriceChart) {}

  get last(): Candle | null {
    return this.candles.at(-1) ?? null;
  }

  reset(): void {
    this.generation += 1;
    this.candles = [];
    this.exhausted = false;
    this.loadingOlder = false;
    this.framed = false;
    this.foldedUntil = null;
    setCandles(this.pc, []);
    setHorizon(this.pc, []);
  }

  /** Loads the latest page; false when the answer came too late (the selection changed meanwhile). */
  async loadLatest(symbol: string, tf: Timeframe, signal: AbortSignal): Promise<boolean> {
    const generation = this.generation;
    const answer = await api.candles(symbol, tf, FIRST_PAGE, undefined, signal);
    if (generation !== this.generation) return false;
    this.candles = mergeCandles([], answer.candles);
    this.exhausted = answer.candles.length < FIRST_PAGE;
    setCandles(this.pc, this.candles);
    return true;
  }

  /** Prepends the page before the first candle; true when candles were added. */
  async loadOlder(symbol: string, tf: Timeframe): Promise<boolean> {
    if (this.loadingOlder || this.exhausted || this.candles.length === 0) return false;
    const generation = this.generation;
    this.loadingOlder = true;
    try {
      const answer = await api.candles(symbol, tf, OLDER_PAGE, this.candles[0].time - 1);
      if (generation !== this.generation) return false;
      const before = this.candles.length;
      this.candles = mergeCandles(answer.candles, this.candles);
      if (this.candles.length === before) this.exhausted = true;
      else setCandles(this.pc, this.candles);
      return this.candles.length > before;
    } finally {
      if (generation === this.generation) this.loadingOlder = false;
    }
  }

  /**
   * Draws a newly closed 1m candle from the live feed in place: 1m charts take it as it is, longer
   * timeframes fold it into their last period (or open the next one). The first minute after a load
   * asks the server instead, since the loaded period may already count it.
   */
  async applyMinute(symbol: string, tf: Timeframe, minute: Candle): Promise<RefreshOutcome> {
    const last = this.last;
    if (!last) return "stale";
    if (tf !== "1m" && this.foldedUntil === null) {
      const generation = this.generation;
      const outcome = await this.refresh(symbol, tf);
      if (generation === this.generation) this.foldedUntil = minute.time;
      return outcome;
    }
    if (this.foldedUntil !== null && minute.time <= this.foldedUntil) return "stale";
    const c = foldMinute(last, minute, tf);
    if (!c) return "stale";
    this.pc.candles.update(candleData(c));
    this.pc.volume.update(volumeData(c));
    if (c.time === last.time) this.candles[this.candles.length - 1] = c;
    else this.candles.push(c);
    this.foldedUntil = minute.time;
    // One cheap timestamp per minute, only the latest kept: bench/live-latency.ts reads it (close -> drawn).
    performance.clearMarks(LIVE_CANDLE_MARK);
    performance.mark(LIVE_CANDLE_MARK, { detail: { time: minute.time } });
    return c.time > last.time ? "new_candle" : "updated";
  }

  /** Streams the newest candles with update(), never setData, unless a refresh missed periods. */
  async refresh(symbol: string, tf: Timeframe): Promise<RefreshOutcome> {
    const lastShown = this.last;
    if (!lastShown) return "stale";
    const generation = this.generation;
    this.foldedUntil = null;
    const answer = await api.candles(symbol, tf, REFRESH_LIMIT);
    if (generation !== this.generation) return "stale";
    if (answer.candles.length > 0 && answer.candles[0].time > lastShown.time) {
      // More periods passed than one refresh fetches (a sleeping laptop): reload instead of leaving a hole.
      const page = await api.candles(symbol, tf, FIRST_PAGE);
      if (generation !== this.generation) return "stale";
      const joins = page.candles.length > 0 && page.candles[0].time <= lastShown.time;
      this.candles = joins ? mergeCandles(this.candles, page.candles) : page.candles;
      setCandles(this.pc, this.candles);
      return "new_candle";
    }
    const fresh = streamable(lastShown.time, answer.candles);
    for (const c of fresh) {
      this.pc.candles.update(candleData(c));
      this.pc.volume.update(volumeData(c));
    }
    this.candles = mergeCandles(this.candles, fresh);
    return this.last!.time > lastShown.time ? "new_candle" : "updated";
  }
}
