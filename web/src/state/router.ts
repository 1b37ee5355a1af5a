// Client-side routing over real URLs: the path and query live in signals, history does the rest.
import { signal } from "@preact/signals";

export const routePath = signal(location.pathname);
export const routeSearch = signal(location.search);

function sync(): void {
  routePath.value = location.pathname;
  routeSearch.value = location.search;
}

window.addEventListener("popstate", sync);

/** Go to an in-app URL ("/dashboard?symbol=BTCUSDT"); `replace` rewrites the current history entry. */
export function navigate(to: string, replace = false): void {
  const target = new URL(to, location.origin);
  const changed = target.pathname !== location.pathname;
  if (replace) history.replaceState(null, "", target);
  else history.pushState(null, "", target);
  sync();
  if (changed) window.scrollTo(0, 0);
}

/** Change query parameters of the current page without a new history entry. */
export function setQuery(params: Record<string, string | null>): void {
  const url = new URL(location.href);
  for (const [key, value] of Object.entries(params)) {
    if (value === null) url.searchParams.delete(key);
    else url.searchParams.set(key, value);
  }
  history.replaceState(null, "", url);
  sync();
}

export function queryParam(name: string): string | null {
  return new URLSearchParams(routeSearch.value).get(name);
}

/** Where to send someone to sign in, remembering where they were going (same-origin paths only). */
export function authUrl(next = location.pathname + location.search): string {
  return `/auth?next=${encodeURIComponent(next)}`;
}

export function safeNext(next: string | null, fallback: string): string {
  // Only local paths: "//evil.example" or "https://..." would turn the redirect into an open redirect.
  if (!next?.startsWith("/") || next.startsWith("//")) return fallback;
  return next;
}
