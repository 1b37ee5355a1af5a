// Who the calling trainer is, and the lease check every job route of the trainer's API makes.
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import type { Db } from "../../db/client";
import { getJob } from "../../db/jobs";
import { getProfile } from "../../db/profiles";
import { ApiError } from "../../errors";

/** The calling trainer (the token's subject); a `worker_id` naming another trainer is refused. */
export function trainerId(c: Context<AppEnv>, workerId: string | undefined) {
  const me = c.var.trainer;
  if (workerId !== undefined && workerId !== me) {
    throw new ApiError(403, "worker_mismatch", "worker_id must equal the trainer token's subject");
  }
  return me;
}

/** 409 for a trainer whose lease went between the check and the write. */
export const leaseLost = (why = "nothing changed") =>
  new ApiError(409, "lease_lost", `This trainer no longer holds the job: ${why}`);

/**
 * The running training job `worker` holds under a live lease, with its profile; 409 when the lease
 * is gone (expired, re-claimed, cancelled or finished), whether or not another trainer took it.
 */
export async function heldJob(db: Db, id: number, worker: string) {
  const job = await getJob(db, id);
  if (job?.kind !== "train") throw new ApiError(404, "job_not_found", "No training job with this id");
  const live = job.leaseExpiresAt !== null && job.leaseExpiresAt.getTime() >= Date.now() - 999;
  if (job.leaseOwner !== worker || job.status !== "running" || !live) {
    const why =
      job.status === "running" && job.leaseOwner === worker ? "its lease expired" : `it is ${job.status}`;
    throw new ApiError(409, "lease_lost", `This trainer no longer holds the job (${why})`);
  }
  const profile = job.profileId === null ? null : await getProfile(db, job.profileId);
  if (!profile) throw new ApiError(409, "profile_gone", "The job's profile was deleted");
  return { job, profile };
}
