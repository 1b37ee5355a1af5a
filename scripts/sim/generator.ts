// The simulated market: 1m candles whose log returns follow GARCH(1,1) with Student-t innovations,
// deterministic by seed and minute, any past or future minute producible on demand.
//
// GARCH is path-dependent: minute t's variance depends on every return before it. The trick that keeps a
// request cheap: the market is generated in UTC-day blocks. Each day's returns come from their own seeded
// stream (seed, day) and its variance recursion restarts at the unconditional variance at 00:00 UTC
// (with alpha + beta near 0.99 at 1m the start is forgotten within a few hours, so one restart in 1,440
// minutes does not change the process). Only the price level links days: the log price at a day's first
// open is an anchor chain, anchor(d + 1) = anchor(d) + sum of day d's log returns, walked from a fixed
// epoch day in either direction. A day's sum costs one pass over 1,440 draws and is cached, so the chain
// is computed once per process (~1 s for years) and afterwards a minute costs its (cached) day block.
//
// A positive control adds a known, weak predictable component on top (params.hourlyAr = phi): hourly
// log returns follow AR(1), R_h = phi R_{h-1} + E_h, where E_h is the hour's sum of GARCH-t minute
// returns; every minute of hour h carries phi R_{h-1} / 60. Hour 0 of a day takes R_{-1} from the
// previous day's last hour, that day's AR walked from zero at its own start: the carry this drops is
// phi^24 R (phi = 0.2: 1.7e-17 R, far below a tick), so a day still needs only its own and the
// previous day's draws.

import { SIM_PARAMS, type SimParams } from "./params";
import { Rng } from "./random";

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
const MINUTES_PER_DAY = 1440;
const BLOCK_CACHE_DAYS = 8;

/** One simulated 1m kline, numbers already on the tick and lot grids. */
export interface SimCandle {
  openMs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  quoteVolume: number;
  trades: number;
  takerBuyVolume: number;
  takerBuyQuoteVolume: number;
}

interface DayBlock {
  /** Returns in percent (100 x log return) and their conditional variances (percent^2). */
  returns: Float64Array;
  variances: Float64Array;
  /** The AR drift each minute of an hour carries (percent; zeros without an AR component). */
  drift: Float64Array;
}

const MINUTES_PER_HOUR = 60;

/**
 * Adds the AR(1) drift phi R_{h-1} / 60 to every minute of `block`'s hours in place, R_{-1} = `carry`;
 * returns the last hour's whole return R_23.
 */
function addHourlyAr(block: DayBlock, phi: number, carry: number): number {
  let previous = carry;
  for (let h = 0; h < MINUTES_PER_DAY / MINUTES_PER_HOUR; h++) {
    const d = (phi * previous) / MINUTES_PER_HOUR;
    block.drift[h] = d;
    let total = 0;
    for (let i = h * MINUTES_PER_HOUR; i < (h + 1) * MINUTES_PER_HOUR; i++) {
      block.returns[i] += d;
      total += block.returns[i];
    }
    previous = total;
  }
  return previous;
}

export class SimMarket {
  readonly params: SimParams;
  private readonly sums = new Map<number, number>();
  private readonly anchors = new Map<number, number>();
  private readonly blocks = new Map<number, SimCandle[]>();
  private readonly epochDay: number;
  private readonly tick: number;
  private readonly lot: number;

  constructor(
    readonly seed: number | string = SIM_PARAMS.seed,
    params: Partial<SimParams> = {},
    /** Day blocks kept in memory (1,440 candles each); many synthetic markets keep fewer. */
    private readonly cacheDays = BLOCK_CACHE_DAYS,
  ) {
    this.params = { ...SIM_PARAMS, ...params };
    this.epochDay = Math.floor(Date.parse(this.params.epoch) / DAY_MS);
    this.tick = 10 ** -this.params.priceDecimals;
    this.lot = 10 ** -this.params.volumeDecimals;
  }

  /** The day's returns: GARCH-t noise, plus the AR(1) drift of a positive control. */
  private returnsOf(day: number): DayBlock {
    const block = this.noiseOf(day);
    const phi = this.params.hourlyAr;
    if (phi) addHourlyAr(block, phi, addHourlyAr(this.noiseOf(day - 1), phi, 0));
    return block;
  }

  /** The GARCH returns of one day, from the unconditional variance at its first minute. */
  private noiseOf(day: number): DayBlock {
    const { mu, omega, alpha, beta, nu } = this.params.garch;
    const rng = new Rng(this.seed, day, "returns");
    const returns = new Float64Array(MINUTES_PER_DAY);
    const variances = new Float64Array(MINUTES_PER_DAY);
    let h = omega / (1 - alpha - beta);
    for (let i = 0; i < MINUTES_PER_DAY; i++) {
      const e = Math.sqrt(h) * rng.studentT(nu);
      returns[i] = mu + e;
      variances[i] = h;
      h = omega + alpha * e * e + beta * h;
    }
    return { returns, variances, drift: new Float64Array(MINUTES_PER_DAY / MINUTES_PER_HOUR) };
  }

  private daySum(day: number): number {
    let s = this.sums.get(day);
    if (s === undefined) {
      s = this.returnsOf(day).returns.reduce((a, r) => a + r, 0) / 100;
      this.sums.set(day, s);
    }
    return s;
  }

  /** Natural log of the price at 00:00 UTC of `day`. */
  anchor(day: number): number {
    const cached = this.anchors.get(day);
    if (cached !== undefined) return cached;
    let d = this.epochDay;
    let a = Math.log(this.params.startPrice);
    const step = day >= d ? 1 : -1;
    // Start from the nearest cached anchor on the way, so the chain is walked once.
    for (let k = day; k !== d - step; k -= step) {
      const hit = this.anchors.get(k);
      if (hit !== undefined) {
        d = k;
        a = hit;
        break;
      }
    }
    while (d !== day) {
      a = step > 0 ? a + this.daySum(d) : a - this.daySum(d - 1);
      d += step;
      this.anchors.set(d, a);
    }
    this.anchors.set(day, a);
    return a;
  }

  /** All 1,440 candles of a UTC day (kept among the last `cacheDays` days). */
  day(day: number): SimCandle[] {
    const hit = this.blocks.get(day);
    if (hit) return hit;
    const candles = this.minutes(day, 0, MINUTES_PER_DAY);
    if (this.cacheDays > 0) {
      this.blocks.set(day, candles);
      if (this.blocks.size > this.cacheDays) this.blocks.delete(this.blocks.keys().next().value!);
    }
    return candles;
  }

  /** The day's returns, kept for the last day asked when candles are not cached (many markets). */
  private lastReturns: { day: number; block: DayBlock } | null = null;

  /**
   * Candles `from` <= minute < `to` of a UTC day. Every minute before `from` still draws its random
   * numbers (so the answer equals the whole day's), but only the minutes asked for are built.
   */
  minutes(day: number, from: number, to: number): SimCandle[] {
    const cached = this.blocks.get(day);
    if (cached) return cached.slice(from, to);
    let block = this.lastReturns?.day === day ? this.lastReturns.block : undefined;
    if (!block) {
      block = this.returnsOf(day);
      this.sums.set(day, block.returns.reduce((a, r) => a + r, 0) / 100);
      if (this.cacheDays === 0) this.lastReturns = { day, block };
    }
    const { returns, variances, drift } = block;
    const { volume } = this.params;
    const rng = new Rng(this.seed, day, "extras");
    const candles: SimCandle[] = [];
    let logPrice = this.anchor(day);
    let open = this.onTick(Math.exp(logPrice));
    for (let i = 0; i < to; i++) {
      const b = returns[i] / 100;
      const u1 = rng.next();
      const u2 = rng.next();
      const n1 = rng.normal();
      const n2 = rng.normal();
      if (i < from) {
        logPrice += b;
        continue;
      }
      if (i === from) open = this.onTick(Math.exp(logPrice));
      const s2 = variances[i] / 10_000;
      // Extremes of a Brownian bridge from 0 to b with variance s2 over the minute (exact law of its max).
      const up = (b + Math.sqrt(b * b - 2 * s2 * Math.log(u1))) / 2;
      const down = (b - Math.sqrt(b * b - 2 * s2 * Math.log(u2))) / 2;
      const close = this.onTick(Math.exp(logPrice + b));
      const high = Math.max(this.ceilTick(Math.exp(logPrice + up)), open, close);
      const low = Math.max(this.tick, Math.min(this.floorTick(Math.exp(logPrice + down)), open, close));
      const hour = Math.floor(i / MINUTES_PER_HOUR);
      // Volume reacts to the minute's surprise, not to the drift.
      const z = Math.abs((returns[i] - drift[hour] - this.params.garch.mu) / Math.sqrt(variances[i]));
      const lnV = volume.logLevel + volume.hourOffsets[hour] + volume.absZSlope * z + volume.noiseSd * n1;
      const vol = Math.max(this.lot, this.grid(Math.exp(lnV), this.params.volumeDecimals));
      const mid = (open + high + low + close) / 4;
      const takerShare = Math.min(0.95, Math.max(0.05, 0.5 + 0.12 * n2 + 2 * (close / open - 1)));
      const takerBuy = this.grid(vol * takerShare, this.params.volumeDecimals);
      candles.push({
        openMs: (day * MINUTES_PER_DAY + i) * MINUTE_MS,
        open,
        high,
        low,
        close,
        volume: vol,
        quoteVolume: vol * mid,
        trades: Math.max(1, Math.round(vol * volume.tradesPerUnit)),
        takerBuyVolume: takerBuy,
        takerBuyQuoteVolume: takerBuy * mid,
      });
      logPrice += b;
      open = close;
    }
    return candles;
  }

  /** The candle opening at `openMs` (floored to its minute). */
  candle(openMs: number): SimCandle {
    const minute = Math.floor(openMs / MINUTE_MS);
    const day = Math.floor(minute / MINUTES_PER_DAY);
    const i = minute - day * MINUTES_PER_DAY;
    return this.cacheDays > 0 ? this.day(day)[i] : this.minutes(day, i, i + 1)[0];
  }

  /** `count` consecutive candles from the minute `fromMs`. */
  range(fromMs: number, count: number): SimCandle[] {
    const out: SimCandle[] = [];
    let minute = Math.floor(fromMs / MINUTE_MS);
    while (out.length < count) {
      const day = Math.floor(minute / MINUTES_PER_DAY);
      const start = minute - day * MINUTES_PER_DAY;
      const take = Math.min(count - out.length, MINUTES_PER_DAY - start);
      if (this.cacheDays > 0) {
        const block = this.day(day);
        for (let i = start; i < start + take; i++) out.push(block[i]);
      } else out.push(...this.minutes(day, start, start + take));
      minute += take;
    }
    return out;
  }

  /** The price as a decimal string on the tick grid. */
  priceString(p: number): string {
    return p.toFixed(this.params.priceDecimals);
  }

  volumeString(v: number): string {
    return v.toFixed(this.params.volumeDecimals);
  }

  /** x rounded (or ceiled, floored) to the grid of `decimals` places, as the nearest double. */
  private grid(x: number, decimals: number, how: (v: number) => number = Math.round): number {
    const scale = 10 ** decimals;
    return Number((how(Number((x * scale).toFixed(6))) / scale).toFixed(decimals));
  }

  private onTick(p: number): number {
    return Math.max(this.tick, this.grid(p, this.params.priceDecimals));
  }

  private ceilTick(p: number): number {
    return this.grid(p, this.params.priceDecimals, Math.ceil);
  }

  private floorTick(p: number): number {
    return this.grid(p, this.params.priceDecimals, Math.floor);
  }
}
