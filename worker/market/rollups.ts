// 1h and 1D rollups in D1: rebuilt for the periods a write touched, read for long ranges.
import { and, asc, count, desc, eq, gte, lt } from "drizzle-orm";
import { aggregate, rollUp } from "../../core/candles/aggregate";
import type { Candle } from "../../core/candles/types";
import { ROLLUP_ROWS_PER_INSERT } from "../config";
import type { Db } from "../db/client";
import { candleRollups } from "../db/schema";
import { EXCLUDED_OHLCV, pick } from "./d1-candles";

export type RollupTf = "1h" | "1D";

async function upsert(db: Db, profileId: number, timeframe: RollupTf, rows: readonly Candle[]) {
  const statements = [];
  for (let i = 0; i < rows.length; i += ROLLUP_ROWS_PER_INSERT) {
    const chunk = rows
      .slice(i, i + ROLLUP_ROWS_PER_INSERT)
      .map((c) => ({ profileId, timeframe, ...pick(c) }));
    statements.push(
      db
        .insert(candleRollups)
        .values(chunk)
        .onConflictDoUpdate({
          target: [candleRollups.profileId, candleRollups.timeframe, candleRollups.time],
          set: EXCLUDED_OHLCV,
        }),
    );
  }
  if (statements.length) await db.batch(statements as [(typeof statements)[0], ...typeof statements]);
}

/** Rollups of one timeframe with from <= time < to, oldest first; newest `limit` when given. */
export async function readRollups(
  db: Db,
  profileId: number,
  timeframe: RollupTf,
  from: number,
  to: number,
  limit?: number,
) {
  const where = and(
    eq(candleRollups.profileId, profileId),
    eq(candleRollups.timeframe, timeframe),
    gte(candleRollups.time, from),
    lt(candleRollups.time, to),
  );
  if (limit === undefined) {
    return (await db.select().from(candleRollups).where(where).orderBy(asc(candleRollups.time))).map(pick);
  }
  const rows = await db
    .select()
    .from(candleRollups)
    .where(where)
    .orderBy(desc(candleRollups.time))
    .limit(limit);
  return rows.reverse().map(pick);
}

/**
 * Rebuilds the 1h rollups from complete hours of 1m candles (every stored minute of each hour they
 * cover must be in `minutes`), then the 1D rollups of the days they touch from their 1h rollups.
 */
export async function refreshRollups(db: Db, profileId: number, minutes: readonly Candle[]) {
  if (minutes.length === 0) return;
  await upsert(db, profileId, "1h", aggregate(minutes, "1h"));
  const firstDay = minutes[0].time - (minutes[0].time % 86_400);
  const lastDay = minutes[minutes.length - 1].time - (minutes[minutes.length - 1].time % 86_400);
  const hours = await readRollups(db, profileId, "1h", firstDay, lastDay + 86_400);
  await upsert(db, profileId, "1D", rollUp(hours, "1h", "1D"));
}

/** How many `timeframe` periods a profile has (a period counts once any 1m candle of it is stored). */
export async function countRollups(db: Db, profileId: number, timeframe: RollupTf): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(candleRollups)
    .where(and(eq(candleRollups.profileId, profileId), eq(candleRollups.timeframe, timeframe)));
  return row?.n ?? 0;
}
