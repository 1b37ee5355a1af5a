// Bearer-token guards for the three audiences. Each looks the account up, so deleted accounts and
// tokens issued before a password change stop working at once.
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { type Audience, verifyToken } from "../auth/tokens";
import { type AdminRow, findAdminById } from "../db/admins";
import { findUserById } from "../db/users";
import { ApiError } from "../errors";

export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  return m ? m[1] : null;
}

async function claims(c: Context<AppEnv>, audience: Audience) {
  const token = bearerToken(c.req.header("authorization"));
  if (!token) throw new ApiError(401, "unauthorized", "Log in first: send Authorization: Bearer <token>");
  return verifyToken(c.env, audience, token);
}

const revoked = () => new ApiError(401, "invalid_token", "The token is no longer valid: log in again");

export const requireUser = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const { sub, ver } = await claims(c, "user");
  const user = await findUserById(c.var.db, Number(sub));
  if (!user || user.tokenVersion !== ver) throw revoked();
  c.set("user", user);
  await next();
};

/** The admin a request's bearer token names; throws 401 for anything else. */
export async function authenticateAdmin(c: Context<AppEnv>): Promise<AdminRow> {
  const { sub, ver } = await claims(c, "admin");
  const admin = await findAdminById(c.var.db, Number(sub));
  if (!admin || admin.tokenVersion !== ver) throw revoked();
  return admin;
}

export const requireAdmin = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  c.set("admin", await authenticateAdmin(c));
  await next();
};

export const requireTrainer = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  await claims(c, "trainer");
  await next();
};

export const clientAddress = (c: { req: { header(name: string): string | undefined } }) =>
  c.req.header("cf-connecting-ip") ?? "local";
