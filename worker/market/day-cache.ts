// Archived day objects kept in this isolate's memory: a finished day never changes, and when a gap
// refill rewrites one its index row (candles, bytes) changes, and with it the key.
import { ByteLru, CACHE_BYTES } from "../memory";
import { readDayBytes } from "./archive";

// ~900 days of ~13 KB
const days = new ByteLru<string, Uint8Array>(CACHE_BYTES.dayBlocks, (b) => b.byteLength);

export interface DayIndex {
  day: number;
  candles: number;
  bytes: number;
}

/** The encoded day, from memory or R2; null when R2 has no object for it. */
export async function dayBytes(bucket: R2Bucket, symbol: string, d: DayIndex): Promise<Uint8Array | null> {
  const key = `${symbol}/${d.day}/${d.candles}/${d.bytes}`;
  const hit = days.get(key);
  if (hit) return hit;
  const bytes = await readDayBytes(bucket, symbol, d.day);
  if (bytes && bytes.byteLength === d.bytes) days.set(key, bytes);
  return bytes;
}
