// One live socket of the API: a single-use ticket, then the upgrade, then JSON events as they happen.
// Reconnects with backoff; `onState` tells the owner when to fall back to polling. A socket the server
// closed as superseded (a newer one of the same channel took its place) is not opened again.
import { CLOSE_ACCOUNT_GONE, CLOSE_SUPERSEDED } from "../../../core/live";

export type LiveState = "connecting" | "live" | "offline";

const RECONNECT_BASE_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;

export interface LiveSocket<E> {
  /** The socket's path, e.g. "/api/notifications/ws". */
  path: string;
  ticket: () => Promise<{ ticket: string }>;
  onEvent: (e: E) => void;
  onState: (s: LiveState) => void;
}

function socketUrl(path: string, ticket: string): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}${path}?ticket=${encodeURIComponent(ticket)}`;
}

/** Opens the socket; returns the function that closes it for good. */
export function openLiveSocket<E>({ path, ticket, onEvent, onState }: LiveSocket<E>): () => void {
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
      const t = (await ticket()).ticket;
      if (stopped) return;
      socket = new WebSocket(socketUrl(path, t));
    } catch {
      return retry();
    }
    socket.addEventListener("open", () => {
      attempt = 0;
      onState("live");
    });
    socket.addEventListener("message", (m) => {
      let event: E;
      try {
        event = JSON.parse(String(m.data)) as E;
      } catch {
        return;
      }
      onEvent(event);
    });
    socket.addEventListener("close", (e) => {
      socket = null;
      if (e.code === CLOSE_SUPERSEDED || e.code === CLOSE_ACCOUNT_GONE) stopped = true;
      if (stopped) onState("offline");
      else retry();
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
