// One shard of the every-minute collection, as the queue consumer runs it: the shard's active profiles,
// a few at a time, each one's failure recorded for it alone. A 429 or 418 stops the shard's remaining
// requests to that exchange and pauses it for every shard (exchange-pause.ts).
import { inArray } from "drizzle-orm";
import { closesHour } from "../../core/ledger/hours";
import { pool } from "../../core/pool";
import {
  COLLECT_SHARD_CONCURRENCY,
  COLLECT_SHARD_QUERY_BUDGET,
  CRON_COMPACT_EVERY_MINUTES,
  CRON_GAP_REFILL_EVERY_MINUTES,
} from "../config";
import { getDb } from "../db/client";
import { recordOutcomes } from "../db/collection-outcomes";
import { countQueries } from "../db/query-counter";
import { tradingProfiles } from "../db/schema";
import { publishCandles } from "../live/instrument-feed";
import { publishProgress } from "../progress-hub";
import { collectLatest, dueEvery, refillGaps } from "./collector";
import { ExchangeError, exchangeError, isSupportedExchange, withRetry } from "./exchange";
import { type ExchangePause, notAsked, pauseExchange, pausesExchange, readPauses } from "./exchange-pause";
import { borrowExchange, exchangeFor, returnExchange } from "./markets-cache";
import { compactRecent, latestTimes, markNewData, type StoredProfile } from "./store";

// As the collector's own page requests: a short retry, the next minute is the real one.
const SHARD_RETRY = { retries: 2, baseDelayMs: 300, maxDelayMs: 5_000 };

/** One MODELS_QUEUE message: an hour closed for these trained profiles (the shard that stored it sends it). */
export interface LedgerMessage {
  kind: "ledger";
  profileIds: number[];
}

export interface ShardReport {
  /** Per symbol: "stored N, refilled M", "failed: ...", "not asked: ...". */
  results: Record<string, string>;
  /** D1 calls this shard made (D1 allows 1,000 queries per invocation; a batch is one call). */
  queries: number;
  /** D1 statements it ran, each statement of a batch counted. */
  statements: number;
  /** Profiles not started because the shard's D1 budget was spent: a continuation collects them. */
  deferred: number[];
  /** Set when a 429 (here or in another shard) kept profiles from being asked: seconds to wait. */
  retryAfterSec?: number;
}

/**
 * Loads each exchange's markets once for the shard (exchangeInfo weighs 20 on Binance), not per profile;
 * returns the exchanges that could not be asked, with why.
 */
async function warmMarkets(env: Env, exchangeIds: Iterable<string>) {
  const failed = new Map<string, ExchangeError>();
  for (const id of exchangeIds) {
    const ex = exchangeFor(env, id);
    if (ex.markets && Object.keys(ex.markets).length) continue;
    try {
      await withRetry(() => ex.loadMarkets(true), { ...SHARD_RETRY, classify: (e) => exchangeError(ex, e) });
      returnExchange(env, ex);
    } catch (err) {
      failed.set(id, err instanceof ExchangeError ? err : exchangeError(ex, err));
    }
  }
  return failed;
}

/**
 * One profile's minute: the new candles, shown to its live viewers once stored (before the slower gap
 * refills), then the gap refills when it is the profile's turn.
 */
async function collectProfile(
  env: Env,
  p: StoredProfile & { exchange: string },
  nowSec: number,
  shard: Parameters<typeof collectLatest>[5],
) {
  const db = getDb(env.DB);
  const ex = borrowExchange(env, p.exchange);
  try {
    const { stored, fresh } = await collectLatest(env, db, ex, p, nowSec, shard);
    await publishCandles(env, p.symbol, fresh);
    const due = dueEvery(p.id, nowSec, CRON_GAP_REFILL_EVERY_MINUTES);
    const refilled = due ? await refillGaps(env.BUCKET, db, ex, p, nowSec) : 0;
    return { stored, refilled, closedHour: closesHour(shard?.recentLast, fresh.at(-1)?.time) };
  } finally {
    returnExchange(env, ex);
  }
}

export async function collectShard(env: Env, ids: readonly number[], nowSec: number): Promise<ShardReport> {
  const counted = countQueries(env.DB);
  const shardEnv: Env = { ...env, DB: counted.d1 };
  const db = getDb(counted.d1);
  const profiles = ids.length
    ? (
        await db
          .select()
          .from(tradingProfiles)
          .where(inArray(tradingProfiles.id, [...ids]))
      ).filter((p) => p.isActive)
    : [];
  // Pauses run on the real clock (a Retry-After is real seconds); nowSec is the minute being collected.
  const realSec = () => Math.floor(Date.now() / 1000);
  const pauses = await readPauses(db, realSec());
  const results: Record<string, string> = {};
  const errors = new Map<number, string | null>();
  const skipped = new Set<string>(); // exchanges a pause kept some profiles from
  const stop = async (exchangeId: string, e: ExchangeError) => {
    if (pauses.has(exchangeId)) return;
    const pause: ExchangePause = { until: realSec(), kind: "banned", reason: e.message };
    pauses.set(exchangeId, pause); // at once, so the other lanes stop before the write below
    Object.assign(pause, await pauseExchange(db, exchangeId, e, realSec()));
  };

  const wanted = profiles.filter((p) => isSupportedExchange(p.exchange) && !pauses.has(p.exchange));
  const unreachable = await warmMarkets(env, new Set(wanted.map((p) => p.exchange)));
  for (const [id, e] of unreachable) if (pausesExchange(e)) await stop(id, e);
  // One query for every profile's newest candle in D1 (only a profile with none there asks the archive).
  const lastInD1 = await latestTimes(
    db,
    wanted.map((p) => p.id),
  );
  const updated: number[] = [];
  const hourClosed: number[] = []; // trained profiles whose newest hour closed in this minute
  const deferred: number[] = [];
  const withinBudget = () => counted.calls() < COLLECT_SHARD_QUERY_BUDGET;
  await pool(profiles, COLLECT_SHARD_CONCURRENCY, async (p) => {
    if (!withinBudget()) {
      deferred.push(p.id);
      return;
    }
    const paused = pauses.get(p.exchange);
    const skip = notAsked(p.exchange, paused);
    const down = unreachable.get(p.exchange);
    if (skip || down) {
      results[p.symbol] = skip?.result ?? `failed: ${down?.message}`;
      errors.set(p.id, skip?.error ?? down?.message ?? null);
      if (paused) skipped.add(p.exchange);
      return;
    }
    try {
      if (dueEvery(p.id, nowSec, CRON_COMPACT_EVERY_MINUTES)) await compactRecent(env.BUCKET, db, p, nowSec);
      const { stored, refilled, closedHour } = await collectProfile(shardEnv, p, nowSec, {
        recentLast: lastInD1.get(p.id),
        morePages: withinBudget,
      });
      if (stored + refilled > 0) updated.push(p.id);
      if (closedHour && p.modelsTrained) hourClosed.push(p.id);
      results[p.symbol] = `stored ${stored}, refilled ${refilled}`;
      errors.set(p.id, null);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      results[p.symbol] = `failed: ${message}`;
      errors.set(p.id, message);
      console.warn(`collect ${p.symbol}: ${message}`);
      if (err instanceof ExchangeError && pausesExchange(err)) {
        await stop(p.exchange, err);
        skipped.add(p.exchange);
      }
      await publishProgress(env, {
        type: "status_update",
        job_id: null,
        profile_id: p.id,
        symbol: p.symbol,
        progress: null,
        message: `collection failed: ${message}`,
      });
    }
  });
  await markNewData(db, updated);
  // The ledger records and scores those hours in its own invocation (worker/ledger/tick.ts).
  if (hourClosed.length)
    await env.MODELS_QUEUE.send({ kind: "ledger", profileIds: hourClosed } satisfies LedgerMessage);
  await recordOutcomes(db, errors, new Date(nowSec * 1000));
  // Profiles a rate limit kept from being asked are worth another delivery once it has passed.
  let retryAfterSec: number | undefined;
  for (const id of skipped) {
    const p = pauses.get(id);
    if (p?.kind === "rate_limited") retryAfterSec = Math.max(retryAfterSec ?? 1, p.until - realSec());
  }
  return { results, queries: counted.calls(), statements: counted.statements(), deferred, retryAfterSec };
}
