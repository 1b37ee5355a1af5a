// Live progress for admins: a single-use ticket (browsers cannot send headers on a WebSocket), then
// the upgrade, authenticated by it (live/socket-gate.ts) before it is forwarded to the ProgressHub.
import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../app-env";
import { WsQuery, WsTicket } from "../contract/progress";
import { forwardUpgrade, issueTicket } from "../live/socket-gate";
import { requireAdmin } from "../middleware/auth";
import { rateLimit } from "../middleware/rate-limit";
import { hub } from "../progress-hub";
import { errors, jsonContent } from "../schemas";

const ticket = createRoute({
  method: "post",
  path: "/ticket",
  tags: ["admin"],
  summary: "A single-use WebSocket ticket, valid 60 s",
  security: [{ adminBearer: [] }],
  middleware: [requireAdmin(), rateLimit("ticket")],
  responses: { 200: jsonContent(WsTicket, "The ticket"), 401: errors[401], 429: errors[429] },
});

const connect = createRoute({
  method: "get",
  path: "/",
  tags: ["admin"],
  summary: "WebSocket upgrade: progress events {type, job_id, profile_id, symbol, progress, message, time}",
  request: { query: WsQuery },
  responses: {
    101: { description: "Switching protocols" },
    400: errors[400],
    401: errors[401],
    426: errors[426],
  },
});

export const adminWsRoutes = createRouter()
  .openapi(ticket, async (c) => c.json({ ticket: await issueTicket(c.env, "admin", c.var.admin.id) }, 200))
  .openapi(connect, (c) =>
    forwardUpgrade(c, "admin", c.req.valid("query").ticket, () => ({ stub: hub(c.env) })),
  );
