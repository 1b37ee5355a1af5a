// Fired alerts as the dashboard shows them: the bell's list and unread count, and the toasts of the ones
// that arrive while the page is open (over the instrument's live socket, from the service worker when a
// push arrives, or found by the minute's poll).
import { signal } from "@preact/signals";
import { alertsApi } from "../alerts-api";
import type { NotificationAnswer } from "../api-types";

export const notices = signal<NotificationAnswer[]>([]);
export const unread = signal(0);
export const toasts = signal<NotificationAnswer[]>([]);

const TOAST_MS = 8_000;
/** Without a socket for the alert's instrument, a notification shows within this long. */
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

/** Polls while the page is open, and listens to the service worker; returns the function that stops. */
export function watchNotifications(): () => void {
  void loadNotifications().catch(() => {});
  const timer = window.setInterval(() => {
    if (!document.hidden) void loadNotifications(true).catch(() => {});
  }, NOTICE_POLL_MS);
  const fromWorker = (e: MessageEvent) => {
    const data = e.data as { type?: string; notification?: NotificationAnswer } | null;
    if (data?.type === "notification" && data.notification) receiveNotification(data.notification);
  };
  navigator.serviceWorker?.addEventListener("message", fromWorker);
  return () => {
    window.clearInterval(timer);
    navigator.serviceWorker?.removeEventListener("message", fromWorker);
  };
}
