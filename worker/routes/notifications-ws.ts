// A user's own live channel: a single-use ticket from the user's token, then the upgrade to the user's
// UserChannel, authenticated by it (live/socket-gate.ts). It carries the user's notifications as they
// are stored, whatever instrument the dashboard shows.
import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../app-env";
import { LiveQuery, LiveTicket } from "../contract/live";
import { forwardUpgrade, issueTicket } from "../live/socket-gate";
import { userChannel } from "../live/user-channel";
import { requireUser } from "../middleware/auth";
import { rateLimit } from "../middleware/rate-limit";
import { errors, jsonContent } from "../schemas";

const ticket = createRoute({
  method: "post",
  path: "/ws/ticket",
  tags: ["alerts"],
  summary: "A single-use ticket for the user's live channel, valid 60 s",
  security: [{ userBearer: [] }],
  middleware: [requireUser(), rateLimit("ticket")],
  responses: { 200: jsonContent(LiveTicket, "The ticket"), 401: errors[401], 429: errors[429] },
});

const connect = createRoute({
  method: "get",
  path: "/ws",
  tags: ["alerts"],
  summary:
    'WebSocket upgrade: {type: "notification", notification} for each of the user\'s newly fired alerts, on any instrument; {type: "connected"} first. At most 8 sockets a user: a newer one closes the oldest with 4008',
  request: { query: LiveQuery },
  responses: {
    101: { description: "Switching protocols" },
    400: errors[400],
    401: errors[401],
    426: errors[426],
  },
});

export const notificationWsRoutes = createRouter()
  .openapi(ticket, async (c) => c.json({ ticket: await issueTicket(c.env, "user", c.var.user.id) }, 200))
  .openapi(connect, (c) =>
    forwardUpgrade(c, "user", c.req.valid("query").ticket, (userId) => ({
      stub: userChannel(c.env, userId),
    })),
  );
