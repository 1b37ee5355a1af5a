// Sends one Web Push message: the payload encrypted for the subscription per RFC 8291 (aes128gcm) by
// @block65/webcrypto-web-push, authorised by a VAPID token (RFC 8292) signed with jose (ES256 pinned).
// The library's own VAPID helper refuses non-https endpoints outright; signing here lets development
// and tests reach a loopback push service when PUSH_ALLOW_LOOPBACK says so (pushEndpointProblem).
import { encryptNotification } from "@block65/webcrypto-web-push";
import { importJWK, SignJWT } from "jose";

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** VAPID tokens live 12 h (RFC 8292 allows at most 24 h). */
const VAPID_TTL_SECONDS = 12 * 3600;
/** How long a push service keeps an undelivered message (RFC 8030 TTL): an alert is stale after a day. */
export const PUSH_TTL_SECONDS = 24 * 3600;

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Why the Worker would not send to `endpoint`, or null: https only, loopback http when allowed. */
export function pushEndpointProblem(env: Env, endpoint: string): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return "The endpoint is not a URL";
  }
  const web = url.protocol === "https:" || url.protocol === "http:";
  if (url.protocol === "https:" && !LOOPBACK.has(url.hostname)) return null;
  if (web && env.PUSH_ALLOW_LOOPBACK === "true" && LOOPBACK.has(url.hostname)) return null;
  return "A push endpoint must be an https URL of a push service";
}

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
const unb64url = (s: string) =>
  Uint8Array.from(atob(s.replaceAll("-", "+").replaceAll("_", "/")), (ch) => ch.charCodeAt(0));

/** Whether `p256dh` (base64url) is a point on P-256 that a message can be encrypted to. */
export async function isReceiverKey(p256dh: string) {
  try {
    await crypto.subtle.importKey("raw", unb64url(p256dh), { name: "ECDH", namedCurve: "P-256" }, false, []);
    return true;
  } catch {
    return false;
  }
}

export const vapidConfigured = (env: Env) => Boolean(env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY);

/** The `Authorization: vapid t=..., k=...` header for the push service at `endpoint`. */
export async function vapidAuthorization(env: Env, endpoint: string, nowSec = Math.floor(Date.now() / 1000)) {
  const pub = unb64url(env.VAPID_PUBLIC_KEY);
  const key = await importJWK(
    {
      kty: "EC",
      crv: "P-256",
      x: b64url(pub.slice(1, 33)),
      y: b64url(pub.slice(33, 65)),
      d: env.VAPID_PRIVATE_KEY,
    },
    "ES256",
  );
  const jwt = await new SignJWT({})
    .setProtectedHeader({ alg: "ES256", typ: "JWT" })
    .setAudience(new URL(endpoint).origin)
    .setSubject(env.VAPID_SUBJECT || "mailto:alerts@moneymoney.invalid")
    .setExpirationTime(nowSec + VAPID_TTL_SECONDS)
    .sign(key);
  return `vapid t=${jwt}, k=${env.VAPID_PUBLIC_KEY}`;
}

export interface PushOutcome {
  status: number;
  /** Seconds the push service asked to wait (Retry-After), when it said. */
  retryAfter?: number;
}

/** Encrypts `payload` for `target` and posts it to the push service; network failures count as 503. */
export async function sendPush(env: Env, target: PushTarget, payload: unknown): Promise<PushOutcome> {
  const problem = pushEndpointProblem(env, target.endpoint);
  if (problem) return { status: 410 }; // stored before a settings change: never deliverable now
  let body: Uint8Array<ArrayBuffer>;
  try {
    body = await encryptNotification(
      { endpoint: target.endpoint, expirationTime: null, keys: { p256dh: target.p256dh, auth: target.auth } },
      new TextEncoder().encode(JSON.stringify(payload)),
    );
  } catch {
    return { status: 400 }; // keys that cannot encrypt: retrying cannot help
  }
  try {
    const res = await fetch(target.endpoint, {
      method: "POST",
      headers: {
        authorization: await vapidAuthorization(env, target.endpoint),
        ttl: String(PUSH_TTL_SECONDS),
        urgency: "high",
        "content-encoding": "aes128gcm",
        "content-type": "application/octet-stream",
      },
      body,
    });
    await res.body?.cancel();
    const ra = Number(res.headers.get("retry-after"));
    return { status: res.status, ...(ra > 0 ? { retryAfter: ra } : {}) };
  } catch {
    return { status: 503 };
  }
}
