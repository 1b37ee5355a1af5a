// What happens once alerts fired: each event is stored as a notification (once: its key is unique, so
// an event evaluated twice stores and sends nothing the second time), the armed states are saved in the
// same batch, and every new notification is announced: sent to its owner's open dashboards through the
// user's channel (one call per notification, whatever instrument they show) and queued for Web Push,
// one message per subscription (the PUSH_QUEUE consumer sends them and retries, so a slow push service
// never holds up collection).
import { inArray } from "drizzle-orm";
import { pushSubscriptions } from "../db/alerts-schema";
import type { Db } from "../db/client";
import { type NotificationRow, type PublicNotification, publicNotification } from "../db/notifications";
import type { PushMessage } from "../push/push-queue";
import { describe, type EventFacts } from "./messages";

// D1 binds at most 100 parameters a statement.
const D1_IN_CHUNK = 90;

export type StoredNotification = PublicNotification & { userId: number };

export interface Fired extends EventFacts {
  alertId: number;
  userId: number;
  eventKey: string;
}

export interface ArmedChange {
  id: number;
  armed: boolean | null;
  fired: boolean;
}

interface EventRow {
  id: number;
  user_id: number;
  alert_id: number | null;
  event_key: string;
  symbol: string;
  kind: string;
  title: string;
  body: string;
  event_time: number;
  created_at: number;
  read_at: number | null;
}

const toRow = (r: EventRow): NotificationRow => ({
  id: r.id,
  userId: r.user_id,
  alertId: r.alert_id,
  eventKey: r.event_key,
  symbol: r.symbol,
  kind: r.kind as NotificationRow["kind"],
  title: r.title,
  body: r.body,
  eventTime: r.event_time,
  createdAt: new Date(r.created_at * 1000),
  readAt: r.read_at === null ? null : new Date(r.read_at * 1000),
});

/**
 * Saves armed states and stores the events in one batch (one transaction); returns the notifications
 * stored now. An event is stored only while its alert exists and is enabled (a feed's copy of the
 * alerts may lag a deletion by a moment), for the alert's owner, and only once per key.
 */
export async function storeEvents(
  d1: D1Database,
  fired: readonly Fired[],
  changes: readonly ArmedChange[],
): Promise<StoredNotification[]> {
  if (fired.length === 0 && changes.length === 0) return [];
  const nowSec = Math.floor(Date.now() / 1000);
  const inserts = fired.map((f) => {
    const { title, body } = describe(f);
    return d1
      .prepare(
        `insert into notifications (user_id, alert_id, event_key, symbol, kind, title, body, event_time)
         select a.user_id, a.id, ?2, ?3, ?4, ?5, ?6, ?7 from alerts a where a.id = ?1 and a.enabled = 1
         on conflict (event_key) do nothing
         returning *`,
      )
      .bind(f.alertId, f.eventKey, f.symbol, f.kind, title, body, f.time);
  });
  const saves = changes.map((c) =>
    c.fired
      ? d1
          .prepare("update alerts set armed = ?2, last_fired_at = ?3 where id = ?1")
          .bind(c.id, c.armed, nowSec)
      : d1.prepare("update alerts set armed = ?2 where id = ?1").bind(c.id, c.armed),
  );
  const results = await d1.batch<EventRow>([...inserts, ...saves]);
  return results
    .slice(0, inserts.length)
    .flatMap((r) => r.results)
    .map((r) => ({ ...publicNotification(toRow(r)), userId: r.user_id }));
}

/**
 * Sends notifications stored now to their owners' open dashboards (`sendLive`: the users' channels, which
 * the caller in live/ owns) and queues their Web Push messages.
 */
export async function announce(
  env: Env,
  db: Db,
  stored: readonly StoredNotification[],
  sendLive: (stored: readonly StoredNotification[]) => Promise<void>,
) {
  if (stored.length === 0) return;
  await Promise.all([sendLive(stored), queuePushes(env, db, stored)]);
}

/** Queues a Web Push message per subscription of each notification's user. */
async function queuePushes(env: Env, db: Db, stored: readonly { id: number; userId: number }[]) {
  if (stored.length === 0) return 0;
  const users = [...new Set(stored.map((n) => n.userId))];
  const subs: { id: number; userId: number }[] = [];
  for (let i = 0; i < users.length; i += D1_IN_CHUNK)
    subs.push(
      ...(await db
        .select({ id: pushSubscriptions.id, userId: pushSubscriptions.userId })
        .from(pushSubscriptions)
        .where(inArray(pushSubscriptions.userId, users.slice(i, i + D1_IN_CHUNK)))),
    );
  const messages: { body: PushMessage }[] = [];
  for (const n of stored)
    for (const s of subs)
      if (s.userId === n.userId) messages.push({ body: { notificationId: n.id, subscriptionId: s.id } });
  for (let i = 0; i < messages.length; i += 100) await env.PUSH_QUEUE.sendBatch(messages.slice(i, i + 100));
  return messages.length;
}
