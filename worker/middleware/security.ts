// Headers, CORS and body rules applied to every answer.
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../app-env";
import { MAX_BODY_BYTES } from "../config";
import { ApiError } from "../errors";

const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", "data:"],
  connectSrc: ["'self'", "ws:", "wss:"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

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
    if (new URL(c.req.url).protocol === "https:") {
      c.header("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    }
  };
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
 * and fail the next request with 503. Past DRAIN_MAX_BYTES more, the upload is cancelled instead.
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

const DRAIN_MAX_BYTES = 16 * 1024 * 1024;

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
