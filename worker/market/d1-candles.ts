// The D1 half of the candle store, and the only module that queries its two tables: `candles`, the
// recent 1m candles (the current UTC day, until the cron archives it to R2), and `candle_days`, the
// index of the archived days (so that status, gaps and range planning never list or read R2).
import { and, asc, desc, eq, gte, inArray, lt, lte, max, sql } from "drizzle-orm";
import type { Candle } from "../../core/candles/types";
import { CANDLE_ROWS_PER_INSERT } from "../config";
import type { Db } from "../db/client";
import { candleDays, candles } from "../db/schema";

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

/** The newest `count` recent candles opening before `before`, oldest first. */
export async function minutesBefore(db: Db, profileId: number, before: number, count: number) {
  const rows = await db
    .select()
    .from(candles)
    .where(and(eq(candles.profileId, profileId), lt(candles.time, before)))
    .orderBy(desc(candles.time))
    .limit(count);
  return rows.reverse().map(pick);
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

// The index of archived days.

export type DayRow = typeof candleDays.$inferSelect;

export async function dayRow(db: Db, profileId: number, day: number): Promise<DayRow | undefined> {
  return db.query.candleDays.findFirst({
    where: and(eq(candleDays.profileId, profileId), eq(candleDays.day, day)),
  });
}

export async function saveDayRow(db: Db, row: DayRow) {
  const { profileId, day, ...set } = row;
  await db
    .insert(candleDays)
    .values(row)
    .onConflictDoUpdate({ target: [candleDays.profileId, candleDays.day], set });
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

export interface DataVersion {
  /** today's (not yet archived) minutes: count and span, or nulls when none */
  recent: { n: number; first: number | null; last: number | null };
  /** the archived-day index: days, total bytes, newest update */
  days: string;
}

/** What a symbol's stored candles are now, in one query by symbol (so it runs beside the profile lookup). */
export async function readDataVersion(d1: D1Database, symbol: string): Promise<DataVersion> {
  const row = await d1
    .prepare(
      `with p as (select id from trading_profiles where symbol = ?1)
       select (select count(*) from candles where profile_id = (select id from p)) as n,
              (select min(time) from candles where profile_id = (select id from p)) as first,
              (select max(time) from candles where profile_id = (select id from p)) as last,
              (select count(*) || '.' || coalesce(sum(bytes), 0) || '.' || coalesce(max(updated_at), 0)
                 from candle_days where profile_id = (select id from p)) as days`,
    )
    .bind(symbol)
    .first<{ n: number; first: number | null; last: number | null; days: string }>();
  return {
    recent: { n: row?.n ?? 0, first: row?.first ?? null, last: row?.last ?? null },
    days: row?.days ?? "",
  };
}
