// Queries over notifications, db first (alerts/deliver.ts stores them, once per event key).
import { and, desc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import type { AlertKind } from "../../core/alerts/rules";
import { notifications } from "./alerts-schema";
import type { Db } from "./client";

export type NotificationRow = typeof notifications.$inferSelect;

export const publicNotification = (n: NotificationRow) => ({
  id: n.id,
  alert_id: n.alertId,
  symbol: n.symbol,
  kind: n.kind as AlertKind,
  title: n.title,
  body: n.body,
  event_time: n.eventTime,
  created_at: n.createdAt.toISOString(),
  read: n.readAt !== null,
});
export type PublicNotification = ReturnType<typeof publicNotification>;

export async function listNotifications(db: Db, userId: number, before: number | undefined, limit: number) {
  return db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), before ? lt(notifications.id, before) : undefined))
    .orderBy(desc(notifications.id))
    .limit(limit);
}

export async function countUnread(db: Db, userId: number) {
  const rows = await db
    .select({ n: sql<number>`count(*)` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return rows[0]?.n ?? 0;
}

/** Marks the user's notifications `ids` (or all of them) read; returns how many changed. */
export async function markRead(db: Db, userId: number, ids: number[] | "all") {
  const rows = await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(
      and(
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        ids === "all" ? undefined : inArray(notifications.id, ids),
      ),
    )
    .returning({ id: notifications.id });
  return rows.length;
}

export async function getNotification(db: Db, id: number) {
  return (await db.select().from(notifications).where(eq(notifications.id, id)))[0] ?? null;
}
