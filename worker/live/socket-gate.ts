// The Worker's side of both live sockets: a single-use ticket for the signed-in account, then the
// upgrade, authenticated by that ticket here before it is forwarded to the Durable Object that holds
// the socket (socket-hub.ts), which trusts the account header only from the Worker.
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { ACCOUNT_HEADER } from "./socket-hub";
import { redeemTicket, type TicketAudience } from "./socket-ticket";

export { issueTicket } from "./socket-ticket";

/** Where an authenticated upgrade goes: the object, and any headers it needs besides the account. */
export interface SocketTarget {
  stub: { fetch(request: Request): Promise<unknown> };
  headers?: Record<string, string>;
}

/**
 * 426 without a WebSocket upgrade, 401 for a ticket that is unknown, used or expired; otherwise the
 * upgrade, forwarded to `target(account)` (which may still refuse: a 404 for an unknown instrument).
 */
export async function forwardUpgrade(
  c: Context<AppEnv>,
  audience: TicketAudience,
  ticket: string,
  target: (accountId: number) => Promise<SocketTarget> | SocketTarget,
): Promise<Response> {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(426, "upgrade_required", "Connect with a WebSocket upgrade");
  }
  const accountId = await redeemTicket(c.env, audience, ticket);
  if (accountId === null) throw new ApiError(401, "invalid_ticket", "The ticket is unknown, used or expired");
  const { stub, headers: extra = {} } = await target(accountId);
  const headers = new Headers(c.req.raw.headers);
  headers.set(ACCOUNT_HEADER, String(accountId));
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return (await stub.fetch(new Request(c.req.raw.url, { headers }))) as Response;
}
