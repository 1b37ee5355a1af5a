// Web Push in the browser: the service worker (public/sw.js) registered, the permission asked, the
// subscription made with the server's VAPID key and handed to the API (or taken back).
import { alertsApi } from "../alerts-api";

export const SERVICE_WORKER_URL = "/sw.js";

export const pushSupported = () =>
  "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

/** Registers the service worker (also without push: it relays pushes to open pages). */
export async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return null;
  return navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: "/" });
}

const keyBytes = (b64url: string) => {
  const b64 = b64url.replaceAll("-", "+").replaceAll("_", "/");
  return Uint8Array.from(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
};

/** This browser's subscription, if it has one. */
export async function currentSubscription() {
  if (!pushSupported()) return null;
  const reg = await navigator.serviceWorker.getRegistration(SERVICE_WORKER_URL);
  return (await reg?.pushManager.getSubscription()) ?? null;
}

/** Asks for permission, subscribes and stores the subscription; returns why not when it cannot. */
export async function enablePush(): Promise<string | null> {
  if (!pushSupported()) return "This browser cannot receive Web Push notifications";
  const permission = await Notification.requestPermission();
  if (permission !== "granted") return "Notifications are blocked for this site in the browser's settings";
  const reg = (await registerServiceWorker()) as ServiceWorkerRegistration;
  await navigator.serviceWorker.ready;
  const { public_key } = await alertsApi.pushKey();
  const sub = await reg.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: keyBytes(public_key),
  });
  const json = sub.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
  await alertsApi.subscribe({ endpoint: json.endpoint, keys: json.keys });
  return null;
}

export async function disablePush() {
  const sub = await currentSubscription();
  if (!sub) return;
  await alertsApi.unsubscribe(sub.endpoint).catch(() => {});
  await sub.unsubscribe();
}
