// One error type for the API and the single place that turns errors into the contract's shape.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Extra fields beside code and message, for clients that act on them (e.g. needed vs available). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const errorBody = (code: string, message: string, details: Record<string, unknown> = {}) => ({
  error: { ...details, code, message },
});

const CODES: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  414: "uri_too_long",
  415: "unsupported_media_type",
  422: "unprocessable",
  429: "too_many_requests",
  431: "headers_too_large",
};

export function onError(err: Error, c: Context) {
  if (err instanceof ApiError) {
    return c.json(errorBody(err.code, err.message, err.details), err.status, err.headers);
  }
  if (err instanceof HTTPException && err.status < 500) {
    const status = err.status as ContentfulStatusCode;
    return c.json(errorBody(CODES[status] ?? "bad_request", err.message || "Bad request"), status);
  }
  // Unknown failures: log the kind and where, never the request body, SQL text or secrets.
  console.error(`unhandled ${err.name} on ${c.req.method} ${new URL(c.req.url).pathname}`);
  return c.json(errorBody("internal_error", "Something went wrong on our side"), 500);
}
