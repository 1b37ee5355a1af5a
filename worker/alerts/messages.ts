// The words of a fired alert: its notification's title and body, in one place for the bell, the toast
// and the Web Push message.
import type { AlertKind } from "../../core/alerts/rules";

const num = (v: number) => String(Number(v.toPrecision(8)));
const at = (time: number) => new Date(time * 1000).toISOString().slice(11, 16);

export interface EventFacts {
  symbol: string;
  kind: AlertKind;
  value: number | null;
  time: number;
  close?: number;
  changePct?: number | null;
  band?: { lower: number; upper: number } | null;
  signal?: { from: string; to: string };
  silentMinutes?: number;
}

export function describe(e: EventFacts): { title: string; body: string } {
  const close = e.close === undefined ? "" : `closed at ${num(e.close)}`;
  switch (e.kind) {
    case "price_above":
      return {
        title: `${e.symbol} above ${num(e.value ?? 0)}`,
        body: `The ${at(e.time)} UTC minute ${close}`,
      };
    case "price_below":
      return {
        title: `${e.symbol} below ${num(e.value ?? 0)}`,
        body: `The ${at(e.time)} UTC minute ${close}`,
      };
    case "change_pct": {
      const ch = e.changePct ?? 0;
      return {
        title: `${e.symbol} ${ch >= 0 ? "+" : ""}${ch.toFixed(2)}% in 60 minutes`,
        body: `The ${at(e.time)} UTC minute ${close}`,
      };
    }
    case "band_exit": {
      const b = e.band;
      const side = b && e.close !== undefined && e.close > b.upper ? "above" : "below";
      return {
        title: `${e.symbol} left its forecast band`,
        body: `The ${at(e.time)} UTC minute ${close}, ${side} the 95% band ${b ? `${num(b.lower)} to ${num(b.upper)}` : ""}`.trim(),
      };
    }
    case "signal_change":
      return {
        title: `${e.symbol} signal: ${e.signal?.to.toUpperCase()}`,
        body: `The hourly signal changed from ${e.signal?.from.toUpperCase()} at ${at(e.time)} UTC`,
      };
    case "data_stale":
      return {
        title: `${e.symbol}: no new data`,
        body: `No candle for ${e.silentMinutes ?? e.value} minutes (the last one opened ${at(e.time)} UTC)`,
      };
  }
}
