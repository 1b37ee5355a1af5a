// Parses data.binance.vision kline dumps: 12 columns, optional header row, open_time in ms or µs.
import type { Candle } from "./types";

/** A 16-digit open_time is in microseconds (spot dumps from 2025 on), 13 digits is milliseconds. */
export function openTimeToSeconds(raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`bad open_time: ${raw}`);
  return Math.floor(raw.trim().length >= 16 ? value / 1e6 : value / 1e3);
}

/** Parses CSV text into candles sorted by time; a header row (non-numeric first field) is skipped. */
export function parseBinanceKlines(text: string): Candle[] {
  const out: Candle[] = [];
  for (const line of text.split("\n")) {
    if (line.length < 3) continue;
    const f = line.split(",");
    if (f.length < 6) throw new Error(`kline row has ${f.length} columns, expected 12`);
    if (!/^\d+$/.test(f[0].trim())) continue; // header
    out.push({
      time: openTimeToSeconds(f[0]),
      open: Number(f[1]),
      high: Number(f[2]),
      low: Number(f[3]),
      close: Number(f[4]),
      volume: Number(f[5]),
    });
  }
  out.sort((a, b) => a.time - b.time);
  return out;
}
