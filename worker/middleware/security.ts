// Headers, CORS and body rules applied to every answer.
import type { Context, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { matchedRoutes } from "hono/route";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../app-env";
import { MAX_BODY_BYTES, MAX_HEADER_BYTES, MAX_PATH_CHARS, MAX_QUERY_CHARS } from "../config";
import { ApiError } from "../errors";

const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", "data:"],
  // The configured origin's WebSockets only ('self' does not cover ws: in every browser; bare ws:/wss:
  // would allow any host; the request's own Host is whatever the client sent).
  connectSrc: ["'self'", (c: Context) => publicWebSocketOrigin(c.env.PUBLIC_ORIGIN)],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** ws://host or wss://host of the configured public origin; empty when none is configured. */
export function publicWebSocketOrigin(origin: string | undefined) {
  if (!origin) return "";
  const u = new URL(origin);
  return `${u.protocol === "https:" ? "wss:" : "ws:"}//${u.host}`;
}

export const securityHeaders = (): MiddlewareHandler<AppEnv> => {
  const base = secureHeaders({
    contentSecurityPolicy: CSP,
    xFrameOptions: "DENY",
    referrerPolicy: "strict-origin-when-cross-origin",
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
  return async (c, next) => {
    await base(c, next);
    // HSTS means something only over https; on http://localhost it would pin the browser needlessly.
    const url = new URL(c.req.url);
    if (url.protocol === "https:") {
      c.header("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    }
    // API answers carry tokens, accounts and personal data: no browser or proxy may keep them,
    // unless a route chose its own caching.
    if (url.pathname.startsWith("/api/") && c.res.status !== 101 && !c.res.headers.has("cache-control")) {
      c.header("Cache-Control", "no-store");
    }
  };
};

/**
 * Overlong URLs and header sets, where they reach the Worker, get 414/431 in the contract's error
 * shape before any routing or parsing (the platform answers even longer ones itself, in plain text).
 */
export const limitRequestLine = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const url = new URL(c.req.url);
  if (url.pathname.length > MAX_PATH_CHARS || url.search.length > MAX_QUERY_CHARS) {
    throw new ApiError(
      414,
      "uri_too_long",
      `The URL is too long: at most ${MAX_PATH_CHARS} characters of path and ${MAX_QUERY_CHARS} of query`,
    );
  }
  let headerBytes = 0;
  c.req.raw.headers.forEach((value, name) => {
    headerBytes += name.length + value.length + 4;
  });
  if (headerBytes > MAX_HEADER_BYTES) {
    throw new ApiError(431, "headers_too_large", `The request headers exceed ${MAX_HEADER_BYTES} bytes`);
  }
  await next();
};

/** CORS for the origins listed in CORS_ORIGINS only; other origins get no CORS headers at all. */
export const corsForConfiguredOrigins = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const allowed = (c.env.CORS_ORIGINS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return cors({
    origin: (origin) => (allowed.includes(origin) ? origin : null),
    allowHeaders: ["Authorization", "Content-Type", "X-Bootstrap-Token"],
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    maxAge: 600,
  })(c, next);
};

/**
 * Refuses bodies over `maxSize` with 413. A declared Content-Length is checked before reading. A
 * chunked body is kept only up to the limit; the rest is read and dropped (never buffered) so that
 * the connection ends cleanly: cancelling a half-sent upload made `wrangler dev` restart the Worker
 * and fail the next request with 503, and a 60 MB artifact cancelled after 48 MB reset the connection
 * before the client read its 413. Past DRAIN_MAX_BYTES more, the upload is cancelled instead.
 */
export const limitBody =
  (maxSize = MAX_BODY_BYTES): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const raw = c.req.raw;
    if (!raw.body) return next();
    const tooLarge = () =>
      new ApiError(413, "payload_too_large", `The request body exceeds ${maxSize} bytes`);
    const declared = raw.headers.get("content-length");
    if (declared !== null && !raw.headers.has("transfer-encoding")) {
      if (Number(declared) > maxSize) throw tooLarge();
      return next();
    }
    const reader = raw.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxSize) {
        await drain(reader, DRAIN_MAX_BYTES);
        throw tooLarge();
      }
      chunks.push(value);
    }
    const body = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.byteLength;
    }
    c.req.raw = new Request(raw, { body });
    await next();
  };

// The most the platform delivers of a body on the Free and Pro plans (100 MB): within it, every
// oversize upload is read to its end and answered 413; dropped as read, it costs no memory.
const DRAIN_MAX_BYTES = 100 * 1024 * 1024;

/** Reads and drops what is left of a body, up to `max` bytes; beyond that the stream is cancelled. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, max: number) {
  let dropped = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    dropped += value.byteLength;
    if (dropped > max) return reader.cancel("request body too large").catch(() => {});
  }
}

// Routes that take raw bytes say so with rawBody(maxSize) among their middleware; the app-wide JSON
// rules (1 MB, application/json) skip exactly those routes.
const rawBodyLimits = new WeakSet<object>();

/** A route's own body limit for raw (non-JSON) bytes. */
export const rawBody = (maxSize: number): MiddlewareHandler<AppEnv> => {
  const limit = limitBody(maxSize);
  rawBodyLimits.add(limit);
  return limit;
};

export const takesRawBody = (c: Context) => matchedRoutes(c).some((r) => rawBodyLimits.has(r.handler));

const hasBody = (req: Request) => req.body !== null && (req.headers.get("content-length") ?? "1") !== "0";

/** Requests that carry a body must say it is JSON; anything else is refused before it is read. */
export const requireJsonBody = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  if (["POST", "PUT", "PATCH", "DELETE"].includes(c.req.method) && hasBody(c.req.raw)) {
    const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/json") {
      throw new ApiError(415, "unsupported_media_type", "Send the request body as application/json");
    }
  }
  await next();
};
