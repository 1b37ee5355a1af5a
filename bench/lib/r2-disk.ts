// What the local R2 bucket really holds, read from the blobs wrangler dev wrote under --persist-to:
// each blob is one object's bytes; its candle block header says how many candles and which day.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { candleBlockInfo } from "../../core/candles/codec";
import { DAY } from "../../core/candles/types";

export interface R2Holdings {
  /** distinct day objects (the newest blob of a day when an overwritten one was not yet removed) */
  objects: number;
  /** blobs of a day that a newer blob replaced (none when every day was written once) */
  replaced: number;
  bytes: number;
  candles: number;
  /** the largest day object, bytes */
  largest: number;
}

export function r2Holdings(persistTo: string, bucket = "moneymoney"): R2Holdings {
  const dir = path.join(persistTo, "v3", "r2", bucket, "blobs");
  const newest = new Map<number, { mtime: number; bytes: number; candles: number }>();
  let blobs = 0;
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    const bytes = readFileSync(file);
    const info = candleBlockInfo(new Uint8Array(bytes));
    const day = info.firstTime - (info.firstTime % DAY);
    const mtime = statSync(file).mtimeMs;
    blobs++;
    const seen = newest.get(day);
    if (!seen || seen.mtime < mtime) newest.set(day, { mtime, bytes: bytes.length, candles: info.count });
  }
  const days = [...newest.values()];
  return {
    objects: days.length,
    replaced: blobs - days.length,
    bytes: days.reduce((a, d) => a + d.bytes, 0),
    candles: days.reduce((a, d) => a + d.candles, 0),
    largest: Math.max(0, ...days.map((d) => d.bytes)),
  };
}
