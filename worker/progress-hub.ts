// ProgressHub: one Durable Object that holds the admins' WebSockets (hibernatable) and broadcasts
// collection and training progress to all of them. It also keeps the single-use connection tickets.
import { DurableObject } from "cloudflare:workers";
import { issueTicket, redeemTicket, sweepTickets } from "./auth/tickets";
import type { ProgressEvent, ProgressType } from "./contract";

interface Attachment {
  adminId: number;
  connectedAt: number;
}

// Close codes an endpoint may send (RFC 6455 7.4): 1000-1003, 1007-1014, and 3000-4999.
const SENDABLE_CLOSE_CODE = (code: number) =>
  (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);

function closeQuietly(ws: WebSocket, code: number) {
  try {
    ws.close(code, "closing");
  } catch {
    // Already closed or gone: nothing left to tidy up.
  }
}

export class ProgressHub extends DurableObject<Env> {
  /** A random single-use ticket for `adminId`, valid for 60 s. */
  issueTicket(adminId: number): Promise<string> {
    return issueTicket(this.ctx.storage, adminId);
  }

  /** The admin a ticket belongs to, consuming it; null when unknown, used or expired. */
  redeemTicket(ticket: string): Promise<number | null> {
    return redeemTicket(this.ctx.storage, ticket);
  }

  /** Accepts the upgrade the Worker already authenticated (X-Admin-Id set from a redeemed ticket). */
  override async fetch(request: Request): Promise<Response> {
    const adminId = Number(request.headers.get("x-admin-id"));
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket" || !adminId) {
      return new Response("expected an authenticated WebSocket upgrade", { status: 400 });
    }
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({ adminId, connectedAt: Date.now() } satisfies Attachment);
    server.send(JSON.stringify(this.event("status_update", "connected")));
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Sends one event to every connected admin; returns how many sockets got it. */
  async publish(event: ProgressEvent): Promise<number> {
    const text = JSON.stringify(event);
    let sent = 0;
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(text);
        sent++;
      } catch {
        // A socket closing right now; the close handler tidies up.
      }
    }
    return sent;
  }

  connections(): number {
    return this.ctx.getWebSockets().length;
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    // Admins only listen; answer pings so clients can check the connection.
    if (message === "ping") ws.send(JSON.stringify(this.event("status_update", "pong")));
  }

  /**
   * Completes the closing handshake. A socket that vanished (1006, no close frame; 1005, no status;
   * 1015, TLS) reports a code that may not be sent back, and may already be gone: answer 1000, and
   * never let a dead socket throw out of the handler.
   */
  override async webSocketClose(ws: WebSocket, code: number) {
    closeQuietly(ws, SENDABLE_CLOSE_CODE(code) ? code : 1000);
  }

  override async webSocketError(ws: WebSocket) {
    closeQuietly(ws, 1011);
  }

  override alarm() {
    return sweepTickets(this.ctx.storage);
  }

  private event(type: ProgressType, message: string): ProgressEvent {
    return {
      type,
      job_id: null,
      profile_id: null,
      symbol: null,
      progress: null,
      message,
      time: new Date().toISOString(),
    };
  }
}

/** The one hub every Worker invocation talks to. */
export const hub = (env: Env) => env.PROGRESS_HUB.get(env.PROGRESS_HUB.idFromName("global"));

/** Publishes without ever failing the caller: progress is best effort, the job row is the truth. */
export async function publishProgress(env: Env, e: Omit<ProgressEvent, "time">) {
  try {
    await hub(env).publish({ ...e, time: new Date().toISOString() });
  } catch (err) {
    console.warn(`progress publish failed: ${(err as Error).name}`);
  }
}
