// Candle storage, read side: chart periods in any timeframe, and quotes.
import { lowerBound } from "../../core/bisect";
import { rollUp } from "../../core/candles/aggregate";
import { aggregateColumns } from "../../core/candles/aggregate-columns";
import { decodeBlocksToColumns } from "../../core/candles/codec";
import { type CandleColumns, concatColumns, fromColumns, toColumns } from "../../core/candles/columns";
import { nextPeriodStart, periodStart, type Timeframe } from "../../core/candles/timeframes";
import { DAY, MINUTE } from "../../core/candles/types";
import type { Db } from "../db/client";
import { dayStart } from "./archive";
import { archivedDays, minutesBefore } from "./d1-candles";
import { type DayIndex, dayBytes } from "./day-cache";
import { readRollups } from "./rollups";
import type { StoredProfile } from "./store";

// Which stored series each timeframe is built from, and how many of its rows make one period at most.
const SOURCE: Record<Timeframe, { base: "1m" | "1h" | "1D"; per: number }> = {
  "1m": { base: "1m", per: 1 },
  "5m": { base: "1m", per: 5 },
  "15m": { base: "1m", per: 15 },
  "1h": { base: "1h", per: 1 },
  "4h": { base: "1h", per: 4 },
  "1D": { base: "1D", per: 1 },
  "1W": { base: "1D", per: 7 },
  "1M": { base: "1D", per: 31 },
};
const ARCHIVE_READS_IN_PARALLEL = 6;

/** The newest `count` 1m candles opening before `before`, oldest first (D1 first, then R2 days). */
async function latestMinutes(bucket: R2Bucket, db: Db, p: StoredProfile, before: number, count: number) {
  const newer = toColumns(await minutesBefore(db, p.id, before, count));
  if (newer.length >= count) return newer;
  // Older minutes come from whole archived days: the index says how many each holds, so exactly the
  // days needed are read, in parallel, and decoded straight into columns (no object per candle).
  const below = newer.length ? newer.time[0] : before;
  const days = await archivedDays(db, p.id, undefined, dayStart(below - 1), true);
  const picked: DayIndex[] = [];
  for (let have = newer.length, i = 0; i < days.length && have < count; i++) {
    picked.push(days[i]);
    // A day cut by `below` only contributes the minutes before it.
    have += Math.min(days[i].candles, Math.max(0, (below - days[i].day) / MINUTE));
  }
  const blocks: Uint8Array[] = [];
  for (let i = 0; i < picked.length; i += ARCHIVE_READS_IN_PARALLEL) {
    const batch = picked.slice(i, i + ARCHIVE_READS_IN_PARALLEL).map((d) => dayBytes(bucket, p.symbol, d));
    blocks.push(...(await Promise.all(batch)).filter((b): b is Uint8Array => b !== null));
  }
  const older = decodeBlocksToColumns(blocks.reverse());
  const cut = sliceColumns(older, 0, lowerBound(older.time, below));
  const all = concatColumns([cut, newer]);
  return all.length > count ? sliceColumns(all, all.length - count, all.length) : all;
}

/**
 * The newest `limit` periods of `tf` that open at or before `end` (all when omitted), oldest first.
 * One extra period's worth of base rows is read so that the oldest period returned is never cut.
 */
export async function readChart(
  bucket: R2Bucket,
  db: Db,
  p: StoredProfile,
  tf: Timeframe,
  limit: number,
  end?: number,
) {
  const before = end === undefined ? Number.MAX_SAFE_INTEGER : nextPeriodStart(periodStart(end, tf), tf);
  const { base, per } = SOURCE[tf];
  const want = (limit + 1) * per;
  if (base === "1m") {
    const minutes = await latestMinutes(bucket, db, p, before, want);
    const periods = tf === "1m" ? minutes : aggregateColumns(minutes, tf);
    const first = minutes.length >= want && tf !== "1m" ? 1 : 0;
    return fromColumns(periods, Math.max(first, periods.length - limit), periods.length);
  }
  const rows = await readRollups(db, p.id, base, 0, before, want);
  const periods = tf === base ? rows : rollUp(rows, base, tf);
  if (rows.length >= want && tf !== base) periods.shift();
  return periods.slice(Math.max(0, periods.length - limit));
}

/** The 1m candle open at or before `time` (looking back at most a day), or null. */
export async function minuteAtOrBefore(bucket: R2Bucket, db: Db, p: StoredProfile, time: number) {
  const [c] = fromColumns(await latestMinutes(bucket, db, p, time + MINUTE, 1));
  return c && c.time > time - DAY ? c : null;
}

export interface Quote {
  price: number | null;
  change_percent: number | null;
  last_updated: string | null;
}

/** Last close, its change against the close 24 hours earlier, and when the last candle closed. */
export async function quote(bucket: R2Bucket, db: Db, p: StoredProfile): Promise<Quote> {
  const [last] = fromColumns(await latestMinutes(bucket, db, p, Number.MAX_SAFE_INTEGER, 1));
  if (!last) return { price: null, change_percent: null, last_updated: null };
  const dayAgo = await minuteAtOrBefore(bucket, db, p, last.time - DAY);
  return {
    price: last.close,
    change_percent: dayAgo ? (last.close / dayAgo.close - 1) * 100 : null,
    last_updated: new Date((last.time + MINUTE) * 1000).toISOString(),
  };
}

function sliceColumns(c: CandleColumns, from: number, to: number): CandleColumns {
  return {
    length: Math.max(0, to - from),
    time: c.time.subarray(from, to),
    open: c.open.subarray(from, to),
    high: c.high.subarray(from, to),
    low: c.low.subarray(from, to),
    close: c.close.subarray(from, to),
    volume: c.volume.subarray(from, to),
  };
}
