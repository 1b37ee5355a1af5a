// "/api/watchlist": every trained instrument with the user's star, its current signal and a 24 h
// sparkline; stars are set per user.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { createRouter } from "../app-env";
import { SymbolParam } from "../contract/instruments";
import { SPARKLINE_HOURS, StarAnswer, Watchlist } from "../contract/watchlist";
import { listTrainedProfiles, trainedProfile } from "../db/profiles";
import { setStar, starredProfiles } from "../db/watchlist";
import { servedInsights } from "../ledger/served";
import { readChart } from "../market/chart";
import { requireUser } from "../middleware/auth";
import { rateLimit } from "../middleware/rate-limit";
import { errors, jsonContent } from "../schemas";

const tags = ["watchlist"];
const security = [{ userBearer: [] }];

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  security,
  // Each row asks for its instrument's served signal: limited as the signal route is.
  middleware: [requireUser(), rateLimit("heavy")],
  summary: "Trained instruments with the user's stars, their current signal and a 24 h sparkline",
  responses: { 200: jsonContent(Watchlist, "Watchlist"), 401: errors[401], 429: errors[429] },
});

const star = (method: "put" | "delete", summary: string) =>
  createRoute({
    method,
    path: "/{symbol}/star",
    tags,
    security,
    middleware: [requireUser()],
    summary,
    request: { params: SymbolParam },
    responses: {
      200: jsonContent(StarAnswer, "The instrument's star now"),
      400: errors[400],
      401: errors[401],
      404: errors[404],
    },
  });

const keepAlive = (c: Context) => (work: Promise<unknown>) => c.executionCtx.waitUntil(work);

export const watchlistRoutes = createRouter()
  .openapi(list, async (c) => {
    const [profiles, stars] = await Promise.all([
      listTrainedProfiles(c.var.db),
      starredProfiles(c.var.db, c.var.user.id),
    ]);
    const rows = await Promise.all(
      profiles.map(async (p) => {
        const [served, hours] = await Promise.all([
          // One instrument whose signal cannot be computed now must not take the list down.
          servedInsights(c.env, c.var.db, p, keepAlive(c)).catch(() => null),
          readChart(c.env.BUCKET, c.var.db, p, "1h", SPARKLINE_HOURS + 1),
        ]);
        return {
          symbol: p.symbol,
          starred: stars.has(p.id),
          signal: served?.signal.signal ?? null,
          sparkline: hours.slice(-SPARKLINE_HOURS).map((h) => ({ time: h.time, close: h.close })),
        };
      }),
    );
    return c.json({ instruments: rows }, 200);
  })
  .openapi(star("put", "Stars a trained instrument for the user"), async (c) => {
    const p = await trainedProfile(c.var.db, c.req.valid("param").symbol);
    await setStar(c.var.db, c.var.user.id, p.id, true);
    return c.json({ symbol: p.symbol, starred: true }, 200);
  })
  .openapi(star("delete", "Removes the user's star from an instrument"), async (c) => {
    const p = await trainedProfile(c.var.db, c.req.valid("param").symbol);
    await setStar(c.var.db, c.var.user.id, p.id, false);
    return c.json({ symbol: p.symbol, starred: false }, 200);
  });
