// R2 archives: one object per symbol per UTC day of 1m candles (core/candles/codec), indexed in D1
// (candle_days) so that status, gaps and range planning never list or read R2.
import { and, asc, desc, eq, gte, lte, sql } from "drizzle-orm";
import { decodeCandles, encodeCandles } from "../../core/candles/codec";
import { type Candle, DAY, MINUTE } from "../../core/candles/types";
import type { Db } from "../db/client";
import { candleDays } from "../db/schema";

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
  const known = await db.query.candleDays.findFirst({
    where: and(eq(candleDays.profileId, profile.id), eq(candleDays.day, day)),
  });
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
  const row = {
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
  };
  await db
    .insert(candleDays)
    .values({ profileId: profile.id, day, ...row })
    .onConflictDoUpdate({ target: [candleDays.profileId, candleDays.day], set: row });
  return merged;
}

export async function archivedDays(
  db: Db,
  profileId: number,
  from?: number,
  to?: number,
  newestFirst = false,
) {
  return db
    .select()
    .from(candleDays)
    .where(
      and(
        eq(candleDays.profileId, profileId),
        from === undefined ? undefined : gte(candleDays.day, from),
        to === undefined ? undefined : lte(candleDays.day, to),
      ),
    )
    .orderBy(newestFirst ? desc(candleDays.day) : asc(candleDays.day));
}

export async function archiveTotals(db: Db, profileId: number) {
  const [row] = await db
    .select({
      candles: sql<number>`coalesce(sum(${candleDays.candles}), 0)`,
      first: sql<number | null>`min(${candleDays.firstTime})`,
      last: sql<number | null>`max(${candleDays.lastTime})`,
      bytes: sql<number>`coalesce(sum(${candleDays.bytes}), 0)`,
    })
    .from(candleDays)
    .where(eq(candleDays.profileId, profileId));
  return row;
}
