// Admin management of trading profiles; every change is written to the audit log.
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../app-env";
import { CandleQuery, CandlesAnswer, TimeframeParam } from "../contract/candles";
import { DataStatus, Profile, ProfileCreate, ProfilePatch } from "../contract/profiles";
import { writeAudit } from "../db/audit";
import { collectionState, readOutcomes } from "../db/collection-outcomes";
import { isUniqueViolation } from "../db/errors";
import {
  createProfile,
  deleteProfile,
  getProfile,
  listProfiles,
  publicProfile,
  updateProfile,
} from "../db/profiles";
import { ApiError } from "../errors";
import { readChart } from "../market/chart";
import { isSupportedExchange } from "../market/exchange";
import { isListed } from "../market/markets-cache";
import { isSimulated } from "../market/simulated";
import { dataStatus, deleteStoredCandles } from "../market/store";
import { clientAddress, requireAdmin } from "../middleware/auth";
import { deleteSymbolArtifacts } from "../models/artifact-store";
import { errors, IdParam, jsonBody, jsonContent } from "../schemas";

const security = [{ adminBearer: [] }];
const base = { tags: ["admin"], security, middleware: [requireAdmin()] };

const list = createRoute({
  ...base,
  method: "get",
  path: "/",
  summary: "All trading profiles",
  responses: { 200: jsonContent(z.array(Profile), "Profiles"), 401: errors[401] },
});

const create = createRoute({
  ...base,
  method: "post",
  path: "/",
  summary: "Create a trading profile",
  request: {
    body: jsonBody(ProfileCreate),
  },
  responses: {
    201: jsonContent(Profile, "Created"),
    400: errors[400],
    401: errors[401],
    409: errors[409],
    422: errors[422],
    503: errors[503],
  },
});

const patch = createRoute({
  ...base,
  method: "patch",
  path: "/{id}",
  summary: "Change a profile (symbol and exchange only while it has no data)",
  request: {
    params: IdParam,
    body: jsonBody(ProfilePatch),
  },
  responses: {
    200: jsonContent(Profile, "Updated"),
    400: errors[400],
    401: errors[401],
    404: errors[404],
    409: errors[409],
    422: errors[422],
    503: errors[503],
  },
});

const remove = createRoute({
  ...base,
  method: "delete",
  path: "/{id}",
  summary: "Delete a profile with its candles, jobs and models",
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, 401: errors[401], 404: errors[404] },
});

const status = createRoute({
  ...base,
  method: "get",
  path: "/{id}/data-status",
  summary: "Stored 1m candles of a profile, their span and the gaps inside it",
  request: { params: IdParam },
  responses: {
    200: jsonContent(DataStatus, "Data status"),
    400: errors[400],
    401: errors[401],
    404: errors[404],
  },
});

const data = createRoute({
  ...base,
  method: "get",
  path: "/{id}/data/{timeframe}",
  summary: "Candles of any profile, trained or not (as the user route)",
  request: { params: IdParam.extend({ timeframe: TimeframeParam }), query: CandleQuery },
  responses: {
    200: jsonContent(CandlesAnswer, "Candles"),
    400: errors[400],
    401: errors[401],
    404: errors[404],
  },
});

const notFound = () => new ApiError(404, "profile_not_found", "No profile with this id");

/**
 * 422 when the exchange does not list the symbol, so that the cron never fails on it every minute;
 * 503 when the exchange cannot be asked. Exchanges that are not bundled cannot be asked at all: their
 * profiles are kept, and the collection error shows in their row.
 */
async function requireListed(env: Env, exchange: string, symbol: string) {
  if (!isSupportedExchange(exchange)) return;
  const listed = await isListed(env, exchange, symbol).catch((err: Error) => {
    throw new ApiError(
      503,
      "exchange_unavailable",
      `Could not check ${symbol} against ${exchange}'s markets: ${err.message}`,
    );
  });
  if (!listed)
    throw new ApiError(422, "unknown_symbol", `${exchange} does not list ${symbol} as a spot market`);
}

export const adminProfileRoutes = createRouter()
  .openapi(list, async (c) => {
    const outcomes = await readOutcomes(c.var.db);
    const rows = await listProfiles(c.var.db);
    return c.json(
      rows.map((p) => ({
        ...publicProfile(p, isSimulated(c.env, p.symbol)),
        collection: collectionState(outcomes[p.id]),
      })),
      200,
    );
  })
  .openapi(create, async (c) => {
    const body = c.req.valid("json");
    await requireListed(c.env, body.exchange ?? "binance", body.symbol);
    const profile = await createProfile(c.var.db, {
      symbol: body.symbol,
      name: body.name ?? body.symbol,
      profileType: body.profile_type ?? "crypto",
      exchange: body.exchange ?? "binance",
    });
    if (!profile) throw new ApiError(409, "symbol_taken", `A profile for ${body.symbol} already exists`);
    await writeAudit(c.var.db, {
      adminId: c.var.admin.id,
      action: "profile.create",
      target: `profile:${profile.id}`,
      detail: { symbol: profile.symbol, exchange: profile.exchange },
      ip: clientAddress(c),
    });
    return c.json(
      {
        ...publicProfile(profile, isSimulated(c.env, profile.symbol)),
        collection: collectionState(undefined),
      },
      201,
    );
  })
  .openapi(patch, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const current = await getProfile(c.var.db, id);
    if (!current) throw notFound();
    const moves =
      (body.symbol && body.symbol !== current.symbol) ||
      (body.exchange && body.exchange !== current.exchange);
    if (moves && current.hasData) {
      throw new ApiError(409, "profile_has_data", "Symbol and exchange cannot change once data is collected");
    }
    if (moves) await requireListed(c.env, body.exchange ?? current.exchange, body.symbol ?? current.symbol);
    const changes = {
      symbol: body.symbol,
      name: body.name,
      profileType: body.profile_type,
      exchange: body.exchange,
      isActive: body.is_active,
    };
    const profile = await updateProfile(c.var.db, id, changes).catch((err) => {
      if (isUniqueViolation(err)) throw new ApiError(409, "symbol_taken", "Another profile has this symbol");
      throw err;
    });
    if (!profile) throw notFound();
    await writeAudit(c.var.db, {
      adminId: c.var.admin.id,
      action: "profile.update",
      target: `profile:${id}`,
      detail: body,
      ip: clientAddress(c),
    });
    const outcome = (await readOutcomes(c.var.db))[id];
    return c.json(
      { ...publicProfile(profile, isSimulated(c.env, profile.symbol)), collection: collectionState(outcome) },
      200,
    );
  })
  .openapi(remove, async (c) => {
    const { id } = c.req.valid("param");
    const profile = await getProfile(c.var.db, id);
    if (!profile) throw notFound();
    // Rows first (candles, rollups, archive index, jobs and models cascade with the profile), then the R2
    // objects they pointed at: a failure in between leaves unreferenced objects, never dangling rows.
    await deleteProfile(c.var.db, id);
    await deleteStoredCandles(c.env.BUCKET, profile.symbol);
    await deleteSymbolArtifacts(c.env.BUCKET, profile.symbol);
    await writeAudit(c.var.db, {
      adminId: c.var.admin.id,
      action: "profile.delete",
      target: `profile:${id}`,
      detail: { symbol: profile.symbol },
      ip: clientAddress(c),
    });
    return c.body(null, 204);
  })
  .openapi(status, async (c) => {
    const profile = await getProfile(c.var.db, c.req.valid("param").id);
    if (!profile) throw notFound();
    return c.json(
      { profile_id: profile.id, symbol: profile.symbol, ...(await dataStatus(c.var.db, profile.id)) },
      200,
    );
  })
  .openapi(data, async (c) => {
    const { id, timeframe } = c.req.valid("param");
    const { limit, end } = c.req.valid("query");
    const profile = await getProfile(c.var.db, id);
    if (!profile) throw notFound();
    const candles = await readChart(c.env.BUCKET, c.var.db, profile, timeframe, limit, end);
    return c.json({ symbol: profile.symbol, timeframe, candles }, 200);
  });
