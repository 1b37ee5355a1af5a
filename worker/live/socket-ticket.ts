// Single-use WebSocket tickets (browsers cannot send an Authorization header on a WebSocket). Each ticket
// is its own Durable Object, named by its audience and the ticket itself, so no one object carries every
// account's sign-ins (an object serves about 1,000 requests a second) and a user's ticket names no
// object an admin socket would ever look in. The object forgets the ticket when it is used or expires.
import { DurableObject } from "cloudflare:workers";

export const TICKET_TTL_MS = 60_000;
export type TicketAudience = "admin" | "user";

interface Entry {
  owner: number;
  expires: number;
}

export class SocketTicket extends DurableObject<Env> {
  /** Keeps the ticket for account `owner` until `expires` (ms), when an alarm forgets it. */
  async hold(owner: number, expires: number): Promise<void> {
    await this.ctx.storage.put("entry", { owner, expires } satisfies Entry);
    await this.ctx.storage.setAlarm(expires);
  }

  /** The account the ticket belongs to, forgetting it; null when unknown, used or expired. */
  async take(): Promise<number | null> {
    // Input gates hold other calls to this object between the read and the delete: one taker wins.
    const entry = await this.ctx.storage.get<Entry>("entry");
    if (!entry) return null;
    await this.ctx.storage.deleteAll();
    return entry.expires >= Date.now() ? entry.owner : null;
  }

  override async alarm() {
    await this.ctx.storage.deleteAll();
  }
}

/** The object of one ticket. */
export const ticketObject = (env: Env, audience: TicketAudience, ticket: string) =>
  env.SOCKET_TICKET.get(env.SOCKET_TICKET.idFromName(`${audience}:${ticket}`));

/** A random ticket for account `owner` of `audience`, valid once within TICKET_TTL_MS. */
export async function issueTicket(env: Env, audience: TicketAudience, owner: number): Promise<string> {
  const ticket = crypto.randomUUID() + crypto.randomUUID().replaceAll("-", "");
  await ticketObject(env, audience, ticket).hold(owner, Date.now() + TICKET_TTL_MS);
  return ticket;
}

/** The account a ticket of `audience` belongs to, consuming it; null when unknown, used or expired. */
export const redeemTicket = (env: Env, audience: TicketAudience, ticket: string): Promise<number | null> =>
  ticketObject(env, audience, ticket).take();
