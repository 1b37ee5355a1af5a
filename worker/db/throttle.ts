// Failed-login counters. An attempt is counted BEFORE its password is checked, in one atomic upsert
// per key that refuses a blocked key, so parallel guesses cannot slip past the limit; an attempt that
// turns out right is given back.
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
 * Counts one attempt against `key` unless the key is blocked, in one statement: true when it may be
 * checked. The attempt that reaches `limit.failures` in the window blocks the key for
 * firstBlock * 2^(attempts past the limit), capped at maxBlock; attempts while blocked are refused
 * (and not counted), as is one past the limit (counted: it blocks the key).
 */
export async function takeAttempt(db: Db, key: string, limit: Limit, now: number): Promise<boolean> {
  const { windowSeconds } = THROTTLE;
  const { failures, firstBlockSeconds, maxBlockSeconds } = limit;
  const stale = sql`auth_throttle.window_start < ${now - windowSeconds}`;
  const first = sql`case when ${failures} <= 1 then ${now + firstBlockSeconds} else 0 end`;
  const rows = await db.all<{ failures: number }>(sql`
    insert into auth_throttle (key, failures, window_start, blocked_until) values (${key}, 1, ${now}, ${first})
    on conflict (key) do update set
      failures = case when ${stale} then 1 else auth_throttle.failures + 1 end,
      window_start = case when ${stale} then ${now} else auth_throttle.window_start end,
      blocked_until = case
        when ${stale} then ${first}
        when auth_throttle.failures + 1 >= ${failures}
        then ${now} + min(${maxBlockSeconds},
             ${firstBlockSeconds} * (1 << min(10, auth_throttle.failures + 1 - ${failures})))
        else auth_throttle.blocked_until end
      where auth_throttle.blocked_until <= ${now}
    returning failures`);
  // Past the limit without a block: the limit was lowered meanwhile (an account under attack).
  return rows.length > 0 && rows[0].failures <= failures;
}

/**
 * Gives back an attempt counted by takeAttempt that was right after all; a block only that attempt
 * set is lifted (a block set by failures around it stays).
 */
export async function giveBack(db: Db, key: string, limit: Limit) {
  await db.run(sql`
    update auth_throttle set
      failures = max(0, failures - 1),
      blocked_until = case when failures - 1 < ${limit.failures} then 0 else blocked_until end
    where key = ${key}`);
}

/** Whether `key` counted at least `failures` attempts in the current window. */
export async function counted(db: Db, key: string, failures: number, now: number) {
  const rows = await db
    .select()
    .from(authThrottle)
    .where(
      sql`${authThrottle.key} = ${key} and ${authThrottle.windowStart} >= ${now - THROTTLE.windowSeconds}`,
    );
  return rows.some((r) => r.failures >= failures);
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
