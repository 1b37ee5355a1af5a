// Trainer presence: the last time each trainer called the Worker and the job it was on.
import { desc, gte, sql } from "drizzle-orm";
import type { Db } from "./client";
import { trainers } from "./schema";

/** An idle trainer polls every few seconds; its row is rewritten at most this often unless its job changes. */
const TOUCH_EVERY_SECONDS = 30;

export async function touchTrainer(db: Db, id: string, jobId: number | null, now: Date) {
  await db
    .insert(trainers)
    .values({ id, lastSeen: now, jobId })
    .onConflictDoUpdate({
      target: trainers.id,
      set: { lastSeen: now, jobId },
      setWhere: sql`${trainers.jobId} is not excluded.job_id or ${trainers.lastSeen} <= excluded.last_seen - ${TOUCH_EVERY_SECONDS}`,
    });
}

/** Trainers heard from at or after `since`, most recent first. */
export async function recentTrainers(db: Db, since: Date) {
  const rows = await db
    .select()
    .from(trainers)
    .where(gte(trainers.lastSeen, since))
    .orderBy(desc(trainers.lastSeen));
  return rows.map((r) => ({
    id: r.id,
    last_seen: r.lastSeen.toISOString(),
    ...(r.jobId === null ? {} : { job_id: r.jobId }),
  }));
}
