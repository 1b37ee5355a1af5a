// The trainer's API as declared (validation and the OpenAPI document): claim a job under a lease,
// report progress, read candles in the compact codec, upload the artifact, then complete or fail.
// The handlers are trainer.handlers.ts.
import { createRoute } from "@hono/zod-openapi";
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
  TrainerCandlesQuery,
  Uploaded,
  UploadHeaders,
  UploadQuery,
} from "../../contract/trainer";
import { requireTrainer } from "../../middleware/auth";
import { rawBody } from "../../middleware/security";
import { errorDoc, errors, IdParam, jsonBody, jsonContent } from "../../schemas";

const base = { tags: ["trainer"], security: [{ trainerBearer: [] }], middleware: [requireTrainer()] };
/** The answers of every route that acts on a job this trainer must hold. */
const held = { 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] };

export const claim = createRoute({
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

export const progress = createRoute({
  ...base,
  method: "post",
  path: "/jobs/{id}/progress",
  summary: "Report progress and extend the lease; status 'cancelled' means stop",
  request: { params: IdParam, body: jsonBody(ProgressBody) },
  responses: { 200: jsonContent(ProgressAnswer, "Recorded"), ...held },
});

export const candles = createRoute({
  ...base,
  method: "get",
  path: "/jobs/{id}/candles",
  summary: "The profile's candles as one core/candles/codec block (application/octet-stream)",
  request: { params: IdParam, query: TrainerCandlesQuery },
  responses: {
    200: { description: "Codec bytes; X-Candle-Count" },
    400: errors[400],
    401: errors[401],
    404: errors[404],
    409: errors[409],
  },
});

export const upload = createRoute({
  ...base,
  method: "put",
  path: "/jobs/{id}/artifact",
  summary: "Upload the model artifact (raw bytes); it is checked as inference will read it",
  middleware: [requireTrainer(), rawBody(MAX_ARTIFACT_BYTES)],
  request: { params: IdParam, query: UploadQuery, headers: UploadHeaders },
  responses: {
    201: jsonContent(Uploaded, "Stored"),
    ...held,
    413: errorDoc(`Artifact larger than ${MAX_ARTIFACT_BYTES / 2 ** 20} MB`),
    415: errorDoc("Body is not application/octet-stream"),
    422: errorDoc(
      "artifact_corrupt: the bytes do not match X-Artifact-Sha256; artifact_invalid: inference cannot read them",
    ),
  },
});

export const complete = createRoute({
  ...base,
  method: "post",
  path: "/jobs/{id}/complete",
  summary: "Finish the job: the uploaded artifact becomes the active model version",
  request: { params: IdParam, body: jsonBody(CompleteBody) },
  responses: { 200: jsonContent(Completed, "Active"), ...held },
});

export const fail = createRoute({
  ...base,
  method: "post",
  path: "/jobs/{id}/fail",
  summary: "Give up on the job with a reason",
  request: { params: IdParam, body: jsonBody(FailBody) },
  responses: { 200: jsonContent(Job, "Failed"), ...held },
});
