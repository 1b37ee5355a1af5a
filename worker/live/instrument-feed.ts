// InstrumentFeed: one Durable Object per instrument holding its viewers' WebSockets (hibernatable,
// socket-hub.ts) and pushing every newly collected candle and every model change to all of them.
import type { Candle } from "../../core/candles/types";
import type { LiveEvent } from "../contract";
import { SocketHub } from "./socket-hub";

/** The header that names the instrument on an upgrade forwarded to its feed. */
export const SYMBOL_HEADER = "x-symbol";

export class InstrumentFeed extends SocketHub {
  /** Sends events, in order, to every viewer; returns how many sockets got them. */
  async publish(events: LiveEvent[]): Promise<number> {
    return this.broadcast(events.map((e) => JSON.stringify(e)));
  }

  /** Open sockets, and the distinct users behind them. */
  viewers(): { sockets: number; users: number } {
    const { sockets, accounts } = this.open();
    return { sockets, users: accounts };
  }

  protected greeting(request: Request) {
    const symbol = request.headers.get(SYMBOL_HEADER) ?? "";
    return JSON.stringify({ type: "connected", symbol } satisfies LiveEvent);
  }

  protected pong() {
    return '{"type":"pong"}';
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
