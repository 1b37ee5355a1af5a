// What a job is and the states it passes through: the one list the database, the API, the web app,
// the trainer and the benches all read.
export const JOB_KINDS = ["collect", "train"] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const JOB_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Still waiting or being worked: a second job for the same work is refused while one is open. */
export const OPEN_JOB_STATUSES = ["queued", "running"] as const satisfies readonly JobStatus[];
/** An admin may queue these again. */
export const RETRYABLE_JOB_STATUSES = ["failed", "cancelled"] as const satisfies readonly JobStatus[];
/** Final: nothing more happens to the job unless an admin retries it. */
export const FINISHED_JOB_STATUSES = [
  "succeeded",
  "failed",
  "cancelled",
] as const satisfies readonly JobStatus[];

/** How far back a backfill (a collect job) may reach, in days. */
export const BACKFILL_DAYS = { min: 1, max: 3650 };

/** A trainer container instance as the fleet sees it (GET /api/admin/trainers, the admin panel). */
export const CONTAINER_STATES = ["starting", "running", "stopping", "stopped", "failed"] as const;
export type ContainerState = (typeof CONTAINER_STATES)[number];
