// The trainer's API as declared (validation and the OpenAPI document): claim a job under a lease,
// report progress, read candles in the compact codec, upload the artifact, then complete, fail or release
// it; fleet instances renew their tokens.
// The handlers are trainer.handlers.ts.
import type { z } from "@hono/zod-openapi";
import { MAX_ARTIFACT_BYTES } from "../../config";
import { Job } from "../../contract/jobs";
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
} from "../../contract/trainer";
import { requireTrainer } from "../../middleware/auth";
import { declare } from "../../middleware/declare-route";
import { rawBody } from "../../middleware/security";
import { errorDoc, IdParam, jsonBody, jsonContent } from "../../schemas";

const base = { tags: ["trainer"], security: [{ trainerBearer: [] }], middleware: [requireTrainer()] };
/** The answers of every route that acts on a job this trainer must hold. */
const held = [400, 401, 403, 404, 409] as const;

export const claim = declare(base, "post", "/jobs/claim", [400, 401, 403], {
  summary: "Claim the oldest queued training job under a lease",
  request: { body: jsonBody(ClaimBody) },
  responses: { 200: jsonContent(Claimed, "A job to train"), 204: { description: "Nothing to do" } },
});

/** A POST about a job the trainer holds: its JSON body, its answer, and the held-job failures. */
const jobPost = <P extends string, B extends z.ZodType, A extends z.ZodType>(
  path: P,
  summary: string,
  body: B,
  answer: [A, string],
) =>
  declare(base, "post", path, held, {
    summary,
    request: { params: IdParam, body: jsonBody(body) },
    responses: { 200: jsonContent(answer[0], answer[1]) },
  });

export const progress = jobPost(
  "/jobs/{id}/progress",
  "Report progress and extend the lease; status 'cancelled' means stop",
  ProgressBody,
  [ProgressAnswer, "Recorded"],
);

export const candles = declare(base, "get", "/jobs/{id}/candles", [400, 401, 404, 409], {
  summary: "The profile's candles as one core/candles/codec block (application/octet-stream)",
  request: { params: IdParam, query: TrainerCandlesQuery },
  responses: { 200: { description: "Codec bytes; X-Candle-Count" } },
});

export const upload = declare(base, "put", "/jobs/{id}/artifact", held, {
  summary: "Upload the model artifact (raw bytes); it is checked as inference will read it",
  middleware: [requireTrainer(), rawBody(MAX_ARTIFACT_BYTES)],
  request: { params: IdParam, query: UploadQuery, headers: UploadHeaders },
  responses: {
    201: jsonContent(Uploaded, "Stored"),
    413: errorDoc(`Artifact larger than ${MAX_ARTIFACT_BYTES / 2 ** 20} MB`),
    415: errorDoc("Body is not application/octet-stream"),
    422: errorDoc(
      "artifact_corrupt: the bytes do not match X-Artifact-Sha256; artifact_invalid: inference cannot read them",
    ),
  },
});

export const complete = jobPost(
  "/jobs/{id}/complete",
  "Finish the job: the uploaded artifact becomes the active model version",
  CompleteBody,
  [Completed, "Active"],
);

export const fail = jobPost("/jobs/{id}/fail", "Give up on the job with a reason", FailBody, [Job, "Failed"]);

export const release = jobPost(
  "/jobs/{id}/release",
  "Give the job back at once (the trainer is stopping): it is queued again for another trainer",
  ReleaseBody,
  [Job, "Queued again"],
);

export const renew = declare(base, "post", "/token", [401, 403], {
  summary: "A fleet instance's fresh token; refused once the fleet no longer runs the instance",
  responses: { 200: jsonContent(RenewedToken, "Renewed") },
});
