// The trainer's API, handled (declared in trainer.routes.ts): each handler checks the caller's lease
// (trainer.lease.ts) and composes the owners: the job queue, the chart's candles, the artifact store,
// and the activation service (models/activation.ts) that makes a finished job's version active.
import { encodeCandles } from "../../../core/candles/codec";
import { TIMEFRAME_SECONDS } from "../../../core/candles/timeframes";
import { isModelType } from "../../../core/models/model-types";
import type { AppRouteHandler } from "../../app-env";
import { FLEET_SUBJECT, trainLeaseSeconds } from "../../config";
import { claimJob, expireLeases, finishJob, releaseJob, reportProgress } from "../../db/job-leases";
import { getJob, publicJob } from "../../db/jobs";
import { publicModel } from "../../db/models";
import { getProfile } from "../../db/profiles";
import { touchTrainer } from "../../db/trainers";
import { ApiError } from "../../errors";
import { wakeFleet } from "../../fleet";
import { trainerFleet } from "../../fleet/stubs";
import { readChart } from "../../market/chart";
import { activateUpload } from "../../models/activation";
import { artifactKey, putArtifact, sha256Hex } from "../../models/artifact-store";
import { validateArtifact } from "../../models/artifacts";
import { publishTraining } from "../../progress-hub";
import { heldJob, leaseLost, trainerId } from "./trainer.lease";
import type * as routes from "./trainer.routes";

export const claim: AppRouteHandler<typeof routes.claim> = async (c) => {
  const db = c.var.db;
  await expireLeases(db, new Date());
  const me = trainerId(c, c.req.valid("json").worker_id);
  const leaseSeconds = trainLeaseSeconds(c.env);
  const job = await claimJob(db, "train", me, leaseSeconds, new Date());
  await touchTrainer(db, me, job?.id ?? null, new Date());
  if (!job) return c.body(null, 204);
  const profile = (await getProfile(db, job.profileId!))!;
  await publishTraining(c.env, {
    job: { id: job.id, profileId: profile.id, symbol: profile.symbol },
    progress: 0,
    message: `claimed (attempt ${job.attempts})`,
    status: "running",
  });
  const claimed = { id: profile.id, symbol: profile.symbol, exchange: profile.exchange };
  return c.json({ job: publicJob(job), profile: claimed, lease_seconds: leaseSeconds }, 200);
};

export const progress: AppRouteHandler<typeof routes.progress> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const me = trainerId(c, body.worker_id);
  const leaseSeconds = trainLeaseSeconds(c.env);
  const report = { progress: body.progress, message: body.message, leaseSeconds };
  // The lease is checked in the same UPDATE that records the report.
  const status = await reportProgress(c.var.db, id, me, report, new Date());
  if (status === null) throw leaseLost("expired, taken over or finished");
  await touchTrainer(c.var.db, me, id, new Date());
  const job = (await getJob(c.var.db, id))!;
  await publishTraining(c.env, { job, progress: job.progress, message: body.message ?? status, status });
  return c.json({ status, lease_seconds: leaseSeconds }, 200);
};

export const candles: AppRouteHandler<typeof routes.candles> = async (c) => {
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
};

export const upload: AppRouteHandler<typeof routes.upload> = async (c) => {
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
};

export const complete: AppRouteHandler<typeof routes.complete> = async (c) => {
  const { id } = c.req.valid("param");
  const upload = c.req.valid("json");
  const owner = trainerId(c, upload.worker_id);
  const { job, profile } = await heldJob(c.var.db, id, owner);
  const model = await activateUpload(c.env, c.var.db, { job, profile, owner, upload });
  await touchTrainer(c.var.db, owner, null, new Date());
  return c.json({ model: publicModel({ ...model, symbol: profile.symbol }) }, 200);
};

export const fail: AppRouteHandler<typeof routes.fail> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const me = trainerId(c, body.worker_id);
  const { job, profile } = await heldJob(c.var.db, id, me);
  if (!(await finishJob(c.var.db, id, me, { status: "failed", error: body.error }, new Date()))) {
    throw leaseLost();
  }
  await touchTrainer(c.var.db, me, null, new Date());
  await publishTraining(c.env, {
    job: { id: job.id, profileId: profile.id, symbol: profile.symbol },
    progress: null,
    message: `failed: ${body.error}`,
    status: "failed",
  });
  return c.json(publicJob((await getJob(c.var.db, id))!), 200);
};

export const release: AppRouteHandler<typeof routes.release> = async (c) => {
  const { id } = c.req.valid("param");
  const me = trainerId(c, c.req.valid("json").worker_id);
  const { profile } = await heldJob(c.var.db, id, me);
  if (!(await releaseJob(c.var.db, id, me, new Date()))) throw leaseLost();
  await touchTrainer(c.var.db, me, null, new Date());
  const job = (await getJob(c.var.db, id))!;
  await publishTraining(c.env, {
    job: { id: job.id, profileId: profile.id, symbol: profile.symbol },
    progress: job.progress,
    message: job.message ?? "released",
    status: "queued",
  });
  // The job needs a trainer again: the fleet starts one if none is left to claim it.
  c.executionCtx.waitUntil(wakeFleet(c.env));
  return c.json(publicJob(job), 200);
};

export const renew: AppRouteHandler<typeof routes.renew> = async (c) => {
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
  return c.json({ token: renewed.token, expires_at: new Date(renewed.expiresAt * 1000).toISOString() }, 200);
};
