// UserChannel: one Durable Object per user holding the sockets of that user's open dashboards
// (hibernatable, socket-hub.ts), whatever instrument each shows. Every notification stored for the user
// (alerts/deliver.ts) is sent to all of them at once. It stores nothing and sets no alarm: a user with
// no open dashboard costs a call that finds no socket, and a hibernating one costs nothing.
import { CLOSE_ACCOUNT_GONE, USER_CHANNEL_SOCKETS_MAX } from "../../core/live";
import { pool } from "../../core/pool";
import type { UserEvent } from "../contract";
import type { PublicNotification } from "../db/notifications";
import { SocketHub } from "./socket-hub";

export class UserChannel extends SocketHub {
  protected override readonly socketLimit = USER_CHANNEL_SOCKETS_MAX;

  /** Sends a newly stored notification to every open dashboard of the user; returns how many got it. */
  async notify(notification: PublicNotification): Promise<number> {
    return this.broadcast([JSON.stringify({ type: "notification", notification } satisfies UserEvent)]);
  }

  /** The account is gone: its open dashboards are told so and hear nothing more. */
  async accountDeleted(): Promise<number> {
    return this.closeAll(CLOSE_ACCOUNT_GONE, "account deleted");
  }

  /** Open dashboards. */
  connections(): number {
    return this.open().sockets;
  }

  protected greeting() {
    return JSON.stringify({ type: "connected" } satisfies UserEvent);
  }

  protected pong() {
    return JSON.stringify({ type: "pong" } satisfies UserEvent);
  }
}

/** The channel of user `userId`. */
export const userChannel = (env: Env, userId: number) =>
  env.USER_CHANNEL.get(env.USER_CHANNEL.idFromName(`user:${userId}`));

/** Calls to users' channels in flight at once (a crossing of a popular level fires for many users). */
const LIVE_SENDS_AT_ONCE = 20;

/**
 * Each notification to its owner's channel, which reaches every open dashboard of the owner. Best effort
 * (the stored row is the truth; a dashboard whose channel is down polls): a failed call is logged, and
 * never keeps the others or Web Push from going out.
 */
export async function notifyOwners(env: Env, stored: readonly (PublicNotification & { userId: number })[]) {
  await pool(stored, LIVE_SENDS_AT_ONCE, async ({ userId, ...notification }) => {
    try {
      await userChannel(env, userId).notify(notification);
    } catch (err) {
      console.warn(`notification ${notification.id}: user channel not reached (${(err as Error).name})`);
    }
  });
}
