// Live progress for admins: a single-use ticket (browsers cannot send headers on a WebSocket), then
// the upgrade, authenticated by it (live/socket-gate.ts) before it is forwarded to the ProgressHub.
import { createRouter } from "../app-env";
import { WsQuery, WsTicket } from "../contract/progress";
import { forwardUpgrade, issueTicket } from "../live/socket-gate";
import { adminRoute, declare } from "../middleware/declare-route";
import { rateLimit } from "../middleware/rate-limit";
import { hub } from "../progress-hub";
import { jsonContent } from "../schemas";

const ticket = declare(adminRoute(rateLimit("ticket")), "post", "/ticket", [401, 429], {
  summary: "A single-use WebSocket ticket, valid 60 s",
  responses: { 200: jsonContent(WsTicket, "The ticket") },
});

const connect = declare({ tags: ["admin"] }, "get", "/", [400, 401, 426], {
  summary: "WebSocket upgrade: progress events {type, job_id, profile_id, symbol, progress, message, time}",
  request: { query: WsQuery },
  responses: { 101: { description: "Switching protocols" } },
});

export const adminWsRoutes = createRouter()
  .openapi(ticket, async (c) => c.json({ ticket: await issueTicket(c.env, "admin", c.var.admin.id) }, 200))
  .openapi(connect, (c) =>
    forwardUpgrade(c, "admin", c.req.valid("query").ticket, () => ({ stub: hub(c.env) })),
  );
