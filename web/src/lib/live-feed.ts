// One instrument's live socket (lib/live-socket.ts): candle and model events of that instrument.
import { api } from "../api";
import type { LiveEvent } from "../api-types";
import { type LiveState, openLiveSocket } from "./live-socket";

export type { LiveState } from "./live-socket";

interface Handlers {
  onEvent: (e: LiveEvent) => void;
  onState: (s: LiveState) => void;
}

/** Opens the socket of `symbol`; returns the function that closes it for good. */
export function openLiveFeed(symbol: string, { onEvent, onState }: Handlers): () => void {
  return openLiveSocket<LiveEvent>({
    path: `/api/instruments/${encodeURIComponent(symbol)}/ws`,
    ticket: api.liveTicket,
    onEvent: (e) => {
      if (e.symbol === symbol) onEvent(e);
    },
    onState,
  });
}
