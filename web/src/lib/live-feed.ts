// One instrument's live socket: a single-use ticket, then candle and model events as they happen.
// Reconnects with backoff; `onState` tells the chart when to fall back to polling.
import { api } from "../api";
import type { LiveEvent } from "../api-types";

export type LiveState = "connecting" | "live" | "offline";

const RECONNECT_BASE_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;

interface Handlers {
  onEvent: (e: LiveEvent) => void;
  onState: (s: LiveState) => void;
}

function socketUrl(symbol: string, ticket: string): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}/api/instruments/${encodeURIComponent(symbol)}/ws?ticket=${encodeURIComponent(ticket)}`;
}

/** Opens the socket of `symbol`; returns the function that closes it for good. */
export function openLiveFeed(symbol: string, { onEvent, onState }: Handlers): () => void {
  let socket: WebSocket | null = null;
  let stopped = false;
  let attempt = 0;
  let timer = 0;

  const retry = () => {
    onState("offline");
    const wait = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** attempt);
    attempt += 1;
    timer = window.setTimeout(connect, wait);
  };

  async function connect() {
    if (stopped) return;
    onState("connecting");
    try {
      const { ticket } = await api.liveTicket();
      if (stopped) return;
      socket = new WebSocket(socketUrl(symbol, ticket));
    } catch {
      return retry();
    }
    socket.addEventListener("open", () => {
      attempt = 0;
      onState("live");
    });
    socket.addEventListener("message", (m) => {
      let event: LiveEvent;
      try {
        event = JSON.parse(String(m.data)) as LiveEvent;
      } catch {
        return;
      }
      // A notification is the viewer's own (the feed sends it to its owner's sockets only).
      if (event.type === "notification" || event.symbol === symbol) onEvent(event);
    });
    socket.addEventListener("close", () => {
      socket = null;
      if (!stopped) retry();
    });
  }

  void connect();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
    socket?.close(1000, "leaving");
    onState("offline");
  };
}
