// What the live Durable Objects do with their sockets (ProgressHub for admins, an InstrumentFeed per
// instrument, a UserChannel per user): accept an upgrade the Worker authenticated (socket-gate.ts),
// hibernating, with the account in the socket's attachment (a woken object knows it without storage),
// at most `socketLimit` of them (the oldest makes way); send to every socket; answer "ping"; and
// complete a close without ever throwing.
import { DurableObject } from "cloudflare:workers";
import { CLOSE_SUPERSEDED } from "../../core/live";

/** The header on an upgrade the Worker authenticated: the account its ticket belonged to. */
export const ACCOUNT_HEADER = "x-account-id";

interface Attachment {
  accountId: number;
  connectedAt: number;
}

// Close codes an endpoint may send (RFC 6455 7.4): 1000-1003, 1007-1014, and 3000-4999. A socket that
// vanished reports 1006 (no close frame), 1005 (no status) or 1015 (TLS), none of which may be sent.
const sendable = (code: number) =>
  (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);

function closeQuietly(ws: WebSocket, code: number, reason = "closing") {
  try {
    ws.close(code, reason);
  } catch {
    // Already closed or gone: nothing left to tidy up.
  }
}

export abstract class SocketHub extends DurableObject<Env> {
  /** The first frame of a new socket (proxies may hold the upgrade answer until the first frame). */
  protected abstract greeting(request: Request): string;
  /** The answer to a client's "ping", so that clients can check the connection. */
  protected abstract pong(): string;
  /** The most sockets the object holds: a new one beyond it closes the oldest with CLOSE_SUPERSEDED. */
  protected readonly socketLimit: number = Number.POSITIVE_INFINITY;

  override async fetch(request: Request): Promise<Response> {
    const accountId = Number(request.headers.get(ACCOUNT_HEADER));
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket" || !accountId) {
      return new Response("expected an authenticated WebSocket upgrade", { status: 400 });
    }
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({ accountId, connectedAt: Date.now() } satisfies Attachment);
    server.send(this.greeting(request));
    this.makeRoom(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Closes the oldest sockets beyond `socketLimit` (a tab left open somewhere gives way to a new one). */
  private makeRoom(newest: WebSocket) {
    const others = this.ctx.getWebSockets().filter((ws) => ws !== newest);
    const excess = others.length + 1 - this.socketLimit;
    if (excess <= 0) return;
    // The clock stands still within a request: equal times keep their accept order (a stable sort).
    const since = (ws: WebSocket) => (ws.deserializeAttachment() as Attachment).connectedAt;
    const oldest = others.sort((a, b) => since(a) - since(b)).slice(0, excess);
    for (const ws of oldest) closeQuietly(ws, CLOSE_SUPERSEDED, "superseded by a newer connection");
  }

  /** Sends `texts`, in order, to every socket; returns how many sockets got them. */
  protected broadcast(texts: readonly string[]): number {
    let sent = 0;
    for (const ws of this.ctx.getWebSockets()) {
      try {
        for (const t of texts) ws.send(t);
        sent++;
      } catch {
        // A socket closing right now; the close handler tidies up.
      }
    }
    return sent;
  }

  /** Closes every socket with `code`; returns how many there were. */
  protected closeAll(code: number, reason: string): number {
    const sockets = this.ctx.getWebSockets();
    for (const ws of sockets) closeQuietly(ws, code, reason);
    return sockets.length;
  }

  /** Open sockets, and the distinct accounts behind them. */
  protected open(): { sockets: number; accounts: number } {
    const sockets = this.ctx.getWebSockets();
    const accounts = new Set(sockets.map((ws) => (ws.deserializeAttachment() as Attachment).accountId));
    return { sockets: sockets.length, accounts: accounts.size };
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    // Clients only listen; "ping" is the one thing they say.
    if (message === "ping") ws.send(this.pong());
  }

  /**
   * Completes the closing handshake: a hibernated socket's close frame is not answered by the runtime.
   * A socket that vanished reports a code that may not be sent back and may already be gone: answer
   * 1000, and never let a dead socket throw out of the handler.
   */
  override async webSocketClose(ws: WebSocket, code: number) {
    closeQuietly(ws, sendable(code) ? code : 1000);
  }

  override async webSocketError(ws: WebSocket) {
    closeQuietly(ws, 1011);
  }
}
