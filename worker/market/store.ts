// The candle store as collection, backfills and admins use it: today's 1m candles go to D1 and earlier
// days to R2 archives, every write refreshing the 1h/1D rollups of the hours and days it touched; what
// is stored (the newest candle, the data status with its gaps) is read here too. The chart's read side
// is chart.ts; the tables are d1-candles.ts's, the objects archive.ts's.
import { inArray } from "drizzle-orm";
import { type Candle, DAY, MINUTE } from "../../core/candles/types";
import type { Db } from "../db/client";
import { forget } from "../db/memo";
import { tradingProfiles } from "../db/schema";
import { dayStart, writeDay } from "./archive";
import {
  archivedDays,
  archiveTotals,
  deleteRecent,
  readRecent,
  recentBounds,
  recentDays,
  recentGaps,
  upsertRecent,
} from "./d1-candles";
import { refreshRollups } from "./rollups";

export { archivedDays, latestTimes } from "./d1-candles";

export interface StoredProfile {
  id: number;
  symbol: string;
}

export const archivePrefix = (symbol: string) => `candles/${symbol}/`;
const HOUR = 3600;

function byDay(rows: readonly Candle[]): Map<number, Candle[]> {
  const days = new Map<number, Candle[]>();
  for (const c of rows) {
    const d = dayStart(c.time);
    const list = days.get(d);
    if (list) list.push(c);
    else days.set(d, [c]);
  }
  return days;
}

/**
 * Stores sorted, closed 1m candles idempotently. Days before `now`'s UTC day are merged into their
 * R2 archive (together with any of their rows still in D1); the current day is upserted in D1.
 * Returns how many candles were written.
 */
export async function storeCandles(
  bucket: R2Bucket,
  db: Db,
  profile: StoredProfile,
  rows: readonly Candle[],
  nowSec: number,
  /** false: the caller marks the profile as having new data itself (a shard, once for all its profiles). */
  touchProfile = true,
) {
  if (rows.length === 0) return 0;
  // Even a write that fails half way may have stored some rows: this isolate's memos forget either way.
  try {
    return await writeCandles(bucket, db, profile, rows, nowSec, touchProfile);
  } finally {
    forget("candles");
  }
}

async function writeCandles(
  bucket: R2Bucket,
  db: Db,
  profile: StoredProfile,
  rows: readonly Candle[],
  nowSec: number,
  touchProfile: boolean,
) {
  const today = dayStart(nowSec);
  for (const [day, list] of byDay(rows)) {
    if (day >= today) {
      await upsertRecent(db, profile.id, list);
      const from = list[0].time - (list[0].time % HOUR);
      const to = list[list.length - 1].time - (list[list.length - 1].time % HOUR) + HOUR;
      await refreshRollups(db, profile.id, await readRecent(db, profile.id, from, to));
    } else {
      const pending = await readRecent(db, profile.id, day, day + DAY);
      const merged = await writeDay(
        bucket,
        db,
        profile,
        day,
        pending.length ? [...pending, ...list].sort((a, b) => a.time - b.time) : list,
      );
      if (pending.length) await deleteRecent(db, profile.id, day, day + DAY);
      await refreshRollups(db, profile.id, merged);
    }
  }
  if (touchProfile) await markNewData(db, [profile.id]);
  return rows.length;
}

/** How many 1m candles a profile has stored, archived days and today's together. */
export async function storedCount(db: Db, profileId: number): Promise<number> {
  const [archived, recent] = await Promise.all([archiveTotals(db, profileId), recentBounds(db, profileId)]);
  return Number(archived.candles) + Number(recent.n);
}

/** Marks profiles as holding data, updated now (one query for any number of them). */
export async function markNewData(db: Db, profileIds: readonly number[]) {
  if (profileIds.length === 0) return;
  await db
    .update(tradingProfiles)
    .set({ hasData: true, lastDataUpdate: new Date(), updatedAt: new Date() })
    .where(inArray(tradingProfiles.id, [...profileIds]));
  forget("profiles");
}

/** Moves every complete UTC day still in D1 to its R2 archive (run by the cron after midnight). */
export async function compactRecent(bucket: R2Bucket, db: Db, profile: StoredProfile, nowSec: number) {
  const today = dayStart(nowSec);
  for (const day of await recentDays(db, profile.id)) {
    if (day >= today) continue;
    const rows = await readRecent(db, profile.id, day, day + DAY);
    try {
      await writeDay(bucket, db, profile, day, rows);
      await deleteRecent(db, profile.id, day, day + DAY);
    } finally {
      forget("candles");
    }
  }
}

/** Removes a profile's R2 archives (its D1 rows go with the profile by cascade). */
export async function deleteStoredCandles(bucket: R2Bucket, symbol: string) {
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: archivePrefix(symbol), cursor });
    if (page.objects.length) await bucket.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}

/** Unix second of the newest stored 1m candle, or null. */
export async function lastStoredTime(db: Db, profileId: number): Promise<number | null> {
  // Today's candles are newer than any archived day; the archive is asked only when D1 has none.
  const recent = await recentBounds(db, profileId);
  return recent.last ?? (await archiveTotals(db, profileId)).last;
}

export interface Gap {
  from: number;
  to: number;
  minutes: number;
}

/** How many 1m candles are stored, their span, and every run of missing minutes inside it. */
export async function dataStatus(db: Db, profileId: number) {
  const [archive, recent, days, recentHoles] = await Promise.all([
    archiveTotals(db, profileId),
    recentBounds(db, profileId),
    archivedDays(db, profileId),
    recentGaps(db, profileId),
  ]);
  const runs: [number, number][] = [];
  let prevLast: number | null = null;
  const follow = (first: number, last: number, inner: [number, number][]) => {
    if (prevLast !== null && first - prevLast > MINUTE) runs.push([prevLast + MINUTE, first - MINUTE]);
    runs.push(...inner);
    prevLast = prevLast === null ? last : Math.max(prevLast, last);
  };
  for (const d of days) follow(d.firstTime, d.lastTime, d.gaps);
  if (recent.first !== null && recent.last !== null) follow(recent.first, recent.last, recentHoles);
  const times = [archive.first, archive.last, recent.first, recent.last].filter(
    (t): t is number => t !== null,
  );
  const gaps: Gap[] = runs.map(([from, to]) => ({ from, to, minutes: (to - from) / MINUTE + 1 }));
  return {
    candles: archive.candles + recent.n,
    first_time: times.length ? Math.min(...times) : null,
    last_time: times.length ? Math.max(...times) : null,
    gaps,
  };
}
