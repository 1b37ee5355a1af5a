// Leases on queued jobs: claiming, progress that extends the lease, finishing, holding and releasing,
// expiry, and what a trainer could claim (the fleet sizes itself on it).
import { and, eq, gte, sql } from "drizzle-orm";
import type { JobKind } from "../../core/jobs";
import type { Db } from "./client";
import { getJob } from "./jobs";
import { jobs } from "./schema";

/**
 * Fails running jobs whose lease ran out after their last attempt; earlier attempts go back to the
 * queue simply by being claimable again (see claimJob).
 */
export async function expireLeases(db: Db, now: Date) {
  const t = Math.floor(now.getTime() / 1000);
  return db.run(sql`
    update jobs set status = 'failed', finished_at = ${t}, updated_at = ${t}, lease_owner = null,
      error = 'The worker stopped reporting: lease expired after ' || attempts || ' attempts'
    where status = 'running' and lease_expires_at < ${t} and attempts >= max_attempts`);
}

/**
 * Atomically takes the oldest claimable job of a kind: queued, or running with an expired lease and
 * attempts left. One UPDATE ... WHERE id = (SELECT ...) so two workers never get the same job.
 */
export async function claimJob(db: Db, kind: JobKind, owner: string, leaseSeconds: number, now: Date) {
  const t = Math.floor(now.getTime() / 1000);
  const rows = await db.all<{ id: number }>(sql`
    update jobs set status = 'running', lease_owner = ${owner}, lease_expires_at = ${t + leaseSeconds},
      attempts = attempts + 1, started_at = coalesce(started_at, ${t}), updated_at = ${t}, error = null
    where id = (
      select id from jobs
      where kind = ${kind} and attempts < max_attempts
        and (status = 'queued' or (status = 'running' and lease_expires_at < ${t}))
      order by id limit 1)
    returning id`);
  return rows[0] ? getJob(db, rows[0].id) : null;
}

export interface ProgressUpdate {
  progress?: number;
  message?: string;
  leaseSeconds?: number;
  params?: Record<string, unknown>;
}

/**
 * Records progress from the lease holder and extends its lease. Returns the job's status after the
 * update ("cancelled" tells the worker to stop), or null when `owner` no longer holds the job.
 */
export async function reportProgress(db: Db, id: number, owner: string, u: ProgressUpdate, now: Date) {
  const t = Math.floor(now.getTime() / 1000);
  const rows = await db
    .update(jobs)
    .set({
      ...(u.progress === undefined ? {} : { progress: Math.min(1, Math.max(0, u.progress)) }),
      ...(u.message === undefined ? {} : { message: u.message }),
      ...(u.params === undefined ? {} : { params: u.params }),
      ...(u.leaseSeconds === undefined ? {} : { leaseExpiresAt: new Date((t + u.leaseSeconds) * 1000) }),
      updatedAt: now,
    })
    .where(and(eq(jobs.id, id), eq(jobs.leaseOwner, owner), eq(jobs.status, "running"), leaseLive(now)))
    .returning({ status: jobs.status });
  if (rows[0]) return rows[0].status;
  // Only a cancellation is news for the holder; an expired lease or a finished job is simply lost.
  const job = await db.query.jobs.findFirst({ where: eq(jobs.id, id) });
  return job && job.leaseOwner === owner && job.status === "cancelled" ? job.status : null;
}

/** The lease has not run out at `now` (an expired lease is lost even before anyone re-claims it). */
const leaseLive = (now: Date) => gte(jobs.leaseExpiresAt, new Date(Math.floor(now.getTime() / 1000) * 1000));

/** Ends a job the owner holds; false when it was cancelled, taken over or its lease ran out meanwhile. */
export async function finishJob(
  db: Db,
  id: number,
  owner: string,
  outcome: { status: "succeeded" | "failed"; error?: string; message?: string },
  now: Date,
) {
  const rows = await db
    .update(jobs)
    .set({
      status: outcome.status,
      error: outcome.error ?? null,
      message: outcome.message ?? null,
      progress: outcome.status === "succeeded" ? 1 : undefined,
      finishedAt: now,
      updatedAt: now,
      leaseExpiresAt: null,
    })
    .where(and(eq(jobs.id, id), eq(jobs.leaseOwner, owner), eq(jobs.status, "running"), leaseLive(now)))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/**
 * Takes or keeps one specific job for `owner` (a runner working a job in slices): a queued job or an
 * expired lease counts as a new attempt; the owner's own live lease is simply extended.
 */
export async function holdJob(db: Db, id: number, owner: string, leaseSeconds: number, now: Date) {
  const t = Math.floor(now.getTime() / 1000);
  const rows = await db.all<{ id: number }>(sql`
    update jobs set
      attempts = attempts + (case when status = 'running' and lease_owner = ${owner} and lease_expires_at >= ${t} then 0 else 1 end),
      status = 'running', lease_owner = ${owner}, lease_expires_at = ${t + leaseSeconds},
      started_at = coalesce(started_at, ${t}), updated_at = ${t}
    where id = ${id} and (
      status = 'queued'
      or (status = 'running' and lease_owner = ${owner} and lease_expires_at >= ${t})
      or (status = 'running' and lease_expires_at < ${t} and attempts < max_attempts))
    returning id`);
  return rows[0] ? getJob(db, id) : null;
}

/**
 * Gives a running job back to the queue at once: its holder is stopping (SIGTERM) and another trainer
 * may take it now instead of after the lease runs out. The attempt is returned too: the job did not
 * fail. False when `owner` does not hold it under a live lease.
 */
export async function releaseJob(db: Db, id: number, owner: string, now: Date) {
  const rows = await db
    .update(jobs)
    .set({
      status: "queued",
      attempts: sql`max(${jobs.attempts} - 1, 0)`,
      leaseOwner: null,
      leaseExpiresAt: null,
      message: `released by ${owner}: it is stopping`,
      updatedAt: now,
    })
    .where(and(eq(jobs.id, id), eq(jobs.leaseOwner, owner), eq(jobs.status, "running"), leaseLive(now)))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/** Training jobs a trainer could claim at `now` (as claimJob would pick them) and who holds the rest. */
export async function trainingDemand(db: Db, now: Date) {
  const t = Math.floor(now.getTime() / 1000);
  const claimable = await db.all<{ n: number }>(sql`
    select count(*) as n from jobs where kind = 'train' and attempts < max_attempts
      and (status = 'queued' or (status = 'running' and lease_expires_at < ${t}))`);
  const held = await db.all<{ owner: string }>(sql`
    select lease_owner as owner from jobs
    where kind = 'train' and status = 'running' and lease_expires_at >= ${t} and lease_owner is not null`);
  return { claimable: claimable[0]?.n ?? 0, holders: new Set(held.map((r) => r.owner)) };
}
