// The signed-in user's notifications (fired alerts), newest first, and marking them read.
import { createRouter } from "../app-env";
import { MarkedRead, MarkRead, NotificationList, NotificationQuery } from "../contract/alerts";
import { countUnread, listNotifications, markRead, publicNotification } from "../db/notifications";
import { declare, userRoute } from "../middleware/declare-route";
import { jsonBody, jsonContent } from "../schemas";

const base = userRoute("alerts");
const PAGE = 50;

const list = declare(base, "get", "/", [400, 401], {
  summary: "Fired alerts, newest first (`before`: an id, for older ones), and the unread count",
  request: { query: NotificationQuery },
  responses: { 200: jsonContent(NotificationList, "Notifications") },
});

const read = declare(base, "post", "/read", [400, 401], {
  summary: "Mark notifications read: `{ids: [...]}` or `{all: true}`",
  request: { body: jsonBody(MarkRead) },
  responses: { 200: jsonContent(MarkedRead, "Marked") },
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
