// What the every-minute Cron Trigger does: collect new candles for every active profile, archive
// finished days, keep backfill runners going, and tidy up.

import { backfillRunner } from "./backfill-runner";
import { CRON_COMPACT_EVERY_MINUTES } from "./config";
import { getDb } from "./db/client";
import { recordOutcomes } from "./db/collection-outcomes";
import { expireLeases, listJobs } from "./db/jobs";
import { listActiveProfiles } from "./db/profiles";
import { COLLECTION_LAST_RUN, writeState } from "./db/state";
import { pruneThrottle } from "./db/throttle";
import { collectLatest, dueEvery } from "./market/collector";
import { isSupportedExchange } from "./market/exchange";
import { exchangeFor } from "./market/markets-cache";
import { compactRecent } from "./market/store";
import { publishProgress } from "./progress-hub";

export async function runScheduled(env: Env, scheduledTime: number) {
  const db = getDb(env.DB);
  const now = Math.floor(scheduledTime / 1000);
  await pruneThrottle(db, now);
  await expireLeases(db, new Date(scheduledTime));
  await resumeBackfills(env);
  await collectAll(env, now);
  await writeState(db, COLLECTION_LAST_RUN, new Date(scheduledTime).toISOString());
}

/** One profile's failure is reported and never stops the others. */
export async function collectAll(env: Env, nowSec: number) {
  const db = getDb(env.DB);
  const results: Record<string, string> = {};
  const errors = new Map<number, string | null>();
  for (const p of await listActiveProfiles(db)) {
    if (!isSupportedExchange(p.exchange)) {
      results[p.symbol] = `skipped: exchange ${p.exchange} is not bundled`;
      errors.set(p.id, `exchange ${p.exchange} is not bundled in this Worker: nothing is collected`);
      continue;
    }
    try {
      if (dueEvery(p.id, nowSec, CRON_COMPACT_EVERY_MINUTES)) await compactRecent(env.BUCKET, db, p, nowSec);
      const r = await collectLatest(env, db, exchangeFor(env, p.exchange), p, nowSec);
      results[p.symbol] = `stored ${r.stored}, refilled ${r.refilled}`;
      errors.set(p.id, null);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      results[p.symbol] = `failed: ${message}`;
      errors.set(p.id, message);
      console.warn(`collect ${p.symbol}: ${message}`);
      await publishProgress(env, {
        type: "status_update",
        job_id: null,
        profile_id: p.id,
        symbol: p.symbol,
        progress: null,
        message: `collection failed: ${message}`,
      });
    }
  }
  await recordOutcomes(db, errors, new Date(nowSec * 1000));
  return results;
}

/** A backfill whose runner died (or never got its alarm) is picked up again. */
async function resumeBackfills(env: Env) {
  const db = getDb(env.DB);
  const open = [
    ...(await listJobs(db, { kind: "collect", status: "queued" })),
    ...(await listJobs(db, { kind: "collect", status: "running" })),
  ];
  const now = Date.now();
  for (const job of open) {
    const stale = job.status === "queued" || !job.leaseExpiresAt || job.leaseExpiresAt.getTime() < now;
    if (stale) await backfillRunner(env, job.id).start(job.id);
  }
}
