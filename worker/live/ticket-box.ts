// TicketBox: the single-use tickets that open a user's live instrument sockets (browsers cannot send an
// Authorization header on a WebSocket). One object holds them all; an alarm drops the expired ones.
import { DurableObject } from "cloudflare:workers";
import { issueTicket, redeemTicket, sweepTickets } from "../auth/tickets";

export class TicketBox extends DurableObject<Env> {
  /** A random ticket for `userId`, valid once within 60 s. */
  issue(userId: number): Promise<string> {
    return issueTicket(this.ctx.storage, userId);
  }

  /** The user a ticket belongs to, consuming it; null when unknown, used or expired. */
  redeem(ticket: string): Promise<number | null> {
    return redeemTicket(this.ctx.storage, ticket);
  }

  override alarm() {
    return sweepTickets(this.ctx.storage);
  }
}

export const ticketBox = (env: Env) => env.TICKET_BOX.get(env.TICKET_BOX.idFromName("live"));
