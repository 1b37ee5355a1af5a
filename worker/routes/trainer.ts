// The trainer's API (trainer token only): claim a job under a lease, report progress, read candles in
// the compact codec, upload the artifact, then complete or fail.
import { createRoute } from "@hono/zod-openapi";
import { encodeCandles } from "../../core/candles/codec";
import { TIMEFRAME_SECONDS } from "../../core/candles/timeframes";
import { isModelType } from "../../core/models/model-types";
import { createRouter } from "../app-env";
import { MAX_ARTIFACT_BYTES, TRAIN_LEASE_SECONDS } from "../config";
import { Job } from "../contract/jobs";
import {
  ClaimBody,
  Claimed,
  CompleteBody,
  Completed,
  FailBody,
  ProgressAnswer,
  ProgressBody,
  TrainerCandlesQuery,
  Uploaded,
  UploadHeaders,
  UploadQuery,
} from "../contract/trainer";
import {
  claimJob,
  expireLeases,
  finishJob,
  getJob,
  type JobRow,
  publicJob,
  reportProgress,
} from "../db/jobs";
import { activateVersion, publicModel } from "../db/models";
import { getProfile } from "../db/profiles";
import { ApiError } from "../errors";
import { publishModelChange } from "../live/instrument-feed";
import { readChart } from "../market/chart";
import { requireTrainer } from "../middleware/auth";
import { rawBody } from "../middleware/security";
import { sha256Hex, validateArtifact } from "../models/artifacts";
import { publishProgress } from "../progress-hub";
import { errors, IdParam, jsonBody, jsonContent } from "../schemas";

const base = { tags: ["trainer"], security: [{ trainerBearer: [] }], middleware: [requireTrainer()] };

const artifactKey = (symbol: string, job: JobRow) =>
  `models/${symbol}/${job.modelType}/job-${job.id}-a${job.attempts}.bin`;

/** The running training job `worker` holds, with its profile; 409 when the lease is gone. */
async function heldJob(db: Parameters<typeof getJob>[0], id: number, worker: string) {
  const job = await getJob(db, id);
  if (job?.kind !== "train") throw new ApiError(404, "job_not_found", "No training job with this id");
  if (job.leaseOwner !== worker || job.status !== "running") {
    throw new ApiError(409, "lease_lost", `This trainer no longer holds the job (it is ${job.status})`);
  }
  const profile = job.profileId === null ? null : await getProfile(db, job.profileId);
  if (!profile) throw new ApiError(409, "profile_gone", "The job's profile was deleted");
  return { job, profile };
}

const claim = createRoute({
  ...base,
  method: "post",
  path: "/jobs/claim",
  summary: "Claim the oldest queued training job under a lease",
  request: { body: jsonBody(ClaimBody) },
  responses: {
    200: jsonContent(Claimed, "A job to train"),
    204: { description: "Nothing to do" },
    400: errors[400],
    401: errors[401],
  },
});

const progress = createRoute({
  ...base,
  method: "post",
  path: "/jobs/{id}/progress",
  summary: "Report progress and extend the lease; status 'cancelled' means stop",
  request: {
    params: IdParam,
    body: jsonBody(ProgressBody),
  },
  responses: {
    200: jsonContent(ProgressAnswer, "Recorded"),
    400: errors[400],
    401: errors[401],
    404: errors[404],
    409: errors[409],
  },
});

const candles = createRoute({
  ...base,
  method: "get",
  path: "/jobs/{id}/candles",
  summary: "The profile's candles as one core/candles/codec block (application/octet-stream)",
  request: {
    params: IdParam,
    query: TrainerCandlesQuery,
  },
  responses: {
    200: { description: "Codec bytes; X-Candle-Count" },
    400: errors[400],
    401: errors[401],
    404: errors[404],
  },
});

const upload = createRoute({
  ...base,
  method: "put",
  path: "/jobs/{id}/artifact",
  summary: "Upload the model artifact (raw bytes); it is checked as inference will read it",
  middleware: [requireTrainer(), rawBody(MAX_ARTIFACT_BYTES)],
  request: {
    params: IdParam,
    query: UploadQuery,
    headers: UploadHeaders,
  },
  responses: {
    201: jsonContent(Uploaded, "Stored"),
    400: errors[400],
    401: errors[401],
    409: errors[409],
    413: errors[413],
    415: errors[415],
    422: errors[400],
  },
});

const complete = createRoute({
  ...base,
  method: "post",
  path: "/jobs/{id}/complete",
  summary: "Finish the job: the uploaded artifact becomes the active model version",
  request: {
    params: IdParam,
    body: jsonBody(CompleteBody),
  },
  responses: {
    200: jsonContent(Completed, "Active"),
    400: errors[400],
    401: errors[401],
    404: errors[404],
    409: errors[409],
  },
});

const fail = createRoute({
  ...base,
  method: "post",
  path: "/jobs/{id}/fail",
  summary: "Give up on the job with a reason",
  request: {
    params: IdParam,
    body: jsonBody(FailBody),
  },
  responses: {
    200: jsonContent(Job, "Failed"),
    400: errors[400],
    401: errors[401],
    404: errors[404],
    409: errors[409],
  },
});

export const trainerRoutes = createRouter()
  .openapi(claim, async (c) => {
    const db = c.var.db;
    await expireLeases(db, new Date());
    const job = await claimJob(db, "train", c.req.valid("json").worker_id, TRAIN_LEASE_SECONDS, new Date());
    if (!job) return c.body(null, 204);
    const profile = (await getProfile(db, job.profileId!))!;
    await publishProgress(c.env, {
      type: "model_training_progress",
      job_id: job.id,
      profile_id: profile.id,
      symbol: profile.symbol,
      progress: 0,
      message: `claimed (attempt ${job.attempts})`,
    });
    return c.json(
      {
        job: publicJob(job),
        profile: { id: profile.id, symbol: profile.symbol, exchange: profile.exchange },
        lease_seconds: TRAIN_LEASE_SECONDS,
      },
      200,
    );
  })
  .openapi(progress, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const status = await reportProgress(
      c.var.db,
      id,
      body.worker_id,
      { progress: body.progress, message: body.message, leaseSeconds: TRAIN_LEASE_SECONDS },
      new Date(),
    );
    if (status === null) throw new ApiError(409, "lease_lost", "This trainer no longer holds the job");
    const job = (await getJob(c.var.db, id))!;
    await publishProgress(c.env, {
      type: "model_training_progress",
      job_id: id,
      profile_id: job.profileId,
      symbol: job.symbol,
      progress: job.progress,
      message: body.message ?? status,
    });
    return c.json({ status, lease_seconds: TRAIN_LEASE_SECONDS }, 200);
  })
  .openapi(candles, async (c) => {
    const { id } = c.req.valid("param");
    const q = c.req.valid("query");
    const job = await getJob(c.var.db, id);
    if (!job?.profileId) throw new ApiError(404, "job_not_found", "No job with this id");
    const profile = (await getProfile(c.var.db, job.profileId))!;
    const rows = await readChart(c.env.BUCKET, c.var.db, profile, q.timeframe, q.limit, q.end);
    const bytes = encodeCandles(rows, TIMEFRAME_SECONDS[q.timeframe]);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      "content-type": "application/octet-stream",
      "x-candle-count": String(rows.length),
    });
  })
  .openapi(upload, async (c) => {
    const { id } = c.req.valid("param");
    const { job, profile } = await heldJob(c.var.db, id, c.req.valid("query").worker_id);
    const type = (c.req.header("content-type") ?? "").split(";")[0].trim();
    if (type !== "application/octet-stream")
      throw new ApiError(415, "unsupported_media_type", "Send the artifact as application/octet-stream");
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const sha = await sha256Hex(bytes);
    if (sha !== c.req.valid("header")["x-artifact-sha256"]) {
      throw new ApiError(
        422,
        "artifact_corrupt",
        "The artifact's sha256 does not match X-Artifact-Sha256 (truncated or altered in transit)",
      );
    }
    if (!isModelType(job.modelType)) throw new ApiError(409, "bad_job", "The job has no known model type");
    await validateArtifact(job.modelType, bytes).catch((err: Error) => {
      throw new ApiError(422, "artifact_invalid", `The artifact cannot be used: ${err.message}`);
    });
    await c.env.BUCKET.put(artifactKey(profile.symbol, job), bytes, {
      sha256: sha,
      customMetadata: { sha256: sha, job: String(id) },
    });
    return c.json({ sha256: sha, bytes: bytes.byteLength }, 201);
  })
  .openapi(complete, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const db = c.var.db;
    const { job, profile } = await heldJob(db, id, body.worker_id);
    const key = artifactKey(profile.symbol, job);
    const head = await c.env.BUCKET.head(key);
    if (!head || head.customMetadata?.sha256 !== body.artifact_sha256) {
      throw new ApiError(409, "artifact_missing", "Upload the artifact with this sha256 before completing");
    }
    const { model, staleKeys } = await activateVersion(db, {
      profileId: profile.id,
      modelType: job.modelType!,
      jobId: id,
      trainedOn: body.trained_on,
      parameters: body.parameters,
      metrics: body.metrics,
      artifactKey: key,
      artifactSha256: body.artifact_sha256,
      artifactBytes: head.size,
    });
    if (staleKeys.length) await c.env.BUCKET.delete(staleKeys);
    await finishJob(
      db,
      id,
      body.worker_id,
      { status: "succeeded", message: `version ${model.version} active` },
      new Date(),
    );
    await publishProgress(c.env, {
      type: "model_training_progress",
      job_id: id,
      profile_id: profile.id,
      symbol: profile.symbol,
      progress: 1,
      message: `${job.modelType} v${model.version} active`,
    });
    await publishModelChange(c.env, profile.symbol);
    return c.json({ model: publicModel({ ...model, symbol: profile.symbol }) }, 200);
  })
  .openapi(fail, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const { profile } = await heldJob(c.var.db, id, body.worker_id);
    await finishJob(c.var.db, id, body.worker_id, { status: "failed", error: body.error }, new Date());
    await publishProgress(c.env, {
      type: "model_training_progress",
      job_id: id,
      profile_id: profile.id,
      symbol: profile.symbol,
      progress: null,
      message: `failed: ${body.error}`,
    });
    return c.json(publicJob((await getJob(c.var.db, id))!), 200);
  });
