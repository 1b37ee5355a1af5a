// Archived day objects kept in this isolate's memory: a finished day never changes, and when a gap
// refill rewrites one its index row (candles, bytes) changes, and with it the key.
import { readDayBytes } from "./archive";

const MAX_BYTES = 24 * 1024 * 1024; // ~1,800 days of ~13 KB
const days = new Map<string, Uint8Array>(); // oldest first: an LRU
let held = 0;

export interface DayIndex {
  day: number;
  candles: number;
  bytes: number;
}

/** The encoded day, from memory or R2; null when R2 has no object for it. */
export async function dayBytes(bucket: R2Bucket, symbol: string, d: DayIndex): Promise<Uint8Array | null> {
  const key = `${symbol}/${d.day}/${d.candles}/${d.bytes}`;
  const hit = days.get(key);
  if (hit) {
    days.delete(key);
    days.set(key, hit);
    return hit;
  }
  const bytes = await readDayBytes(bucket, symbol, d.day);
  if (bytes && bytes.byteLength === d.bytes) {
    days.set(key, bytes);
    held += bytes.byteLength;
    for (const [k, v] of days) {
      if (held <= MAX_BYTES) break;
      days.delete(k);
      held -= v.byteLength;
    }
  }
  return bytes;
}
