// What the freshness badge needs and no component owns alone: the live socket's state, the newest
// candle it pushed, and whether the last API request reached the server.
import { signal } from "@preact/signals";
import type { SocketState } from "../lib/freshness";

export const socketState = signal<SocketState>("connecting");
/** The newest live 1m candle's close (Unix seconds) for one symbol. */
export const liveCandle = signal<{ symbol: string; close: number } | null>(null);
export const requests = signal<{ okAt: number | null; failAt: number | null }>({ okAt: null, failAt: null });

/** Every user request's outcome: reached the server (any answer below 500) or not. */
export function noteRequest(reached: boolean): void {
  const now = Date.now();
  requests.value = reached ? { ...requests.value, okAt: now } : { ...requests.value, failAt: now };
}

export function noteLiveCandle(symbol: string, close: number): void {
  const prev = liveCandle.value;
  if (prev?.symbol !== symbol || close > prev.close) liveCandle.value = { symbol, close };
}
