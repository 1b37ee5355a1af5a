// "A version became active": the one place that makes it so and says so. On the trainer's completion
// request (activateUpload): the activation batch (the job finishes and the version becomes active
// together, or nothing changes; versions that fell out of the kept window are retired in it), the
// retired versions' artifacts deleted (a failure there leaves them to the hourly sweep),
// the evaluation saved, admins and the instrument's viewers told, and a MODELS_QUEUE message sent. Off
// the request: afterActivation (worker/models-queue.ts), the work derived from the new active set.
import type { z } from "@hono/zod-openapi";
import type { CompleteBody } from "../contract/trainer";
import { saveEvaluation } from "../db/backtests";
import type { Db } from "../db/client";
import type { JobRow } from "../db/jobs";
import { activateVersion } from "../db/models";
import type { ProfileRow } from "../db/profiles";
import { ApiError } from "../errors";
import { publishModelChange } from "../live/instrument-feed";
import { publishTraining } from "../progress-hub";
import { artifactKey, verifyArtifact } from "./artifact-store";
import { sweepRetired } from "./retired-sweep";

/** One MODELS_QUEUE message: a version of the profile's models became active. */
export interface ActivationMessage {
  profileId: number;
  /** The version that became active (the set's other versions are whatever is active when it runs). */
  modelId: number;
}

/**
 * Makes the uploaded artifact of a training job the active version of its type, for the trainer
 * `owner` that must still hold the job's lease: 409 artifact_missing before an upload with this
 * sha256, 409 lease_lost when the lease went meanwhile (then nothing changed). Returns the new version.
 */
export async function activateUpload(
  env: Env,
  db: Db,
  a: { job: JobRow; profile: ProfileRow; owner: string; upload: z.output<typeof CompleteBody> },
) {
  const { job, profile, upload } = a;
  const key = artifactKey(profile.symbol, job);
  const size = await verifyArtifact(env.BUCKET, key, upload.artifact_sha256);
  if (size === null) {
    throw new ApiError(409, "artifact_missing", "Upload the artifact with this sha256 before completing");
  }
  const activated = await activateVersion(
    db,
    {
      profileId: profile.id,
      modelType: job.modelType!,
      jobId: job.id,
      trainedOn: upload.trained_on,
      parameters: upload.parameters,
      metrics: upload.metrics,
      artifactKey: key,
      artifactSha256: upload.artifact_sha256,
      artifactBytes: size,
    },
    { owner: a.owner, now: new Date() },
  );
  if (!activated)
    throw new ApiError(409, "lease_lost", "This trainer no longer holds the job: nothing changed");
  const { model } = activated;
  // The version is active whatever happens here: a delete that fails is the hourly sweep's to retry.
  await sweepRetired(env, db, profile.id).catch((err: Error) =>
    console.error(`retired artifacts of ${profile.symbol} left for the hourly sweep: ${err.message}`),
  );
  if (upload.evaluation) await saveEvaluation(db, { modelId: model.id, ...upload.evaluation });
  // Derived data: a failure to enqueue must not undo the active version (the signal history still
  // rebuilds the set's backtest when it finds none).
  await env.MODELS_QUEUE.send({ profileId: profile.id, modelId: model.id } satisfies ActivationMessage, {
    contentType: "json",
  }).catch((err: Error) =>
    console.error(`after-activation work of ${profile.symbol} not queued: ${err.message}`),
  );
  await publishTraining(env, {
    job: { id: job.id, profileId: profile.id, symbol: profile.symbol },
    progress: 1,
    message: `${job.modelType} v${model.version} active`,
    status: "succeeded",
  });
  await publishModelChange(env, profile.symbol);
  return model;
}
