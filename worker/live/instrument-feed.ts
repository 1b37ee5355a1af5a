// InstrumentFeed: one Durable Object per instrument holding its viewers' WebSockets (hibernatable; each
// socket's user rides in its attachment, so a woken object knows them without storage) and pushing
// every newly collected candle and every model change to all of them.
import { DurableObject } from "cloudflare:workers";
import type { Candle } from "../../core/candles/types";
import type { LiveEvent } from "../contract";

interface Attachment {
  userId: number;
  connectedAt: number;
}

export class InstrumentFeed extends DurableObject<Env> {
  /** Accepts the upgrade the Worker already authenticated (X-User-Id set from a redeemed ticket). */
  override async fetch(request: Request): Promise<Response> {
    const userId = Number(request.headers.get("x-user-id"));
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket" || !userId) {
      return new Response("expected an authenticated WebSocket upgrade", { status: 400 });
    }
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({ userId, connectedAt: Date.now() } satisfies Attachment);
    const symbol = request.headers.get("x-symbol") ?? "";
    server.send(JSON.stringify({ type: "connected", symbol } satisfies LiveEvent));
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Sends events, in order, to every viewer; returns how many sockets got them. */
  async publish(events: LiveEvent[]): Promise<number> {
    const texts = events.map((e) => JSON.stringify(e));
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

  /** Open sockets, and the distinct users behind them. */
  viewers(): { sockets: number; users: number } {
    const sockets = this.ctx.getWebSockets();
    const users = new Set(sockets.map((ws) => (ws.deserializeAttachment() as Attachment).userId));
    return { sockets: sockets.length, users: users.size };
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    // Viewers only listen; "ping" lets a client check the connection.
    if (message === "ping") ws.send('{"type":"pong"}');
  }

  override async webSocketClose(ws: WebSocket, code: number) {
    ws.close(code === 1005 ? 1000 : code, "closing");
  }
}

export const instrumentFeed = (env: Env, symbol: string) =>
  env.INSTRUMENT_FEED.get(env.INSTRUMENT_FEED.idFromName(symbol.toUpperCase()));

// A catch-up after an outage can store thousands of minutes; viewers need only the newest to draw.
export const LIVE_CANDLES_MAX = 60;

/** Pushes newly stored candles; never fails the caller (the stored rows are the truth, polling the fallback). */
export async function publishCandles(env: Env, symbol: string, candles: readonly Candle[]) {
  if (candles.length === 0) return;
  const events: LiveEvent[] = candles.slice(-LIVE_CANDLES_MAX).map((c) => ({
    type: "candle",
    symbol,
    candle: { time: c.time, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume },
  }));
  await publishQuietly(env, symbol, events);
}

/** Tells viewers that forecasts and the signal changed (a model version became active). */
export async function publishModelChange(env: Env, symbol: string, at = new Date()) {
  const generated_at = at.toISOString();
  await publishQuietly(env, symbol, [
    { type: "forecast", symbol, generated_at },
    { type: "signal", symbol, generated_at },
  ]);
}

async function publishQuietly(env: Env, symbol: string, events: LiveEvent[]) {
  try {
    await instrumentFeed(env, symbol).publish(events);
  } catch (err) {
    console.warn(`live publish ${symbol} failed: ${(err as Error).name}`);
  }
}
