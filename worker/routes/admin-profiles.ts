// Admin management of trading profiles; every change is written to the audit log.
import { z } from "@hono/zod-openapi";
import { createRouter } from "../app-env";
import { CandleQuery, CandlesAnswer, TimeframeParam } from "../contract/candles";
import { DataStatus, Profile, ProfileCreate, ProfilePatch } from "../contract/profiles";
import { readOutcomes } from "../db/collection-outcomes";
import { readChart } from "../market/chart";
import { dataStatus } from "../market/store";
import { auditAdmin } from "../middleware/auth";
import { adminRoute, declare } from "../middleware/declare-route";
import {
  addProfile,
  changeProfile,
  listProfileAnswers,
  profileAnswer,
  profileOr404,
  removeProfile,
} from "../profile-service";
import { IdParam, jsonBody, jsonContent } from "../schemas";

const base = adminRoute();

const list = declare(base, "get", "/", [401], {
  summary: "All trading profiles",
  responses: { 200: jsonContent(z.array(Profile), "Profiles") },
});

const create = declare(base, "post", "/", [400, 401, 409, 422, 503], {
  summary: "Create a trading profile",
  request: {
    body: jsonBody(ProfileCreate),
  },
  responses: { 201: jsonContent(Profile, "Created") },
});

const patch = declare(base, "patch", "/{id}", [400, 401, 404, 409, 422, 503], {
  summary: "Change a profile (symbol and exchange only while it has no data)",
  request: {
    params: IdParam,
    body: jsonBody(ProfilePatch),
  },
  responses: { 200: jsonContent(Profile, "Updated") },
});

const remove = declare(base, "delete", "/{id}", [401, 404], {
  summary: "Delete a profile with its candles, jobs and models",
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" } },
});

const status = declare(base, "get", "/{id}/data-status", [400, 401, 404], {
  summary: "Stored 1m candles of a profile, their span and the gaps inside it",
  request: { params: IdParam },
  responses: { 200: jsonContent(DataStatus, "Data status") },
});

const data = declare(base, "get", "/{id}/data/{timeframe}", [400, 401, 404], {
  summary: "Candles of any profile, trained or not (as the user route)",
  request: { params: IdParam.extend({ timeframe: TimeframeParam }), query: CandleQuery },
  responses: { 200: jsonContent(CandlesAnswer, "Candles") },
});

export const adminProfileRoutes = createRouter()
  .openapi(list, async (c) => c.json(await listProfileAnswers(c.env, c.var.db), 200))
  .openapi(create, async (c) => {
    const body = c.req.valid("json");
    const profile = await addProfile(c.env, c.var.db, {
      symbol: body.symbol,
      name: body.name ?? body.symbol,
      profileType: body.profile_type ?? "crypto",
      exchange: body.exchange ?? "binance",
    });
    await auditAdmin(c, "profile.create", `profile:${profile.id}`, {
      symbol: profile.symbol,
      exchange: profile.exchange,
    });
    return c.json(profileAnswer(c.env, profile), 201);
  })
  .openapi(patch, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const profile = await changeProfile(c.env, c.var.db, id, {
      symbol: body.symbol,
      name: body.name,
      profileType: body.profile_type,
      exchange: body.exchange,
      isActive: body.is_active,
    });
    await auditAdmin(c, "profile.update", `profile:${id}`, body);
    return c.json(profileAnswer(c.env, profile, await readOutcomes(c.var.db)), 200);
  })
  .openapi(remove, async (c) => {
    const { id } = c.req.valid("param");
    const profile = await removeProfile(c.env, c.var.db, id);
    await auditAdmin(c, "profile.delete", `profile:${id}`, { symbol: profile.symbol });
    return c.body(null, 204);
  })
  .openapi(status, async (c) => {
    const profile = await profileOr404(c.var.db, c.req.valid("param").id);
    const stored = await dataStatus(c.var.db, profile.id);
    return c.json({ profile_id: profile.id, symbol: profile.symbol, ...stored }, 200);
  })
  .openapi(data, async (c) => {
    const { id, timeframe } = c.req.valid("param");
    const { limit, end } = c.req.valid("query");
    const profile = await profileOr404(c.var.db, id);
    const candles = await readChart(c.env.BUCKET, c.var.db, profile, timeframe, limit, end);
    return c.json({ symbol: profile.symbol, timeframe, candles }, 200);
  });
