// The trainer's API (trainer token only): claim a job under a lease, report progress, read candles in
// the compact codec, upload the artifact, then complete, fail or release it; fleet instances renew tokens.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { encodeCandles } from "../../core/candles/codec";
import { TIMEFRAME_SECONDS } from "../../core/candles/timeframes";
import { isModelType } from "../../core/models/model-types";
import { type AppEnv, createRouter } from "../app-env";
import { FLEET_SUBJECT, MAX_ARTIFACT_BYTES, TRAIN_LEASE_SECONDS } from "../config";
import { Job } from "../contract/jobs";
import {
  ClaimBody,
  Claimed,
  CompleteBody,
  Completed,
  FailBody,
  ProgressAnswer,
  ProgressBody,
  ReleaseBody,
  RenewedToken,
  TrainerCandlesQuery,
  Uploaded,
  UploadHeaders,
  UploadQuery,
} from "../contract/trainer";
import { saveEvaluation } from "../db/backtests";
import { claimJob, expireLeases, finishJob, getJob, publicJob, releaseJob, reportProgress } from "../db/jobs";
import { activateVersion, publicModel } from "../db/models";
import { getProfile } from "../db/profiles";
import { touchTrainer } from "../db/trainers";
import { ApiError } from "../errors";
import { wakeFleet } from "../fleet";
import { trainerFleet } from "../fleet/stubs";
import { publishModelChange } from "../live/instrument-feed";
import { readChart } from "../market/chart";
import { requireTrainer } from "../middleware/auth";
import { rawBody } from "../middleware/security";
import {
  artifactKey,
  deleteArtifacts,
  putArtifact,
  sha256Hex,
  verifyArtifact,
} from "../models/artifact-store";
import { validateArtifact } from "../models/artifacts";
import { refreshBacktest } from "../models/backtest";
import { publishProgress } from "../progress-hub";
import { errors, IdParam, jsonBody, jsonContent } from "../schemas";

const base = { tags: ["trainer"], security: [{ trainerBearer: [] }], middleware: [requireTrainer()] };

/** The calling trainer (the token's subject); a `worker_id` naming another trainer is refused. */
function trainerId(c: Context<AppEnv>, workerId: string | undefined) {
  const me = c.var.trainer;
  if (workerId !== undefined && workerId !== me) {
    throw new ApiError(403, "worker_mismatch", "worker_id must equal the trainer token's subject");
  }
  return me;
}

/**
 * The running training job `worker` holds under a live lease, with its profile; 409 when the lease
 * is gone (expired, re-claimed, cancelled or finished), whether or not another trainer took it.
 */
async function heldJob(db: Parameters<typeof getJob>[0], id: number, worker: string) {
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
    403: errors[403],
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
    403: errors[403],
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
    409: errors[409],
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
    403: errors[403],
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
    403: errors[403],
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
    403: errors[403],
    404: errors[404],
    409: errors[409],
  },
});

const release = createRoute({
  ...base,
  method: "post",
  path: "/jobs/{id}/release",
  summary: "Give the job back at once (the trainer is stopping): it is queued again for another trainer",
  request: { params: IdParam, body: jsonBody(ReleaseBody) },
  responses: {
    200: jsonContent(Job, "Queued again"),
    400: errors[400],
    401: errors[401],
    403: errors[403],
    404: errors[404],
    409: errors[409],
  },
});

const renew = createRoute({
  ...base,
  method: "post",
  path: "/token",
  summary: "A fleet instance's fresh token; refused once the fleet no longer runs the instance",
  responses: { 200: jsonContent(RenewedToken, "Renewed"), 401: errors[401], 403: errors[403] },
});

export const trainerRoutes = createRouter()
  .openapi(claim, async (c) => {
    const db = c.var.db;
    await expireLeases(db, new Date());
    const me = trainerId(c, c.req.valid("json").worker_id);
    const job = await claimJob(db, "train", me, TRAIN_LEASE_SECONDS, new Date());
    await touchTrainer(db, me, job?.id ?? null, new Date());
    if (!job) return c.body(null, 204);
    const profile = (await getProfile(db, job.profileId!))!;
    await publishProgress(c.env, {
      type: "model_training_progress",
      job_id: job.id,
      profile_id: profile.id,
      symbol: profile.symbol,
      progress: 0,
      message: `claimed (attempt ${job.attempts})`,
      status: "running",
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
      trainerId(c, body.worker_id),
      { progress: body.progress, message: body.message, leaseSeconds: TRAIN_LEASE_SECONDS },
      new Date(),
    );
    if (status === null) {
      throw new ApiError(
        409,
        "lease_lost",
        "This trainer no longer holds the job (expired, taken over or finished)",
      );
    }
    await touchTrainer(c.var.db, c.var.trainer, id, new Date());
    const job = (await getJob(c.var.db, id))!;
    await publishProgress(c.env, {
      type: "model_training_progress",
      job_id: id,
      profile_id: job.profileId,
      symbol: job.symbol,
      progress: job.progress,
      message: body.message ?? status,
      status,
    });
    return c.json({ status, lease_seconds: TRAIN_LEASE_SECONDS }, 200);
  })
  .openapi(candles, async (c) => {
    const { id } = c.req.valid("param");
    const q = c.req.valid("query");
    // Only the job this trainer holds: a token is not a key to every profile's candles.
    const { profile } = await heldJob(c.var.db, id, c.var.trainer);
    const rows = await readChart(c.env.BUCKET, c.var.db, profile, q.timeframe, q.limit, q.end);
    const bytes = encodeCandles(rows, TIMEFRAME_SECONDS[q.timeframe]);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      "content-type": "application/octet-stream",
      "x-candle-count": String(rows.length),
    });
  })
  .openapi(upload, async (c) => {
    const { id } = c.req.valid("param");
    const { job, profile } = await heldJob(c.var.db, id, trainerId(c, c.req.valid("query").worker_id));
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
    await putArtifact(c.env.BUCKET, artifactKey(profile.symbol, job), bytes, sha, id);
    return c.json({ sha256: sha, bytes: bytes.byteLength }, 201);
  })
  .openapi(complete, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const db = c.var.db;
    const me = trainerId(c, body.worker_id);
    const { job, profile } = await heldJob(db, id, me);
    const key = artifactKey(profile.symbol, job);
    const size = await verifyArtifact(c.env.BUCKET, key, body.artifact_sha256);
    if (size === null) {
      throw new ApiError(409, "artifact_missing", "Upload the artifact with this sha256 before completing");
    }
    // One batch: the job finishes and the version becomes active together, or (lease lost) neither.
    const activated = await activateVersion(
      db,
      {
        profileId: profile.id,
        modelType: job.modelType!,
        jobId: id,
        trainedOn: body.trained_on,
        parameters: body.parameters,
        metrics: body.metrics,
        artifactKey: key,
        artifactSha256: body.artifact_sha256,
        artifactBytes: size,
      },
      { owner: me, now: new Date() },
    );
    if (!activated)
      throw new ApiError(409, "lease_lost", "This trainer no longer holds the job: nothing changed");
    const { model, staleKeys } = activated;
    await deleteArtifacts(c.env.BUCKET, staleKeys);
    if (body.evaluation) await saveEvaluation(db, { modelId: model.id, ...body.evaluation });
    // The set's backtest is derived data: a failure here must not undo the activated version.
    await refreshBacktest(c.env.BUCKET, db, profile).catch((err: Error) =>
      console.error(`backtest of ${profile.symbol} not refreshed: ${err.message}`),
    );
    await touchTrainer(db, me, null, new Date());
    await publishProgress(c.env, {
      type: "model_training_progress",
      job_id: id,
      profile_id: profile.id,
      symbol: profile.symbol,
      progress: 1,
      message: `${job.modelType} v${model.version} active`,
      status: "succeeded",
    });
    await publishModelChange(c.env, profile.symbol);
    return c.json({ model: publicModel({ ...model, symbol: profile.symbol }) }, 200);
  })
  .openapi(fail, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const me = trainerId(c, body.worker_id);
    const { profile } = await heldJob(c.var.db, id, me);
    if (!(await finishJob(c.var.db, id, me, { status: "failed", error: body.error }, new Date()))) {
      throw new ApiError(409, "lease_lost", "This trainer no longer holds the job: nothing changed");
    }
    await touchTrainer(c.var.db, me, null, new Date());
    await publishProgress(c.env, {
      type: "model_training_progress",
      job_id: id,
      profile_id: profile.id,
      symbol: profile.symbol,
      progress: null,
      message: `failed: ${body.error}`,
      status: "failed",
    });
    return c.json(publicJob((await getJob(c.var.db, id))!), 200);
  })
  .openapi(release, async (c) => {
    const { id } = c.req.valid("param");
    const me = trainerId(c, c.req.valid("json").worker_id);
    const { profile } = await heldJob(c.var.db, id, me);
    if (!(await releaseJob(c.var.db, id, me, new Date())))
      throw new ApiError(409, "lease_lost", "This trainer no longer holds the job: nothing changed");
    await touchTrainer(c.var.db, me, null, new Date());
    const job = (await getJob(c.var.db, id))!;
    await publishProgress(c.env, {
      type: "model_training_progress",
      job_id: id,
      profile_id: profile.id,
      symbol: profile.symbol,
      progress: job.progress,
      message: job.message ?? "released",
      status: "queued",
    });
    // The job needs a trainer again: the fleet starts one if none is left to claim it.
    c.executionCtx.waitUntil(wakeFleet(c.env));
    return c.json(publicJob(job), 200);
  })
  .openapi(renew, async (c) => {
    if (!FLEET_SUBJECT.test(c.var.trainer))
      throw new ApiError(
        403,
        "not_an_instance",
        "Only fleet instances renew tokens; mint yours from TRAINER_TOKEN",
      );
    const renewed = await trainerFleet(c.env).renew(c.var.trainer);
    if (!renewed)
      throw new ApiError(
        401,
        "instance_stopped",
        "The fleet no longer runs this instance: its token is not renewed",
      );
    return c.json(
      { token: renewed.token, expires_at: new Date(renewed.expiresAt * 1000).toISOString() },
      200,
    );
  });
