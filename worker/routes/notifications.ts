// The signed-in user's notifications (fired alerts), newest first, and marking them read.
import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../app-env";
import { MarkedRead, MarkRead, NotificationList, NotificationQuery } from "../contract/alerts";
import { countUnread, listNotifications, markRead, publicNotification } from "../db/notifications";
import { requireUser } from "../middleware/auth";
import { errors, jsonBody, jsonContent } from "../schemas";

const base = { tags: ["alerts"], security: [{ userBearer: [] }], middleware: [requireUser()] };
const PAGE = 50;

const list = createRoute({
  ...base,
  method: "get",
  path: "/",
  summary: "Fired alerts, newest first (`before`: an id, for older ones), and the unread count",
  request: { query: NotificationQuery },
  responses: { 200: jsonContent(NotificationList, "Notifications"), 400: errors[400], 401: errors[401] },
});

const read = createRoute({
  ...base,
  method: "post",
  path: "/read",
  summary: "Mark notifications read: `{ids: [...]}` or `{all: true}`",
  request: { body: jsonBody(MarkRead) },
  responses: { 200: jsonContent(MarkedRead, "Marked"), 400: errors[400], 401: errors[401] },
});

export const notificationRoutes = createRouter()
  .openapi(list, async (c) => {
    const { before, limit } = c.req.valid("query");
    const [rows, unread] = await Promise.all([
      listNotifications(c.var.db, c.var.user.id, before, limit ?? PAGE),
      countUnread(c.var.db, c.var.user.id),
    ]);
    return c.json({ notifications: rows.map(publicNotification), unread }, 200);
  })
  .openapi(read, async (c) => {
    const body = c.req.valid("json");
    const marked = await markRead(c.var.db, c.var.user.id, body.all ? "all" : (body.ids ?? []));
    return c.json({ marked, unread: await countUnread(c.var.db, c.var.user.id) }, 200);
  });
