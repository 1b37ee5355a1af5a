// Fired alerts as the dashboard shows them: the bell's list and unread count, and the toasts of the ones
// that arrive while the page is open: over the user's live channel (opened once per session, whatever
// instrument is shown), from the service worker when a push arrives, or found by the poll while the
// channel is down.
import { effect, signal } from "@preact/signals";
import { alertsApi } from "../alerts-api";
import type { NotificationAnswer, UserEvent } from "../api-types";
import { type LiveState, openLiveSocket } from "../lib/live-socket";
import { userToken } from "../session";

export const notices = signal<NotificationAnswer[]>([]);
export const unread = signal(0);
export const toasts = signal<NotificationAnswer[]>([]);
/** The user's live channel. */
export const channelState = signal<LiveState>("offline");

const TOAST_MS = 8_000;
/** While the channel is down, a notification shows within this long. */
export const NOTICE_POLL_MS = 60_000;

function toast(n: NotificationAnswer) {
  toasts.value = [...toasts.value.filter((t) => t.id !== n.id), n].slice(-3);
  window.setTimeout(() => dismissToast(n.id), TOAST_MS);
}

export function dismissToast(id: number) {
  toasts.value = toasts.value.filter((t) => t.id !== id);
}

/** A notification pushed to this page: listed, counted and toasted once, whichever way it came. */
export function receiveNotification(n: NotificationAnswer) {
  if (notices.value.some((x) => x.id === n.id)) return;
  notices.value = [n, ...notices.value].slice(0, 50);
  if (!n.read) unread.value += 1;
  toast(n);
}

/** Reads the newest page; new unread ones since the last read are toasted. */
export async function loadNotifications(announce = false) {
  const known = new Set(notices.value.map((n) => n.id));
  const { notifications, unread: count } = await alertsApi.notifications();
  if (announce) for (const n of notifications) if (!known.has(n.id) && !n.read) toast(n);
  notices.value = notifications;
  unread.value = count;
}

export async function markAllRead() {
  const { unread: count } = await alertsApi.markRead({ all: true });
  notices.value = notices.value.map((n) => ({ ...n, read: true }));
  unread.value = count;
}

/** The open channel and the session (token) it was opened for. */
let channel: { token: string; close: () => void } | null = null;
/** Bells on the page (a page change mounts the new page's bell before the old one goes). */
let watching = 0;

function openChannel(token: string) {
  let wasLive = false;
  const close = openLiveSocket<UserEvent>({
    path: "/api/notifications/ws",
    ticket: alertsApi.channelTicket,
    onEvent: (e) => {
      if (e.type === "notification") receiveNotification(e.notification);
    },
    onState: (s) => {
      channelState.value = s;
      // Back after a drop: what fired meanwhile reached nobody here, so read it now.
      if (s === "live" && wasLive) void loadNotifications(true).catch(() => {});
      if (s === "live") wasLive = true;
    },
  });
  channel = { token, close };
}

// One channel per session, kept across pages: signing out (here, in another tab, or by an expired
// token) closes it; signing in again opens the new session's own while a bell is shown.
effect(() => {
  const token = userToken.value;
  if (channel && channel.token !== token) {
    channel.close();
    channel = null;
  }
  if (token && !channel && watching > 0) openChannel(token);
});

/** Opens the channel, polls while it is down, listens to the service worker; returns the function that stops. */
export function watchNotifications(): () => void {
  watching += 1;
  if (userToken.value && !channel) openChannel(userToken.value);
  void loadNotifications().catch(() => {});
  const timer = window.setInterval(() => {
    if (!document.hidden && channelState.value !== "live") void loadNotifications(true).catch(() => {});
  }, NOTICE_POLL_MS);
  const fromWorker = (e: MessageEvent) => {
    const data = e.data as { type?: string; notification?: NotificationAnswer } | null;
    if (data?.type === "notification" && data.notification) receiveNotification(data.notification);
  };
  navigator.serviceWorker?.addEventListener("message", fromWorker);
  return () => {
    watching -= 1;
    window.clearInterval(timer);
    navigator.serviceWorker?.removeEventListener("message", fromWorker);
  };
}
