// The PUSH_QUEUE consumer: one message per (notification, subscription), so a retry re-sends to that
// browser only. 2xx: delivered; 404/410: the subscription is gone and is deleted; 429 and 5xx (and
// network failures): delivered again after the push service's Retry-After or an exponential backoff;
// any other answer is logged and dropped (retrying cannot fix a refused message).
import { getDb } from "../db/client";
import { getNotification, publicNotification } from "../db/notifications";
import { deleteSubscription, getSubscription } from "../db/push-subscriptions";
import { sendPush } from "./web-push";

export interface PushMessage {
  notificationId: number;
  subscriptionId: number;
}

/** Seconds before attempt `attempts + 1`: 5, 10, 20, ... at most 10 minutes. */
export const pushBackoff = (attempts: number) => Math.min(5 * 2 ** Math.max(0, attempts - 1), 600);

/** What the service worker receives: the notification and where a click takes the user. */
export const pushPayload = (n: ReturnType<typeof publicNotification>) => ({
  ...n,
  url: `/dashboard?symbol=${encodeURIComponent(n.symbol)}`,
});

export async function consumePush(batch: MessageBatch<PushMessage>, env: Env) {
  const db = getDb(env.DB);
  for (const msg of batch.messages) {
    const { notificationId, subscriptionId } = msg.body;
    try {
      const [n, sub] = await Promise.all([
        getNotification(db, notificationId),
        getSubscription(db, subscriptionId),
      ]);
      // The account, the subscription or the notification is gone: nothing left to send.
      if (!n || !sub || sub.userId !== n.userId) {
        msg.ack();
        continue;
      }
      const out = await sendPush(env, sub, pushPayload(publicNotification(n)));
      if (out.status >= 200 && out.status < 300) msg.ack();
      else if (out.status === 404 || out.status === 410) {
        await deleteSubscription(db, sub.id);
        msg.ack();
      } else if (out.status === 429 || out.status >= 500) {
        msg.retry({ delaySeconds: out.retryAfter ?? pushBackoff(msg.attempts) });
      } else {
        console.warn(`push ${notificationId} -> subscription ${sub.id}: refused with ${out.status}`);
        msg.ack();
      }
    } catch (err) {
      console.error(`push ${notificationId} failed (attempt ${msg.attempts}): ${(err as Error).name}`);
      msg.retry({ delaySeconds: pushBackoff(msg.attempts) });
    }
  }
}
