// What the every-minute Cron Trigger does: fan the collection out (one COLLECT_QUEUE message per shard of
// active profiles, collected by the queue consumer in worker/collect-queue.ts), keep backfill runners
// going, wake the trainer fleet for training jobs nobody works, and tidy up.

import { backfillRunner } from "./backfill-runner";
import { COLLECT_SHARD_SIZE, TRAINER_LIVE_SECONDS } from "./config";
import { pruneAudit } from "./db/audit";
import { getDb } from "./db/client";
import { recordOutcomes } from "./db/collection-outcomes";
import { expireLeases, trainingDemand } from "./db/job-leases";
import { listJobs } from "./db/jobs";
import { listActiveProfiles } from "./db/profiles";
import { COLLECTION_LAST_RUN, writeState } from "./db/state";
import { pruneThrottle } from "./db/throttle";
import { recentTrainers } from "./db/trainers";
import { wakeFleet } from "./fleet";
import { collectShard } from "./market/collect-shard";
import { notAsked, readPauses } from "./market/exchange-pause";
import { sweepRetired } from "./models/retired-sweep";

export async function runScheduled(env: Env, scheduledTime: number) {
  const db = getDb(env.DB);
  const now = Math.floor(scheduledTime / 1000);
  await pruneThrottle(db, now);
  if (now % 3600 < 60) {
    // Hourly: the audit prune reads every such row; the sweep retries retired artifacts a failed delete left.
    await pruneAudit(db, new Date(scheduledTime));
    await sweepRetired(env, db).catch((err: Error) =>
      console.error(`retired model artifacts not deleted (next hour retries): ${err.message}`),
    );
  }
  await expireLeases(db, new Date(scheduledTime));
  await resumeBackfills(env);
  await wakeFleetForWaitingJobs(env, new Date(scheduledTime));
  await enqueueCollection(env, now);
  await writeState(db, COLLECTION_LAST_RUN, new Date(scheduledTime).toISOString());
}

/** One COLLECT_QUEUE message: the profiles of one shard and the minute to collect up to. */
export interface CollectMessage {
  minute: number;
  ids: number[];
  shard: number;
  shards: number;
}

/**
 * The shards of this minute: every active profile whose exchange is bundled and not banned, once, in
 * shards of COLLECT_SHARD_SIZE. The others are recorded as failed here (they would fail every minute).
 */
export async function planShards(env: Env, nowSec: number) {
  const db = getDb(env.DB);
  const realSec = Math.floor(Date.now() / 1000);
  const pauses = await readPauses(db, realSec);
  // A short rate-limit pause delays this minute's shards; a ban skips its exchange's profiles.
  let delaySeconds = 0;
  const results: Record<string, string> = {};
  const errors = new Map<number, string | null>();
  const ids: number[] = [];
  for (const p of await listActiveProfiles(db)) {
    const paused = pauses.get(p.exchange);
    if (paused?.kind === "rate_limited") delaySeconds = Math.max(delaySeconds, paused.until - realSec);
    const skip = notAsked(p.exchange, paused?.kind === "banned" ? paused : undefined);
    if (!skip) ids.push(p.id);
    else {
      results[p.symbol] = skip.result;
      errors.set(p.id, skip.error);
    }
  }
  await recordOutcomes(db, errors, new Date(nowSec * 1000));
  const shards: number[][] = [];
  for (let i = 0; i < ids.length; i += COLLECT_SHARD_SIZE) shards.push(ids.slice(i, i + COLLECT_SHARD_SIZE));
  return { shards, results, delaySeconds };
}

// sendBatch takes at most 100 messages (and 256 KB: a shard of 50 ids is well under 1 KB).
const SEND_BATCH_MAX = 100;

/** Sends this minute's shards to the queue; returns how many. */
export async function enqueueCollection(env: Env, nowSec: number) {
  const { shards, delaySeconds } = await planShards(env, nowSec);
  const messages = shards.map((ids, shard) => ({
    body: { minute: nowSec, ids, shard, shards: shards.length } satisfies CollectMessage,
    contentType: "json" as const,
  }));
  for (let i = 0; i < messages.length; i += SEND_BATCH_MAX)
    await env.COLLECT_QUEUE.sendBatch(
      messages.slice(i, i + SEND_BATCH_MAX),
      delaySeconds ? { delaySeconds } : {},
    );
  return shards;
}

/**
 * Collects every active profile in this invocation, shard after shard, as the queue consumer would:
 * for tests and tools that want the whole minute done before they look. One profile's failure is
 * reported and never stops the others.
 */
export async function collectAll(env: Env, nowSec: number) {
  const { shards, results } = await planShards(env, nowSec);
  for (let queue = [...shards]; queue.length; ) {
    const r = await collectShard(env, queue.shift()!, nowSec);
    Object.assign(results, r.results);
    if (r.deferred.length) queue.push(r.deferred);
  }
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

/**
 * Training jobs wait and no trainer has called for TRAINER_LIVE_SECONDS (none runs, or the fleet's
 * instances exited): the fleet starts instances for them. Its own alarm covers the rest.
 */
export async function wakeFleetForWaitingJobs(env: Env, now: Date) {
  const db = getDb(env.DB);
  const { claimable } = await trainingDemand(db, now);
  if (claimable === 0) return false;
  if ((await recentTrainers(db, new Date(now.getTime() - TRAINER_LIVE_SECONDS * 1000))).length) return false;
  await wakeFleet(env);
  return true;
}
