// What the freshness badge needs from the live socket and no component owns alone: the socket's state
// and the newest candle it pushed. Whether requests reach the server is the transport's (`reach`).
import { signal } from "@preact/signals";
import type { SocketState } from "../lib/freshness";

export const socketState = signal<SocketState>("connecting");
/** The newest live 1m candle of one symbol: when it closed (Unix seconds) and its closing price. */
export const liveCandle = signal<{ symbol: string; close: number; price: number } | null>(null);

export function noteLiveCandle(symbol: string, close: number, price: number): void {
  const prev = liveCandle.value;
  if (prev?.symbol !== symbol || close > prev.close) liveCandle.value = { symbol, close, price };
}
