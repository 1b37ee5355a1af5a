// Recent 1m candles in D1 (the current UTC day, until the cron archives it to R2).
import { and, asc, desc, eq, gte, inArray, lt, max, sql } from "drizzle-orm";
import type { Candle } from "../../core/candles/types";
import { CANDLE_ROWS_PER_INSERT } from "../config";
import type { Db } from "../db/client";
import { candles } from "../db/schema";

/** Upserts take the new row's values (the same minute twice is stored once). */
export const EXCLUDED_OHLCV = {
  open: sql`excluded.open`,
  high: sql`excluded.high`,
  low: sql`excluded.low`,
  close: sql`excluded.close`,
  volume: sql`excluded.volume`,
};

export const pick = (r: Candle): Candle => ({
  time: r.time,
  open: r.open,
  high: r.high,
  low: r.low,
  close: r.close,
  volume: r.volume,
});

/** Upserts candles: the same minute twice is stored once, with the latest values. */
export async function upsertRecent(db: Db, profileId: number, rows: readonly Candle[]) {
  const statements = [];
  for (let i = 0; i < rows.length; i += CANDLE_ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + CANDLE_ROWS_PER_INSERT).map((c) => ({ profileId, ...pick(c) }));
    statements.push(
      db
        .insert(candles)
        .values(chunk)
        .onConflictDoUpdate({
          target: [candles.profileId, candles.time],
          set: EXCLUDED_OHLCV,
        }),
    );
  }
  if (statements.length) await db.batch(statements as [(typeof statements)[0], ...typeof statements]);
}

/** Candles with from <= time < to, oldest first. */
export async function readRecent(db: Db, profileId: number, from: number, to: number): Promise<Candle[]> {
  const rows = await db
    .select()
    .from(candles)
    .where(and(eq(candles.profileId, profileId), gte(candles.time, from), lt(candles.time, to)))
    .orderBy(asc(candles.time));
  return rows.map(pick);
}

export async function recentBounds(db: Db, profileId: number) {
  const [row] = await db
    .select({
      n: sql<number>`count(*)`,
      first: sql<number | null>`min(${candles.time})`,
      last: sql<number | null>`max(${candles.time})`,
    })
    .from(candles)
    .where(eq(candles.profileId, profileId));
  return row;
}

/** The newest recent candle time of each profile that has one, in one query (a shard's profiles). */
export async function latestTimes(db: Db, profileIds: readonly number[]): Promise<Map<number, number>> {
  if (profileIds.length === 0) return new Map();
  const rows = await db
    .select({ id: candles.profileId, last: max(candles.time) })
    .from(candles)
    .where(inArray(candles.profileId, [...profileIds]))
    .groupBy(candles.profileId);
  return new Map(rows.filter((r) => r.last !== null).map((r) => [r.id, r.last as number]));
}

export async function latestRecent(db: Db, profileId: number): Promise<Candle | null> {
  const [row] = await db
    .select()
    .from(candles)
    .where(eq(candles.profileId, profileId))
    .orderBy(desc(candles.time))
    .limit(1);
  return row ? pick(row) : null;
}

/** Runs of missing minutes between the recent candles, found by SQL without loading them. */
export async function recentGaps(db: Db, profileId: number): Promise<[number, number][]> {
  const rows = await db.all<{ prev: number; time: number }>(sql`
    select prev, time from (
      select time, lag(time) over (order by time) as prev from candles where profile_id = ${profileId}
    ) where time - prev > 60`);
  return rows.map((r) => [r.prev + 60, r.time - 60]);
}

export async function deleteRecent(db: Db, profileId: number, from: number, to: number) {
  await db
    .delete(candles)
    .where(and(eq(candles.profileId, profileId), gte(candles.time, from), lt(candles.time, to)));
}

/** UTC days (their start) that still have candles in D1, oldest first. */
export async function recentDays(db: Db, profileId: number): Promise<number[]> {
  const rows = await db.all<{ day: number }>(
    sql`select distinct time - time % 86400 as day from candles where profile_id = ${profileId} order by day`,
  );
  return rows.map((r) => r.day);
}
