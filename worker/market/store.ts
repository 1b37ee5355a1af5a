// Candle storage: recent 1m candles and 1h/1D rollups in D1, complete days archived in R2.
import { and, desc, eq, lte } from "drizzle-orm";
import type { Candle } from "../../core/candles/types";
import type { Db } from "../db/client";
import type { ProfileRow } from "../db/profiles";
import { candleRollups, candles } from "../db/schema";

export const archivePrefix = (symbol: string) => `candles/${symbol}/`;

const toCandle = (r: Candle): Candle => ({
  time: r.time,
  open: r.open,
  high: r.high,
  low: r.low,
  close: r.close,
  volume: r.volume,
});

/** The newest candle at or before `time` (any time when omitted), from 1m data or else the 1h rollup. */
export async function candleAtOrBefore(db: Db, profileId: number, time?: number): Promise<Candle | null> {
  const recent = await db
    .select()
    .from(candles)
    .where(and(eq(candles.profileId, profileId), time === undefined ? undefined : lte(candles.time, time)))
    .orderBy(desc(candles.time))
    .limit(1);
  if (recent[0]) return toCandle(recent[0]);
  const hourly = await db
    .select()
    .from(candleRollups)
    .where(
      and(
        eq(candleRollups.profileId, profileId),
        eq(candleRollups.timeframe, "1h"),
        time === undefined ? undefined : lte(candleRollups.time, time),
      ),
    )
    .orderBy(desc(candleRollups.time))
    .limit(1);
  return hourly[0] ? toCandle(hourly[0]) : null;
}

export interface Quote {
  price: number | null;
  change_percent: number | null;
  last_updated: string | null;
}

/** Last close, its change over 24 hours, and when that candle closed. */
export async function quote(db: Db, profileId: number): Promise<Quote> {
  const last = await candleAtOrBefore(db, profileId);
  if (!last) return { price: null, change_percent: null, last_updated: null };
  const dayAgo = await candleAtOrBefore(db, profileId, last.time - 86_400);
  return {
    price: last.close,
    change_percent: dayAgo ? (last.close / dayAgo.close - 1) * 100 : null,
    last_updated: new Date((last.time + 60) * 1000).toISOString(),
  };
}

/** Removes a profile's R2 archives (its D1 rows go with the profile by cascade). */
export async function deleteStoredCandles(env: Env, profile: ProfileRow) {
  let cursor: string | undefined;
  do {
    const page = await env.BUCKET.list({ prefix: archivePrefix(profile.symbol), cursor });
    if (page.objects.length) await env.BUCKET.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}
