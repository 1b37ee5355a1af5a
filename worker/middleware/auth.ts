// Bearer-token guards for the three audiences. Each looks the account up, so deleted accounts and
// tokens issued before a password change stop working: admins at once; users at once in the isolate
// that made the change and within FACTS_TTL_MS (2 s) everywhere else (the row is kept per isolate).
import type { Context, MiddlewareHandler } from "hono";
import { decodeJwt } from "jose";
import type { AppEnv } from "../app-env";
import { type Audience, audienceConfigured, verifyToken } from "../auth/tokens";
import { FLEET_SUBJECT } from "../config";
import { type AdminRow, findAdminById } from "../db/admins";
import { writeAudit } from "../db/audit";
import { findUserById, signedInUser } from "../db/users";
import { ApiError } from "../errors";
import { clientAddress } from "./client-address";

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

/**
 * A signed-in user. `fresh` reads the account now instead of from the isolate's memo: routes that
 * act on the account itself (password, email, deletion) never decide on a row up to 2 s old.
 */
export const requireUser =
  (opts: { fresh?: boolean } = {}): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const { sub, ver } = await claims(c, "user");
    const id = Number(sub);
    const user = await (opts.fresh ? findUserById(c.var.db, id) : signedInUser(c.var.db, id));
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

/**
 * A trainer's identity is its token's subject: leases are held by it, never by a body field. Two kinds
 * of token name a trainer: one an external trainer minted with TRAINER_TOKEN (audience "trainer"), and
 * one the fleet issued to a container instance (audience "fleet", its own secret, subject fleet-N-G).
 * The unverified `aud` only picks which secret to verify with; verification then pins both.
 */
export const requireTrainer = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const token = bearerToken(c.req.header("authorization"));
  if (!token) throw new ApiError(401, "unauthorized", "Log in first: send Authorization: Bearer <token>");
  let aud: unknown;
  try {
    aud = decodeJwt(token).aud;
  } catch {
    throw new ApiError(401, "invalid_token", "The token is not valid");
  }
  const audience = aud === "fleet" ? "fleet" : "trainer";
  if (audience === "fleet" && !audienceConfigured(c.env, "fleet"))
    throw new ApiError(401, "invalid_token", "The token is not valid");
  const { sub } = await verifyToken(c.env, audience, token);
  // Instance names belong to fleet tokens only, so no external trainer can hold an instance's leases.
  if (!TRAINER_ID.test(sub) || FLEET_SUBJECT.test(sub) !== (audience === "fleet"))
    throw new ApiError(401, "invalid_token", "The trainer token's subject is not a trainer id");
  c.set("trainer", sub);
  await next();
};

const TRAINER_ID = /^[A-Za-z0-9._:@-]{1,100}$/;

/** Writes what the signed-in admin did (`action` on `target`) to the audit log, with where from. */
export async function auditAdmin(
  c: Context<AppEnv>,
  action: string,
  target: string,
  detail?: Record<string, unknown>,
) {
  await writeAudit(c.var.db, { adminId: c.var.admin.id, action, target, detail, ip: clientAddress(c) });
}
