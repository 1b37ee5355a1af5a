// MoneyMoney's service worker: shows a fired alert's Web Push message as a notification, tells open
// pages about it (their bell and toast), and opens the alert's instrument on the dashboard when clicked.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("push", (event) => {
  let n = null;
  try {
    n = event.data ? event.data.json() : null;
  } catch {
    n = null;
  }
  if (!n || typeof n.title !== "string") return;
  const url = typeof n.url === "string" && n.url.startsWith("/") ? n.url : "/dashboard";
  event.waitUntil(
    (async () => {
      const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      for (const page of pages) page.postMessage({ type: "notification", notification: n });
      await self.registration.showNotification(n.title, {
        body: n.body,
        tag: `alert-${n.id}`,
        icon: "/favicon.svg",
        data: { url },
      });
    })(),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url ?? "/dashboard", self.location.origin).href;
  event.waitUntil(
    (async () => {
      const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      for (const page of pages) {
        if ("navigate" in page && new URL(page.url).origin === self.location.origin) {
          await page.focus();
          return page.navigate(url);
        }
      }
      return self.clients.openWindow(url);
    })(),
  );
});
