// The job queue: collection and training jobs with leases, attempts, cancel and retry.
import { and, desc, eq, inArray, lt } from "drizzle-orm";
import { type JobKind, type JobStatus, OPEN_JOB_STATUSES, RETRYABLE_JOB_STATUSES } from "../../core/jobs";
import { D1_MAX_PARAMS } from "../config";
import type { Db } from "./client";
import { jobs, tradingProfiles } from "./schema";

export type JobRow = typeof jobs.$inferSelect;

export const publicJob = (j: JobRow & { symbol?: string | null }) => ({
  id: j.id,
  kind: j.kind,
  status: j.status,
  progress: j.progress,
  profile_id: j.profileId,
  symbol: j.symbol ?? null,
  model_type: j.modelType,
  params: j.params,
  message: j.message,
  error: j.error,
  attempts: j.attempts,
  max_attempts: j.maxAttempts,
  created_at: j.createdAt,
  started_at: j.startedAt,
  finished_at: j.finishedAt,
  updated_at: j.updatedAt,
});

const withSymbol = { job: jobs, symbol: tradingProfiles.symbol };
const flatten = (r: { job: JobRow; symbol: string | null }) => ({ ...r.job, symbol: r.symbol });

export interface NewJob {
  kind: JobKind;
  profileId: number;
  modelType?: string;
  params?: Record<string, unknown>;
  createdBy?: number;
}

// D1 binds at most 100 parameters a statement; drizzle binds 8 for a job row (kind, status, progress,
// profile, model, attempts, max attempts, creator; 9 with params): 20 profiles x 4 models in one insert
// was a 500.
const JOB_ROWS_PER_INSERT = Math.floor(D1_MAX_PARAMS / 9);

export async function createJobs(db: Db, rows: NewJob[]) {
  const created: Awaited<ReturnType<typeof listJobs>> = [];
  for (let i = 0; i < rows.length; i += JOB_ROWS_PER_INSERT) {
    const ids = await db
      .insert(jobs)
      .values(rows.slice(i, i + JOB_ROWS_PER_INSERT))
      .returning({ id: jobs.id });
    created.push(...(await listJobs(db, { ids: ids.map((r) => r.id), limit: ids.length })));
  }
  return created.sort((a, b) => b.id - a.id);
}

export interface JobFilter {
  ids?: number[];
  status?: JobStatus;
  kind?: JobKind;
  profileId?: number;
  /** Only jobs with a smaller id (older ones): the cursor of the next page. */
  beforeId?: number;
  limit?: number;
}

export async function listJobs(db: Db, f: JobFilter = {}) {
  const rows = await db
    .select(withSymbol)
    .from(jobs)
    .leftJoin(tradingProfiles, eq(jobs.profileId, tradingProfiles.id))
    .where(
      and(
        f.ids ? inArray(jobs.id, f.ids) : undefined,
        f.status ? eq(jobs.status, f.status) : undefined,
        f.kind ? eq(jobs.kind, f.kind) : undefined,
        f.profileId ? eq(jobs.profileId, f.profileId) : undefined,
        f.beforeId ? lt(jobs.id, f.beforeId) : undefined,
      ),
    )
    .orderBy(desc(jobs.id))
    .limit(f.limit ?? 100);
  return rows.map(flatten);
}

export async function getJob(db: Db, id: number) {
  return (await listJobs(db, { ids: [id], limit: 1 }))[0] ?? null;
}

/** Jobs of a kind still queued or running for a profile (to refuse duplicates). */
export async function openJobs(db: Db, kind: JobKind, profileId: number, modelType?: string) {
  return db
    .select()
    .from(jobs)
    .where(
      and(
        eq(jobs.kind, kind),
        eq(jobs.profileId, profileId),
        modelType ? eq(jobs.modelType, modelType) : undefined,
        inArray(jobs.status, OPEN_JOB_STATUSES),
      ),
    );
}

/** Marks a queued or running job cancelled; a running worker notices at its next progress report. */
export async function cancelJob(db: Db, id: number) {
  const rows = await db
    .update(jobs)
    .set({ status: "cancelled", finishedAt: new Date(), updatedAt: new Date(), leaseExpiresAt: null })
    .where(and(eq(jobs.id, id), inArray(jobs.status, OPEN_JOB_STATUSES)))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/** Puts a failed or cancelled job back in the queue with fresh attempts. */
export async function retryJob(db: Db, id: number) {
  const rows = await db
    .update(jobs)
    .set({
      status: "queued",
      progress: 0,
      attempts: 0,
      error: null,
      message: null,
      leaseOwner: null,
      leaseExpiresAt: null,
      finishedAt: null,
      updatedAt: new Date(),
    })
    .where(and(eq(jobs.id, id), inArray(jobs.status, RETRYABLE_JOB_STATUSES)))
    .returning({ id: jobs.id });
  return rows.length > 0;
}
