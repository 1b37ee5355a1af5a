// Queries over Web Push subscriptions, db first. An endpoint is one browser profile: subscribing it
// again (after signing in as someone else, say) moves it to the new account.
import { and, eq, sql } from "drizzle-orm";
import { pushSubscriptions } from "./alerts-schema";
import type { Db } from "./client";

export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;

/** Stores the subscription for `userId` unless the user has `cap` others; null when capped. */
export async function upsertSubscription(
  d1: D1Database,
  s: { userId: number; endpoint: string; p256dh: string; auth: string },
  cap: number,
): Promise<number | null> {
  const row = await d1
    .prepare(
      `insert into push_subscriptions (user_id, endpoint, p256dh, auth)
       select ?1, ?2, ?3, ?4
       where (select count(*) from push_subscriptions where user_id = ?1 and endpoint <> ?2) < ?5
       on conflict (endpoint) do update set user_id = excluded.user_id, p256dh = excluded.p256dh,
         auth = excluded.auth, created_at = unixepoch()
       returning id`,
    )
    .bind(s.userId, s.endpoint, s.p256dh, s.auth, cap)
    .first<{ id: number }>();
  return row?.id ?? null;
}

export async function deleteUserSubscription(db: Db, userId: number, endpoint: string) {
  const rows = await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, endpoint)))
    .returning({ id: pushSubscriptions.id });
  return rows.length > 0;
}

export const userSubscriptions = (db: Db, userId: number) =>
  db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, userId));

export async function getSubscription(db: Db, id: number) {
  return (await db.select().from(pushSubscriptions).where(eq(pushSubscriptions.id, id)))[0] ?? null;
}

/** A push service said the subscription is gone (404/410): forget it. */
export async function deleteSubscription(db: Db, id: number) {
  await db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, id));
}

export const countSubscriptions = async (db: Db, userId: number) =>
  (
    await db
      .select({ n: sql<number>`count(*)` })
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.userId, userId))
  )[0]?.n ?? 0;
