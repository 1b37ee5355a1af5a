// TicketBox: the single-use tickets that open a user's live instrument sockets (browsers cannot send an
// Authorization header on a WebSocket). One object holds them all; an alarm drops the expired ones.
import { DurableObject } from "cloudflare:workers";

export const LIVE_TICKET_TTL_MS = 60_000;
const PREFIX = "ticket:";

interface Entry {
  userId: number;
  expires: number;
}

export class TicketBox extends DurableObject<Env> {
  /** A random ticket for `userId`, valid once within 60 s. */
  async issue(userId: number): Promise<string> {
    const ticket = crypto.randomUUID() + crypto.randomUUID().replaceAll("-", "");
    await this.ctx.storage.put(`${PREFIX}${ticket}`, { userId, expires: Date.now() + LIVE_TICKET_TTL_MS });
    if ((await this.ctx.storage.getAlarm()) === null)
      await this.ctx.storage.setAlarm(Date.now() + LIVE_TICKET_TTL_MS);
    return ticket;
  }

  /** The user a ticket belongs to, consuming it; null when unknown, used or expired. */
  async redeem(ticket: string): Promise<number | null> {
    const key = `${PREFIX}${ticket}`;
    const entry = await this.ctx.storage.get<Entry>(key);
    if (!entry) return null;
    await this.ctx.storage.delete(key);
    return entry.expires >= Date.now() ? entry.userId : null;
  }

  override async alarm() {
    const now = Date.now();
    const tickets = await this.ctx.storage.list<Entry>({ prefix: PREFIX });
    const expired = [...tickets].filter(([, v]) => v.expires < now).map(([k]) => k);
    if (expired.length) await this.ctx.storage.delete(expired);
    if (tickets.size > expired.length) await this.ctx.storage.setAlarm(now + LIVE_TICKET_TTL_MS);
  }
}

export const ticketBox = (env: Env) => env.TICKET_BOX.get(env.TICKET_BOX.idFromName("live"));
