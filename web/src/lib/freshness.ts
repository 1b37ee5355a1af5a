// How fresh the dashboard's data is, in words, from the data's own times and the requests' outcomes.
import { formatAge } from "./format";
import type { LiveState } from "./live-feed";

/** A new 1m candle is collected every minute; past this age without one the feed is called stale. */
export const STALE_AFTER_S = 3 * 60;

/** The live socket's state (the candle feed's own type). */
export type SocketState = LiveState;

export interface FreshnessInput {
  now: number;
  /** Close (Unix seconds) of the newest 1m candle seen: live events, quotes, statistics. */
  lastCandleClose: number | null;
  socket: SocketState;
  /** When the last request reached the server (ms), and when the last one could not (ms). */
  lastOkAt: number | null;
  lastFailAt: number | null;
}

export interface Freshness {
  kind: "live" | "polling" | "stale" | "offline" | "connecting";
  text: string;
}

export function freshness(input: FreshnessInput): Freshness {
  const { now, lastCandleClose, socket, lastOkAt, lastFailAt } = input;
  const failing = lastFailAt !== null && (lastOkAt === null || lastFailAt > lastOkAt);
  if (socket !== "live" && failing) return { kind: "offline", text: "offline, retrying" };
  if (lastCandleClose === null) return { kind: "connecting", text: "connecting…" };
  const age = Math.max(0, now / 1000 - lastCandleClose);
  if (age > STALE_AFTER_S) return { kind: "stale", text: `no new candle for ${formatAge(age)}` };
  const last = `last candle ${formatAge(age)} ago`;
  if (socket === "live") return { kind: "live", text: `live, ${last}` };
  return { kind: "polling", text: `polling every minute, ${last}` };
}
