// R2 archives: one object per symbol per UTC day of 1m candles (core/candles/codec), each indexed in
// D1 (d1-candles.ts, candle_days) so that status, gaps and range planning never list or read R2.
import { decodeCandles, encodeCandles } from "../../core/candles/codec";
import { type Candle, DAY, MINUTE } from "../../core/candles/types";
import type { Db } from "../db/client";
import { dayRow, saveDayRow } from "./d1-candles";

export const dayStart = (time: number) => time - (((time % DAY) + DAY) % DAY);

export function dayKey(symbol: string, day: number): string {
  const iso = new Date(day * 1000).toISOString().slice(0, 10);
  return `candles/${symbol}/1m/${iso.slice(0, 4)}/${iso}.bin`;
}

/** Runs of missing minutes inside [from, to] given sorted candle times, as inclusive [first, last]. */
export function missingRuns(times: readonly number[], from: number, to: number): [number, number][] {
  const runs: [number, number][] = [];
  let expect = from;
  for (const t of times) {
    if (t > expect) runs.push([expect, t - MINUTE]);
    expect = t + MINUTE;
  }
  if (expect <= to) runs.push([expect, to]);
  return runs;
}

export async function readDayBytes(
  bucket: R2Bucket,
  symbol: string,
  day: number,
): Promise<Uint8Array | null> {
  const obj = await bucket.get(dayKey(symbol, day));
  return obj ? new Uint8Array(await obj.arrayBuffer()) : null;
}

export async function readDay(bucket: R2Bucket, symbol: string, day: number): Promise<Candle[]> {
  const bytes = await readDayBytes(bucket, symbol, day);
  return bytes ? decodeCandles(bytes) : [];
}

/** Merges by time (newer values win), sorted. */
export function mergeCandles(older: readonly Candle[], newer: readonly Candle[]): Candle[] {
  const byTime = new Map<number, Candle>();
  for (const c of older) byTime.set(c.time, c);
  for (const c of newer) byTime.set(c.time, c);
  return [...byTime.values()].sort((a, b) => a.time - b.time);
}

/**
 * Adds candles of one day to its archive (read, merge, write once) and updates the index. The object
 * is written before the index row, so a failure in between leaves an object the next write merges.
 */
export async function writeDay(
  bucket: R2Bucket,
  db: Db,
  profile: { id: number; symbol: string },
  day: number,
  add: readonly Candle[],
) {
  const known = await dayRow(db, profile.id, day);
  const merged = known
    ? mergeCandles(await readDay(bucket, profile.symbol, day), add)
    : mergeCandles([], add);
  if (merged.length === 0) return merged;
  const bytes = encodeCandles(merged);
  await bucket.put(dayKey(profile.symbol, day), bytes, {
    httpMetadata: { contentType: "application/vnd.moneymoney.candles" },
    customMetadata: { candles: String(merged.length) },
  });
  const first = merged[0].time;
  const last = merged[merged.length - 1].time;
  await saveDayRow(db, {
    profileId: profile.id,
    day,
    candles: merged.length,
    firstTime: first,
    lastTime: last,
    bytes: bytes.length,
    gaps: missingRuns(
      merged.map((c) => c.time),
      first,
      last,
    ),
    updatedAt: new Date(),
  });
  return merged;
}
