// Training jobs (one per profile and model type) and the model versions they produce.
import { createRoute, z } from "@hono/zod-openapi";
import { MODEL_TYPES } from "../../core/models/registry";
import { createRouter } from "../app-env";
import { writeAudit } from "../db/audit";
import { createJobs, listJobs, openJobs, publicJob } from "../db/jobs";
import { listModels, publicModel } from "../db/models";
import { getProfile } from "../db/profiles";
import { ApiError } from "../errors";
import { clientAddress, requireAdmin } from "../middleware/auth";
import { ModelMetrics } from "../models/metrics-schema";
import { errors, jsonBody, jsonContent } from "../schemas";
import { Job } from "./admin-jobs";

const base = { tags: ["admin"], security: [{ adminBearer: [] }], middleware: [requireAdmin()] };

const train = createRoute({
  ...base,
  method: "post",
  path: "/train-models",
  summary: "Queue one training job per profile and model type",
  request: {
    body: jsonBody(
      z.object({
        profile_ids: z
          .array(z.number().int().positive())
          .min(1, { message: "Name at least one profile" })
          .max(100),
        model_types: z
          .array(z.enum(MODEL_TYPES, { message: `Model types are ${MODEL_TYPES.join(", ")}` }))
          .min(1)
          .default([...MODEL_TYPES]),
      }),
    ),
  },
  responses: {
    202: jsonContent(
      z.object({ jobs: z.array(Job) }),
      "Jobs queued (open ones for the same pair are returned as is)",
    ),
    400: errors[400],
    401: errors[401],
    404: errors[404],
    409: errors[409],
  },
});

const Model = z
  .object({
    id: z.number().int(),
    profile_id: z.number().int(),
    symbol: z.string().nullable(),
    model_type: z.string(),
    version: z.number().int(),
    status: z.string(),
    active: z.boolean(),
    trained_at: z.date().or(z.string()).nullable(),
    trained_on: z.record(z.string(), z.unknown()).nullable(),
    parameters: z.record(z.string(), z.unknown()).nullable(),
    metrics: ModelMetrics.nullable(),
    artifact_sha256: z.string().nullable(),
    artifact_bytes: z.number().int().nullable(),
  })
  .openapi("Model");

const models = createRoute({
  ...base,
  method: "get",
  path: "/models",
  summary: "Model versions with what they were trained on, their parameters and out-of-sample metrics",
  request: { query: z.object({ profile_id: z.coerce.number().int().positive().optional() }) },
  responses: { 200: jsonContent(z.array(Model), "Model versions"), 400: errors[400], 401: errors[401] },
});

export const adminTrainRoutes = createRouter()
  .openapi(train, async (c) => {
    const { profile_ids, model_types } = c.req.valid("json");
    const db = c.var.db;
    const ids = [...new Set(profile_ids)];
    const types = [...new Set(model_types)];
    const profiles = await Promise.all(ids.map((id) => getProfile(db, id)));
    const missing = ids.filter((_, i) => !profiles[i]);
    if (missing.length)
      throw new ApiError(404, "profile_not_found", `No profile with id ${missing.join(", ")}`);
    const empty = profiles.filter((p) => !p!.hasData).map((p) => p!.symbol);
    if (empty.length)
      throw new ApiError(409, "no_data", `Collect data first: ${empty.join(", ")} has no candles`);
    const existing: number[] = [];
    const fresh = [];
    for (const p of profiles) {
      for (const type of types) {
        const open = await openJobs(db, "train", p!.id, type);
        if (open.length) existing.push(open[0].id);
        else
          fresh.push({
            kind: "train" as const,
            profileId: p!.id,
            modelType: type,
            createdBy: c.var.admin.id,
          });
      }
    }
    const created = await createJobs(db, fresh);
    await writeAudit(db, {
      adminId: c.var.admin.id,
      action: "models.train",
      target: ids.map((id) => `profile:${id}`).join(","),
      detail: { model_types: types, jobs: created.map((j) => j.id) },
      ip: clientAddress(c),
    });
    const jobs = [...created, ...(existing.length ? await listJobs(db, { ids: existing }) : [])];
    return c.json({ jobs: jobs.map(publicJob) }, 202);
  })
  .openapi(models, async (c) => {
    const { profile_id } = c.req.valid("query");
    return c.json((await listModels(c.var.db, profile_id)).map(publicModel), 200);
  });
