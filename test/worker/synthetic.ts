// Deterministic synthetic 1m candles (decimal prices like an exchange's) for Worker tests.
import type { Candle } from "../../core/candles/types";

/** A seeded random walk of `count` minutes from `start`, skipping the minutes in `holes`. */
export function syntheticCandles(
  start: number,
  count: number,
  holes: Set<number> = new Set(),
  seed = 42,
): Candle[] {
  let s = seed >>> 0;
  const rand = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
  const out: Candle[] = [];
  let close = 30_000;
  for (let i = 0; i < count; i++) {
    const time = start + i * 60;
    const open = close;
    close = round(open * (1 + (rand() - 0.5) * 0.002), 2);
    const high = round(Math.max(open, close) * (1 + rand() * 0.0005), 2);
    const low = round(Math.min(open, close) * (1 - rand() * 0.0005), 2);
    const volume = round(rand() * 20, 5);
    if (!holes.has(time)) out.push({ time, open, high, low, close, volume });
  }
  return out;
}
