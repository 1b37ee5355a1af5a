// The Hono environment every route shares, and the router factory that gives them one validation hook.
import { OpenAPIHono, type RouteConfig, type RouteHandler } from "@hono/zod-openapi";
import type { AdminRow } from "./db/admins";
import type { Db } from "./db/client";
import type { UserRow } from "./db/users";
import { ApiError } from "./errors";

export interface AppEnv {
  Bindings: Env;
  Variables: { db: Db; user: UserRow; admin: AdminRow; trainer: string };
}

/** Describes the first problem zod found, in words a client developer can act on. */
function describeIssue(issues: { path: PropertyKey[]; message: string }[]): string {
  const first = issues[0];
  if (!first) return "The request is not valid";
  const where = first.path.length ? `${first.path.map(String).join(".")}: ` : "";
  return `${where}${first.message}`;
}

export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new ApiError(400, "validation_error", describeIssue(result.error.issues));
      }
    },
  });
}

/** A handler of one declared route (`*.routes.ts`), typed by its request and response schemas. */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;
