// Live candles for users: a single-use ticket from the user's token, then the upgrade to one
// instrument's feed, authenticated by it (live/socket-gate.ts) before it is forwarded to that
// instrument's InstrumentFeed.
import { createRouter } from "../app-env";
import { LiveParams, LiveQuery, LiveTicket } from "../contract/live";
import { trainedProfile } from "../db/profiles";
import { instrumentFeed, SYMBOL_HEADER } from "../live/instrument-feed";
import { forwardUpgrade, issueTicket } from "../live/socket-gate";
import { requireUser } from "../middleware/auth";
import { declare, userRoute } from "../middleware/declare-route";
import { rateLimit } from "../middleware/rate-limit";
import { jsonContent } from "../schemas";

const ticket = declare(
  userRoute("instruments", requireUser(), rateLimit("ticket")),
  "post",
  "/ws/ticket",
  [401, 429],
  {
    summary: "A single-use ticket for an instrument's live socket, valid 60 s",
    responses: { 200: jsonContent(LiveTicket, "The ticket") },
  },
);

const connect = declare({ tags: ["instruments"] }, "get", "/{symbol}/ws", [400, 401, 404, 426], {
  summary:
    'WebSocket upgrade: {type: "candle", symbol, candle} per newly collected 1m candle, {type: "forecast"|"signal", symbol, generated_at} when a model changes',
  request: { params: LiveParams, query: LiveQuery },
  responses: { 101: { description: "Switching protocols" } },
});

export const instrumentWsRoutes = createRouter()
  .openapi(ticket, async (c) => c.json({ ticket: await issueTicket(c.env, "user", c.var.user.id) }, 200))
  .openapi(connect, (c) =>
    forwardUpgrade(c, "user", c.req.valid("query").ticket, async () => {
      const p = await trainedProfile(c.var.db, c.req.valid("param").symbol);
      return { stub: instrumentFeed(c.env, p.symbol), headers: { [SYMBOL_HEADER]: p.symbol } };
    }),
  );
