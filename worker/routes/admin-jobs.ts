// Admin view of the job queue: list, inspect, cancel, retry.
import { z } from "@hono/zod-openapi";
import { createRouter } from "../app-env";
import { Job, JobsQuery } from "../contract/jobs";
import type { Db } from "../db/client";
import { cancelJob, getJob, listJobs, publicJob, retryJob } from "../db/jobs";
import { ApiError } from "../errors";
import { wakeFleet } from "../fleet";
import { auditAdmin } from "../middleware/auth";
import { adminRoute, declare } from "../middleware/declare-route";
import { publishProgress } from "../progress-hub";
import { IdParam, jsonContent } from "../schemas";

/** Tells every open console what an admin just did to a job; returns the job as it is now. */
async function announce(env: Env, db: Db, id: number, message: string) {
  const job = (await getJob(db, id))!;
  await publishProgress(env, {
    type: "status_update",
    job_id: id,
    profile_id: job.profileId,
    symbol: job.symbol,
    progress: job.progress,
    message,
    status: job.status,
  });
  return job;
}

const base = adminRoute();

const list = declare(base, "get", "/", [400, 401], {
  summary: "Jobs, newest first; `before` pages to older ones",
  request: {
    query: JobsQuery,
  },
  responses: { 200: jsonContent(z.array(Job), "Jobs") },
});

const get = declare(base, "get", "/{id}", [400, 401, 404], {
  summary: "One job",
  request: { params: IdParam },
  responses: { 200: jsonContent(Job, "The job") },
});

const action = (verb: "cancel" | "retry", summary: string) =>
  declare(base, "post", `/{id}/${verb}`, [401, 404, 409], {
    summary,
    request: { params: IdParam },
    responses: { 200: jsonContent(Job, "The job after the change") },
  });

const notFound = () => new ApiError(404, "job_not_found", "No job with this id");

export const adminJobRoutes = createRouter()
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    const rows = await listJobs(c.var.db, {
      status: q.status,
      kind: q.kind,
      profileId: q.profile_id,
      limit: q.limit,
      beforeId: q.before,
    });
    return c.json(rows.map(publicJob), 200);
  })
  .openapi(get, async (c) => {
    const job = await getJob(c.var.db, c.req.valid("param").id);
    if (!job) throw notFound();
    return c.json(publicJob(job), 200);
  })
  .openapi(action("cancel", "Cancel a queued or running job"), async (c) => {
    const { id } = c.req.valid("param");
    const job = await getJob(c.var.db, id);
    if (!job) throw notFound();
    if (!(await cancelJob(c.var.db, id)))
      throw new ApiError(409, "job_finished", `The job is already ${job.status}`);
    await auditAdmin(c, "job.cancel", `job:${id}`);
    return c.json(publicJob(await announce(c.env, c.var.db, id, "cancelled")), 200);
  })
  .openapi(action("retry", "Queue a failed or cancelled job again"), async (c) => {
    const { id } = c.req.valid("param");
    const job = await getJob(c.var.db, id);
    if (!job) throw notFound();
    if (!(await retryJob(c.var.db, id))) {
      throw new ApiError(
        409,
        "job_not_retryable",
        `Only failed or cancelled jobs can be retried (this one is ${job.status})`,
      );
    }
    await auditAdmin(c, "job.retry", `job:${id}`);
    if (job.kind === "train") c.executionCtx.waitUntil(wakeFleet(c.env, new URL(c.req.url).origin));
    return c.json(publicJob(await announce(c.env, c.var.db, id, "queued again")), 200);
  });
