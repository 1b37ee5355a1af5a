// The trainer's API (trainer token only): claim a job under a lease, report progress, read candles in
// the compact codec, upload the artifact, then complete or fail.
import { createRoute, z } from "@hono/zod-openapi";
import { encodeCandles } from "../../core/candles/codec";
import { TIMEFRAME_SECONDS } from "../../core/candles/timeframes";
import { isModelType } from "../../core/models/model-types";
import { createRouter } from "../app-env";
import { MAX_ARTIFACT_BYTES, TRAIN_LEASE_SECONDS, TRAINER_CANDLE_LIMIT } from "../config";
import { claimJob, expireLeases, finishJob, getJob, publicJob, reportProgress } from "../db/jobs";
import { activateVersion, publicModel } from "../db/models";
import { getProfile } from "../db/profiles";
import { ApiError } from "../errors";
import { readChart } from "../market/chart";
import { requireTrainer } from "../middleware/auth";
import { limitBody } from "../middleware/security";
import {
  artifactKey,
  deleteArtifacts,
  putArtifact,
  sha256Hex,
  verifyArtifact,
} from "../models/artifact-store";
import { validateArtifact } from "../models/artifacts";
import { publishProgress } from "../progress-hub";
import { errors, IdParam, jsonBody, jsonContent } from "../schemas";
import { Job } from "./admin-jobs";

const base = { tags: ["trainer"], security: [{ trainerBearer: [] }], middleware: [requireTrainer()] };
const WorkerId = z.string().trim().min(1).max(100).openapi({ example: "trainer-laptop-1" });
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, { message: "sha256 as 64 lower-case hex digits" });
const TRAINER_TIMEFRAMES = ["1m", "5m", "15m", "1h", "4h", "1D"] as const;

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
  request: { body: jsonBody(z.object({ worker_id: WorkerId })) },
  responses: {
    200: jsonContent(
      z.object({
        job: Job,
        profile: z.object({ id: z.number(), symbol: z.string(), exchange: z.string() }),
        lease_seconds: z.number(),
      }),
      "A job to train",
    ),
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
    body: jsonBody(
      z.object({
        worker_id: WorkerId,
        progress: z.number().min(0).max(1),
        message: z.string().max(500).optional(),
      }),
    ),
  },
  responses: {
    200: jsonContent(z.object({ status: z.string(), lease_seconds: z.number() }), "Recorded"),
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
    query: z.object({
      timeframe: z.enum(TRAINER_TIMEFRAMES).default("1h"),
      limit: z.coerce.number().int().min(1).max(TRAINER_CANDLE_LIMIT).default(10_000),
      end: z.coerce.number().int().min(0).optional(),
    }),
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
  middleware: [requireTrainer(), limitBody(MAX_ARTIFACT_BYTES)],
  request: {
    params: IdParam,
    query: z.object({ worker_id: WorkerId }),
    headers: z.object({ "x-artifact-sha256": Sha256 }),
  },
  responses: {
    201: jsonContent(z.object({ sha256: z.string(), bytes: z.number() }), "Stored"),
    400: errors[400],
    401: errors[401],
    409: errors[409],
    413: errors[413],
    415: errors[415],
    422: errors[400],
  },
});

const Metrics = z.record(z.string(), z.unknown());
const complete = createRoute({
  ...base,
  method: "post",
  path: "/jobs/{id}/complete",
  summary: "Finish the job: the uploaded artifact becomes the active model version",
  request: {
    params: IdParam,
    body: jsonBody(
      z.object({
        worker_id: WorkerId,
        artifact_sha256: Sha256,
        trained_on: z.object({ timeframe: z.string(), from: z.number().int(), to: z.number().int() }),
        parameters: z.record(z.string(), z.unknown()),
        metrics: Metrics.refine(
          (m) => ["mae", "naive_mae", "skill", "n"].every((k) => typeof m[k] === "number"),
          {
            message: "metrics need numeric mae, naive_mae, skill and n",
          },
        ),
      }),
    ),
  },
  responses: {
    200: jsonContent(z.object({ model: z.record(z.string(), z.unknown()) }), "Active"),
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
    body: jsonBody(z.object({ worker_id: WorkerId, error: z.string().min(1).max(2000) })),
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
    await putArtifact(c.env.BUCKET, artifactKey(profile.symbol, job), bytes, sha, id);
    return c.json({ sha256: sha, bytes: bytes.byteLength }, 201);
  })
  .openapi(complete, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const db = c.var.db;
    const { job, profile } = await heldJob(db, id, body.worker_id);
    const key = artifactKey(profile.symbol, job);
    const size = await verifyArtifact(c.env.BUCKET, key, body.artifact_sha256);
    if (size === null) {
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
      artifactBytes: size,
    });
    await deleteArtifacts(c.env.BUCKET, staleKeys);
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
