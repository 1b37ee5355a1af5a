// InstrumentFeed: one Durable Object per instrument holding its viewers' WebSockets (hibernatable,
// socket-hub.ts) and pushing every newly collected candle and every model change to all of them. It sees
// every new candle first, so it also evaluates the instrument's alerts (alerts/alert-watch.ts) and hands
// what fired to alerts/deliver.ts, which announces it to its owner (the user's channel, Web Push).
import type { Candle } from "../../core/candles/types";
import { AlertWatch, type HourFacts } from "../alerts/alert-watch";
import { announce, type StoredNotification } from "../alerts/deliver";
import type { LiveEvent } from "../contract";
import { getDb } from "../db/client";
import { SocketHub } from "./socket-hub";
import { notifyOwners } from "./user-channel";

/** The header that names the instrument on an upgrade forwarded to its feed. */
export const SYMBOL_HEADER = "x-symbol";

export class InstrumentFeed extends SocketHub {
  private readonly watch = new AlertWatch(this.ctx.storage, this.env);

  /** Sends events, in order, to every viewer; returns how many sockets got them. */
  async publish(events: LiveEvent[]): Promise<number> {
    return this.broadcast(events.map((e) => JSON.stringify(e)));
  }

  /**
   * Newly stored candles: sent to every viewer, then the instrument's alerts evaluated on them. Returns
   * the sockets reached and the notifications stored now.
   */
  async arrive(symbol: string, events: LiveEvent[], candles: Candle[]) {
    const sockets = this.broadcast(events.map((e) => JSON.stringify(e)));
    await this.ctx.storage.put("symbol", symbol);
    const notified = await this.notify(await this.watch.candles(symbol, candles));
    return { sockets, notified };
  }

  /** The hour closed: its signal and the band forecast for the running hour (ledger/tick.ts). */
  async hourClosed(symbol: string, facts: HourFacts) {
    return this.notify(await this.watch.hour(symbol, facts));
  }

  /** An alert of this instrument was created, changed or deleted. */
  async alertsChanged() {
    await this.watch.changed();
  }

  override async alarm() {
    const symbol = await this.ctx.storage.get<string>("symbol");
    if (symbol) await this.notify(await this.watch.staleCheck(symbol));
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

  /** Announces each new notification to its owner (deliver.ts); viewers here get none of them. */
  private async notify(stored: StoredNotification[]) {
    await announce(this.env, getDb(this.env.DB), stored, (s) => notifyOwners(this.env, s));
    return stored.length;
  }
}

export const instrumentFeed = (env: Env, symbol: string) =>
  env.INSTRUMENT_FEED.get(env.INSTRUMENT_FEED.idFromName(symbol.toUpperCase()));

// A catch-up after an outage can store thousands of minutes; viewers need only the newest to draw, and
// alerts are evaluated on the same newest minutes (an hour-old crossing is no longer news).
export const LIVE_CANDLES_MAX = 60;

/**
 * Pushes newly stored candles and evaluates the instrument's alerts on them; never fails the caller (the
 * stored rows are the truth, polling the fallback).
 */
export async function publishCandles(env: Env, symbol: string, candles: readonly Candle[]) {
  if (candles.length === 0) return;
  const newest = candles.slice(-LIVE_CANDLES_MAX).map((c) => ({
    time: c.time,
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
    volume: c.volume,
  }));
  const events: LiveEvent[] = newest.map((candle) => ({ type: "candle", symbol, candle }));
  try {
    await instrumentFeed(env, symbol).arrive(symbol, events, newest);
  } catch (err) {
    console.warn(`live publish ${symbol} failed: ${(err as Error).name}`);
  }
}

/** Hands the hour's signal and band to the instrument's alerts; never fails the ledger step. */
export async function tellHour(env: Env, symbol: string, facts: HourFacts) {
  try {
    await instrumentFeed(env, symbol).hourClosed(symbol, facts);
  } catch (err) {
    console.warn(`alerts of ${symbol}: hour not told (${(err as Error).name})`);
  }
}

/** Tells instruments' feeds that their alerts changed; a lost notice is repaired by their periodic re-read. */
export async function alertsChangedOn(env: Env, symbols: Iterable<string>) {
  for (const symbol of new Set(symbols)) {
    try {
      await instrumentFeed(env, symbol).alertsChanged();
    } catch (err) {
      console.warn(`alerts of ${symbol}: feed not told (${(err as Error).name})`);
    }
  }
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
