// Decimal scales and the scaled (integer tick) body of the candle codec; see codec.ts for the layout.
import type { ByteWriter } from "./byte-io";
import type { Candle } from "./types";

/** Most decimals tried before a block falls back to raw float64 (10^15 is still an exact double). */
const MAX_DECIMALS = 15;
/** Ticks stay below 2^51 so that deltas (< 2^52) and their zigzag codes (< 2^53) are exact. */
const TICK_LIMIT = 2 ** 51;
const POW10 = Array.from({ length: MAX_DECIMALS + 1 }, (_, d) => 10 ** d);

/** Raises `d` until `v` is reproduced by round(v * 10^d) / 10^d; -1 when no scale works. */
function fitDecimals(v: number, d: number): number {
  while (Math.round(v * POW10[d]) / POW10[d] !== v) {
    if (++d > MAX_DECIMALS) return -1;
  }
  return Math.abs(v) * POW10[d] < TICK_LIMIT ? d : -1;
}

/**
 * The fewest decimals that represent every price (or every volume) of the block exactly as
 * integer ticks, or -1 when none does (binary fractions, huge values, negative volumes).
 */
export function valueDecimals(candles: readonly Candle[], volume: boolean): number {
  let d = 0;
  for (let i = 0; i < candles.length && d >= 0; i++) {
    const c = candles[i];
    if (volume) {
      d = c.volume < 0 ? -1 : fitDecimals(c.volume, d);
    } else {
      d = fitDecimals(c.open, d);
      if (d >= 0) d = fitDecimals(c.high, d);
      if (d >= 0) d = fitDecimals(c.low, d);
      if (d >= 0) d = fitDecimals(c.close, d);
    }
  }
  return d;
}

/**
 * Writes the scaled body. Each value is checked to decode to itself (ticks / 10^d === value);
 * returns false, leaving the writer to be discarded, if any does not.
 */
export function encodeValues(
  w: ByteWriter,
  candles: readonly Candle[],
  priceDecimals: number,
  volumeDecimals: number,
  loose: boolean,
): boolean {
  const p = POW10[priceDecimals];
  const q = POW10[volumeDecimals];
  if (candles.length === 0) return true;
  let prevClose = Math.round(candles[0].open * p);
  w.zigzag(prevClose);
  for (let i = 0; i < candles.length; i++) {
    const c = candles[i];
    const open = Math.round(c.open * p);
    const high = Math.round(c.high * p);
    const low = Math.round(c.low * p);
    const close = Math.round(c.close * p);
    const volume = Math.round(c.volume * q);
    if (
      open / p !== c.open ||
      high / p !== c.high ||
      low / p !== c.low ||
      close / p !== c.close ||
      volume / q !== c.volume ||
      !(Math.max(Math.abs(open), Math.abs(high), Math.abs(low), Math.abs(close), volume) < TICK_LIMIT)
    ) {
      return false;
    }
    w.zigzag(open - prevClose);
    w.zigzag(close - open);
    const up = high - Math.max(open, close);
    const down = Math.min(open, close) - low;
    if (loose) {
      w.zigzag(up);
      w.zigzag(down);
    } else {
      w.varint(up);
      w.varint(down);
    }
    w.varint(volume);
    prevClose = close;
  }
  return true;
}
