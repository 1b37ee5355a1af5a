// The admin console's live link: the ProgressHub WebSocket, and polling as the fallback whenever the
// socket is down (slower while it is up, to catch what no event announces).
import { signal } from "@preact/signals";
import { adminApi } from "../api";
import type { ProgressEvent } from "../api-types";
import type { LiveState } from "../lib/live-feed";
import { adminToken } from "../session";
import { applyEvent, loadJobs, loadProfiles, loadTrainers } from "./admin";

const POLL_WHILE_LIVE_MS = 15_000;
const POLL_WHILE_OFFLINE_MS = 4_000;
const RECONNECT_BASE_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;

export const liveState = signal<LiveState>("offline");

function socketUrl(ticket: string): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}/api/admin/ws?ticket=${encodeURIComponent(ticket)}`;
}

/** A message that looks like a progress event (the hub also answers pings). */
function asEvent(data: unknown): ProgressEvent | null {
  try {
    const e = JSON.parse(String(data)) as ProgressEvent;
    return e && typeof e.type === "string" && typeof e.message === "string" && "job_id" in e ? e : null;
  } catch {
    return null;
  }
}

/** Starts live updates and polling; returns the function that stops both. */
export function startLive(): () => void {
  let socket: WebSocket | null = null;
  let stopped = false;
  let attempt = 0;
  let reconnectTimer = 0;
  let pollTimer = 0;
  let openedBefore = false; // the first connection comes right after the page's own first load

  let pollDue = Number.POSITIVE_INFINITY;
  /** Plans the next poll; `later` moves a planned one back (the socket came up), else only earlier. */
  const schedulePoll = (later = false) => {
    const wait = liveState.value === "live" ? POLL_WHILE_LIVE_MS : POLL_WHILE_OFFLINE_MS;
    // Reconnect attempts come every few seconds while the hub is down: they must not keep
    // postponing the fallback poll.
    if (!later && Date.now() + wait >= pollDue) return;
    window.clearTimeout(pollTimer);
    pollDue = Date.now() + wait;
    pollTimer = window.setTimeout(async () => {
      pollDue = Number.POSITIVE_INFINITY;
      if (!document.hidden && adminToken.value)
        await Promise.all([loadJobs(), loadProfiles(), loadTrainers()]);
      if (!stopped) schedulePoll();
    }, wait);
  };

  const connect = async () => {
    if (stopped || !adminToken.value) return;
    liveState.value = "connecting";
    try {
      const { ticket } = await adminApi.wsTicket();
      if (stopped) return;
      socket = new WebSocket(socketUrl(ticket));
    } catch {
      return retry();
    }
    socket.addEventListener("open", () => {
      attempt = 0;
      liveState.value = "live";
      // Whatever finished while the socket was down announced itself to nobody: look once.
      if (openedBefore) void Promise.all([loadJobs(), loadProfiles()]);
      openedBefore = true;
      schedulePoll(true);
    });
    socket.addEventListener("message", (message) => {
      const event = asEvent(message.data);
      if (event) applyEvent(event);
    });
    socket.addEventListener("close", () => {
      socket = null;
      if (!stopped) retry();
    });
  };

  const retry = () => {
    liveState.value = "offline";
    schedulePoll();
    const wait = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** attempt);
    attempt += 1;
    reconnectTimer = window.setTimeout(connect, wait);
  };

  void connect();
  schedulePoll();
  return () => {
    stopped = true;
    window.clearTimeout(reconnectTimer);
    window.clearTimeout(pollTimer);
    socket?.close();
    liveState.value = "offline";
  };
}
