// Training jobs (one per profile and model type) and the model versions they produce.
import { z } from "@hono/zod-openapi";
import { minTrainingCandles } from "../../core/models/fold-plan";
import { MODEL_TIMEFRAME } from "../../core/models/model-config";
import { createRouter } from "../app-env";
import { QueuedJobs, TrainBody } from "../contract/jobs";
import { Model, ModelsQuery } from "../contract/models";
import { createJobs, listJobs, openJobs, publicJob } from "../db/jobs";
import { listModels, publicModel } from "../db/models";
import { getProfile } from "../db/profiles";
import { ApiError } from "../errors";
import { wakeFleet } from "../fleet";
import { countRollups } from "../market/rollups";
import { auditAdmin } from "../middleware/auth";
import { adminRoute, declare } from "../middleware/declare-route";
import { jsonBody, jsonContent } from "../schemas";

const base = adminRoute();

const train = declare(base, "post", "/train-models", [400, 401, 404, 422], {
  summary:
    "Queue one training job per profile and model type; 422 insufficient_data (with needed and available hourly candles) when a profile has too few",
  request: {
    body: jsonBody(TrainBody),
  },
  responses: { 202: jsonContent(QueuedJobs, "Jobs queued (open ones for the same pair are returned as is)") },
});

const models = declare(base, "get", "/models", [400, 401], {
  summary: "Model versions with what they were trained on, their parameters and out-of-sample metrics",
  request: { query: ModelsQuery },
  responses: { 200: jsonContent(z.array(Model), "Model versions") },
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
    const needed = minTrainingCandles();
    const counts = await Promise.all(profiles.map((p) => countRollups(db, p!.id, MODEL_TIMEFRAME)));
    const short = profiles
      .map((p, i) => ({ profile_id: p!.id, symbol: p!.symbol, available: counts[i] }))
      .filter((p) => p.available < needed);
    if (short.length) {
      const list = short.map((p) => `${p.symbol} has ${p.available}`).join(", ");
      throw new ApiError(
        422,
        "insufficient_data",
        `Training needs at least ${needed} hourly candles (${(needed / 24).toFixed(1)} days) per profile: ${list}; collect more days first`,
        {},
        { needed, available: short[0].available, profiles: short },
      );
    }
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
    await auditAdmin(c, "models.train", ids.map((id) => `profile:${id}`).join(","), {
      model_types: types,
      jobs: created.map((j) => j.id),
    });
    // Trainer containers start for the new jobs (the origin is where they reach this Worker).
    if (created.length) c.executionCtx.waitUntil(wakeFleet(c.env, new URL(c.req.url).origin));
    const jobs = [...created, ...(existing.length ? await listJobs(db, { ids: existing }) : [])];
    return c.json({ jobs: jobs.map(publicJob) }, 202);
  })
  .openapi(models, async (c) => {
    const { profile_id } = c.req.valid("query");
    return c.json((await listModels(c.var.db, profile_id)).map(publicModel), 200);
  });
