// Incremental collection (the every-minute cron's shards): new closed 1m candles after the last stored
// one, and now and then a few gap refills, both through the candle store (store.ts). Exchange failures
// are reported and leave stored data untouched.
import type { Candle } from "../../core/candles/types";
import { CRON_GAP_REFILLS, CRON_INITIAL_LOOKBACK_SECONDS, CRON_PAGES_PER_PROFILE } from "../config";
import type { Db } from "../db/client";
import { readState, writeState } from "../db/state";
import {
  type Exchange,
  exchangeError,
  fetchClosedCandles,
  MAX_CANDLES_PER_REQUEST,
  withRetry,
} from "./exchange";
import { rememberMarkets } from "./markets-cache";
import { dataStatus, lastStoredTime, type StoredProfile, storeCandles } from "./store";

// Within one request a short retry only: the next cron minute is the real retry.
const CRON_RETRY = { retries: 2, baseDelayMs: 300, maxDelayMs: 5_000 };

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
  /** The candles stored, oldest first: the caller shows them to live viewers. */
  fresh: Candle[];
}

/** True once every `minutes` for a profile, staggered by its id so profiles take turns. */
export const dueEvery = (profileId: number, nowSec: number, minutes: number) =>
  (Math.floor(nowSec / 60) + profileId) % minutes === 0;

const unfillableKey = (profileId: number) => `gaps.unfillable.${profileId}`;

/**
 * Fetches candles after the last stored one (at most CRON_PAGES_PER_PROFILE pages, so the next run
 * continues) and stores them. The caller (a shard) marks the profiles it updated (markNewData) once
 * for all of them.
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
  const last = shard.recentLast ?? (await lastStoredTime(db, p.id));
  let since = last === null ? Math.floor((nowSec - CRON_INITIAL_LOOKBACK_SECONDS) / 60) * 60 : last + 60;
  let stored = 0;
  const fresh: Candle[] = [];
  // Nothing can be new when the last closed minute is stored (a shard delivered again, say): no request.
  const lastClosed = Math.floor(nowSec / 60) * 60 - 60;
  const more = shard.morePages ?? (() => true);
  for (let i = 0; i < CRON_PAGES_PER_PROFILE && since <= lastClosed && (i === 0 || more()); i++) {
    const page = await fetchPage(ex, p.symbol, since, nowSec);
    stored += await storeCandles(env.BUCKET, db, p, page, nowSec, false);
    fresh.push(...page);
    if (page.length < MAX_CANDLES_PER_REQUEST) break;
    since = page[page.length - 1].time + 60;
  }
  rememberMarkets(env, ex);
  return { stored, fresh };
}

/**
 * Asks the exchange again for up to CRON_GAP_REFILLS missing runs of minutes; gaps it cannot fill (a
 * halt) are remembered and not asked for again. Returns how many candles it stored.
 */
export async function refillGaps(bucket: R2Bucket, db: Db, ex: Exchange, p: StoredProfile, nowSec: number) {
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
