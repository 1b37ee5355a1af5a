// Failed-login counters. Each update is one atomic upsert, so parallel guesses cannot slip past the limit.
import { inArray, sql } from "drizzle-orm";
import { THROTTLE } from "../config";
import type { Db } from "./client";
import { authThrottle } from "./schema";

/** Seconds until every key is unblocked; 0 when none is blocked. */
export async function blockedFor(db: Db, keys: string[], now: number): Promise<number> {
  const rows = await db.select().from(authThrottle).where(inArray(authThrottle.key, keys));
  return Math.max(0, ...rows.map((r) => r.blockedUntil - now));
}

export interface Limit {
  failures: number;
  firstBlockSeconds: number;
  maxBlockSeconds: number;
}

/**
 * Counts one failure against `key`. Past `limit.failures` failures in the window the key is blocked
 * for firstBlock * 2^(extra failures), capped at maxBlock.
 */
export async function recordFailure(db: Db, key: string, limit: Limit, now: number): Promise<void> {
  const { windowSeconds } = THROTTLE;
  const { failures, firstBlockSeconds, maxBlockSeconds } = limit;
  const fresh = sql`excluded.window_start - ${windowSeconds}`;
  await db.run(sql`
    insert into auth_throttle (key, failures, window_start, blocked_until)
    values (${key}, 1, ${now}, case when ${failures} <= 1 then ${now + firstBlockSeconds} else 0 end)
    on conflict (key) do update set
      failures = case when auth_throttle.window_start < ${fresh} then 1 else auth_throttle.failures + 1 end,
      window_start = case when auth_throttle.window_start < ${fresh} then excluded.window_start
                     else auth_throttle.window_start end,
      blocked_until = case
        when auth_throttle.window_start >= ${fresh} and auth_throttle.failures + 1 >= ${failures}
        then excluded.window_start + min(${maxBlockSeconds},
             ${firstBlockSeconds} * (1 << min(10, auth_throttle.failures + 1 - ${failures})))
        else auth_throttle.blocked_until end`);
}

/**
 * Remembers that a client signed in to an account (a row whose blocked_until is when the memory
 * ends; it blocks nothing: only isKnown reads "known:" keys).
 */
export async function rememberClient(db: Db, key: string, now: number) {
  const until = now + THROTTLE.knownClientSeconds;
  await db.run(sql`
    insert into auth_throttle (key, failures, window_start, blocked_until) values (${key}, 0, ${now}, ${until})
    on conflict (key) do update set window_start = excluded.window_start, blocked_until = excluded.blocked_until`);
}

export async function isKnown(db: Db, key: string, now: number) {
  const rows = await db.select().from(authThrottle).where(sql`${authThrottle.key} = ${key}`);
  return rows.some((r) => r.blockedUntil > now);
}

export async function clearFailures(db: Db, key: string) {
  await db.delete(authThrottle).where(sql`${authThrottle.key} = ${key}`);
}

/** Drops rows whose window and block have both passed (called by the cron). */
export async function pruneThrottle(db: Db, now: number) {
  await db.run(
    sql`delete from auth_throttle where blocked_until < ${now} and window_start < ${now - THROTTLE.windowSeconds}`,
  );
}
