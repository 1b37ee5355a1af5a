// Incremental collection (the every-minute cron): new closed 1m candles after the last stored one,
// then a few gap refills. Exchange failures are reported and leave stored data untouched.
import type { Candle } from "../../core/candles/types";
import {
  CRON_GAP_REFILL_EVERY_MINUTES,
  CRON_GAP_REFILLS,
  CRON_INITIAL_LOOKBACK_SECONDS,
  CRON_PAGES_PER_PROFILE,
} from "../config";
import type { Db } from "../db/client";
import { readState, writeState } from "../db/state";
import { publishCandles } from "../live/instrument-feed";
import { archiveTotals } from "./archive";
import { dataStatus } from "./chart";
import {
  type Exchange,
  exchangeError,
  fetchClosedCandles,
  MAX_CANDLES_PER_REQUEST,
  withRetry,
} from "./exchange";
import { rememberMarkets } from "./markets-cache";
import { recentBounds } from "./recent";
import { type StoredProfile, storeCandles } from "./store";

// Within one request a short retry only: the next cron minute is the real retry.
const CRON_RETRY = { retries: 2, baseDelayMs: 300, maxDelayMs: 5_000 };

/** Unix second of the newest stored 1m candle, or null. */
export async function lastStoredTime(db: Db, profileId: number): Promise<number | null> {
  // Today's candles are newer than any archived day; the archive is asked only when D1 has none.
  const recent = await recentBounds(db, profileId);
  return recent.last ?? (await archiveTotals(db, profileId)).last;
}

/** One page of closed candles with retries; ccxt errors become ExchangeError. */
export async function fetchPage(
  ex: Exchange,
  symbol: string,
  since: number,
  nowSec: number,
  retry = CRON_RETRY,
) {
  const page = await withRetry(() => fetchClosedCandles(ex, symbol, since, nowSec), {
    ...retry,
    classify: (e) => exchangeError(ex, e),
  });
  return page;
}

export interface CollectResult {
  stored: number;
  refilled: number;
  last: number | null;
}

/** True once every `minutes` for a profile, staggered by its id so profiles take turns. */
export const dueEvery = (profileId: number, nowSec: number, minutes: number) =>
  (Math.floor(nowSec / 60) + profileId) % minutes === 0;

const unfillableKey = (profileId: number) => `gaps.unfillable.${profileId}`;

/**
 * Fetches candles after the last stored one (at most CRON_PAGES_PER_PROFILE pages, so the next run
 * continues), stores them, then tries to refill up to CRON_GAP_REFILLS gaps the exchange may now have.
 * The caller (a shard) marks the profiles it updated (markNewData) once for all of them.
 */
export async function collectLatest(
  env: Env,
  db: Db,
  ex: Exchange,
  p: StoredProfile,
  nowSec: number,
  shard: {
    /** The newest candle in D1, when the caller looked it up for many profiles at once. */
    recentLast?: number;
    /** false once the caller's D1 budget is spent: no further page (the next minute continues). */
    morePages?: () => boolean;
  } = {},
): Promise<CollectResult> {
  const bucket = env.BUCKET;
  const last = shard.recentLast ?? (await lastStoredTime(db, p.id));
  let since = last === null ? Math.floor((nowSec - CRON_INITIAL_LOOKBACK_SECONDS) / 60) * 60 : last + 60;
  let stored = 0;
  const fresh: Candle[] = [];
  // Nothing can be new when the last closed minute is stored (a shard delivered again, say): no request.
  const lastClosed = Math.floor(nowSec / 60) * 60 - 60;
  const more = shard.morePages ?? (() => true);
  for (let i = 0; i < CRON_PAGES_PER_PROFILE && since <= lastClosed && (i === 0 || more()); i++) {
    const page = await fetchPage(ex, p.symbol, since, nowSec);
    stored += await storeCandles(bucket, db, p, page, nowSec, false);
    fresh.push(...page);
    if (page.length < MAX_CANDLES_PER_REQUEST) break;
    since = page[page.length - 1].time + 60;
  }
  // Open dashboards draw the new minutes now, before the slower gap refills below.
  await publishCandles(env, p.symbol, fresh);
  rememberMarkets(env, ex);
  const refilled = dueEvery(p.id, nowSec, CRON_GAP_REFILL_EVERY_MINUTES)
    ? await refillGaps(bucket, db, ex, p, nowSec)
    : 0;
  const newest = fresh.length ? fresh[fresh.length - 1].time : null;
  return { stored, refilled, last: newest !== null && (last === null || newest > last) ? newest : last };
}

/** Asks the exchange again for missing minutes; gaps it cannot fill (a halt) are remembered and skipped. */
async function refillGaps(bucket: R2Bucket, db: Db, ex: Exchange, p: StoredProfile, nowSec: number) {
  const unfillable = (await readState<[number, number][]>(db, unfillableKey(p.id))) ?? [];
  const known = new Set(unfillable.map(([a, b]) => `${a}-${b}`));
  const gaps = (await dataStatus(db, p.id)).gaps
    .filter((g) => !known.has(`${g.from}-${g.to}`))
    .slice(0, CRON_GAP_REFILLS);
  let refilled = 0;
  for (const gap of gaps) {
    const found: Candle[] = [];
    for (let since = gap.from; since <= gap.to; ) {
      const page = await fetchPage(ex, p.symbol, since, nowSec);
      const inside = page.filter((c) => c.time >= gap.from && c.time <= gap.to);
      found.push(...inside);
      if (page.length < MAX_CANDLES_PER_REQUEST || page.length === 0) break;
      since = page[page.length - 1].time + 60;
    }
    if (found.length) refilled += await storeCandles(bucket, db, p, found, nowSec, false);
    if (found.length < gap.minutes) unfillable.push([gap.from, gap.to]);
  }
  if (gaps.length) await writeState(db, unfillableKey(p.id), unfillable);
  return refilled;
}
