// How a route is declared (validation and the OpenAPI document): who may call it (its tag, bearer
// scheme and check: adminRoute, userRoute) and its answers, the error ones named by status only.
import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { errors } from "../schemas";
import { requireAdmin, requireUser } from "./auth";

type Check = MiddlewareHandler<AppEnv>;

/** What every admin route declares: its OpenAPI tag, the admin bearer scheme, and the check itself. */
export const adminRoute = (...more: Check[]) => ({
  tags: ["admin"],
  security: [{ adminBearer: [] }],
  middleware: [requireAdmin(), ...more],
});

/** A signed-in user's route under `tag`; `check` is requireUser() unless it needs a fresh sign-in. */
export const userRoute = (tag: string, check: Check = requireUser(), ...more: Check[]) => ({
  tags: [tag],
  security: [{ userBearer: [] }],
  middleware: [check, ...more],
});

/** The error answers of the OpenAPI document, by status. */
export type Failure = keyof typeof errors;
type Failures<F extends readonly Failure[]> = { [S in F[number]]: (typeof errors)[S] };

/** The error answers with these statuses (their documentation is schemas.ts's `errors`). */
const failures = <const F extends readonly Failure[]>(...statuses: F) =>
  Object.fromEntries(statuses.map((s) => [s, errors[s]])) as Failures<F>;

type Method = "get" | "post" | "put" | "patch" | "delete";
/** What a route states of its own: its summary, request and the answers that are not errors. */
type Own = Omit<RouteConfig, "method" | "path">;

/**
 * createRoute from who may call it (`access`: adminRoute(), userRoute(tag) or `{ tags }` alone), where, the
 * statuses of its error answers (`[400, 404]`) and what is its own: the document is the same as with
 * every answer spelled out.
 */
export const declare = <
  const A extends Partial<RouteConfig>,
  const M extends Method,
  const P extends string,
  const F extends readonly Failure[],
  const O extends Own,
>(
  access: A,
  method: M,
  path: P,
  fails: F,
  own: O,
) =>
  createRoute({
    ...access,
    method,
    path,
    ...own,
    responses: { ...own.responses, ...failures(...fails) },
  } as Omit<A, keyof O> & O & { method: M; path: P; responses: O["responses"] & Failures<F> });
