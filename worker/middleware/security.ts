// Headers, CORS and body rules applied to every answer.
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { matchedRoutes } from "hono/route";
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

export const limitBody = (maxSize = MAX_BODY_BYTES): MiddlewareHandler<AppEnv> =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError(413, "payload_too_large", `The request body exceeds ${maxSize} bytes`);
    },
  });

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
