// Admin accounts: registration (bootstrap token for the first, an admin for the rest) and login.
import { createRouter } from "../app-env";
import { guardedCheck } from "../auth/login-guard";
import { assertStrongPassword } from "../auth/password-policy";
import { hashPassword, matchPassword, needsRehash } from "../auth/passwords";
import { issueToken, safeEqual } from "../auth/tokens";
import { THROTTLE } from "../config";
import { AdminAnswer, AdminRegister, AdminSession, Credentials } from "../contract/accounts";
import {
  countAdmins,
  createAdmin,
  createFirstAdmin,
  findAdminByEmail,
  publicAdmin,
  setAdminPasswordHash,
} from "../db/admins";
import { writeAudit } from "../db/audit";
import type { Db } from "../db/client";
import { takeAttempt } from "../db/throttle";
import { ApiError } from "../errors";
import { authenticateAdmin, bearerToken } from "../middleware/auth";
import { clientAddress } from "../middleware/client-address";
import { adminRoute, declare } from "../middleware/declare-route";
import { jsonBody, jsonContent } from "../schemas";

const register = declare({ tags: ["admin"] }, "post", "/register", [400, 401, 403, 409], {
  summary: "Register an admin: the first with X-Bootstrap-Token, later ones by a logged-in admin",
  security: [{ adminBearer: [] }, { bootstrapToken: [] }] as Record<string, string[]>[],
  request: { body: jsonBody(AdminRegister) },
  responses: { 201: jsonContent(AdminAnswer, "Admin created") },
});

const login = declare({ tags: ["admin"] }, "post", "/login", [400, 401, 429], {
  summary: "Log in as an admin",
  request: { body: jsonBody(Credentials) },
  responses: { 200: jsonContent(AdminSession, "Logged in") },
});

const me = declare(adminRoute(), "get", "/me", [401], {
  summary: "The logged-in admin",
  responses: { 200: jsonContent(AdminAnswer, "The admin") },
});

/**
 * A failed admin sign-in in the audit log: each checked wrong password (the throttle bounds them), and
 * a refused one (429) once per client and throttle window, however many the client sends.
 */
async function auditRefusal(db: Db, err: unknown, email: string, ip: string) {
  const status = err instanceof ApiError ? err.status : 500;
  const target = `email:${email}`;
  if (status === 401) await writeAudit(db, { adminId: null, action: "admin.login_failed", target, ip });
  if (status !== 429) return;
  const once = {
    failures: 1,
    firstBlockSeconds: THROTTLE.windowSeconds,
    maxBlockSeconds: THROTTLE.windowSeconds,
  };
  if (await takeAttempt(db, `audit:admin-refused:${ip}`, once, Math.floor(Date.now() / 1000)))
    await writeAudit(db, { adminId: null, action: "admin.login_refused", target, ip });
}

export const adminAuthRoutes = createRouter()
  .openapi(register, async (c) => {
    const body = c.req.valid("json");
    const db = c.var.db;
    const input = { email: body.email, name: body.name, passwordHash: "" as string };
    const ip = clientAddress(c);
    if (bearerToken(c.req.header("authorization"))) {
      // A logged-in admin adds another admin.
      const by = await authenticateAdmin(c);
      await assertStrongPassword(body.password, body.email);
      input.passwordHash = hashPassword(body.password);
      const admin = await createAdmin(db, input);
      if (!admin) throw new ApiError(409, "email_taken", "An admin with this email already exists");
      await writeAudit(db, {
        adminId: by.id,
        action: "admin.register",
        target: `admin:${admin.id}`,
        ip,
      });
      return c.json({ admin: publicAdmin(admin) }, 201);
    }
    const offered = c.req.header("x-bootstrap-token");
    if (!offered)
      throw new ApiError(
        401,
        "unauthorized",
        "Log in as an admin, or send X-Bootstrap-Token for the first admin",
      );
    if (!c.env.ADMIN_BOOTSTRAP_TOKEN || !safeEqual(offered, c.env.ADMIN_BOOTSTRAP_TOKEN)) {
      throw new ApiError(403, "forbidden", "The bootstrap token is not valid");
    }
    // Cheap check first so a closed bootstrap does not cost a password hash; the insert re-checks atomically.
    const closed = () =>
      new ApiError(403, "bootstrap_closed", "An admin already exists: ask an admin to register you");
    if ((await countAdmins(db)) > 0) throw closed();
    await assertStrongPassword(body.password, body.email);
    input.passwordHash = hashPassword(body.password);
    const admin = await createFirstAdmin(db, input);
    if (!admin) throw closed();
    await writeAudit(db, { adminId: admin.id, action: "admin.bootstrap", target: `admin:${admin.id}`, ip });
    return c.json({ admin: publicAdmin(admin) }, 201);
  })
  .openapi(login, async (c) => {
    const { email, password } = c.req.valid("json");
    const db = c.var.db;
    const ip = clientAddress(c);
    const admin = await guardedCheck(db, { scope: "admin", email, ip }, async () =>
      matchPassword(await findAdminByEmail(db, email), password),
    ).catch(async (err) => {
      await auditRefusal(db, err, email, ip);
      throw err;
    });
    if (needsRehash(admin.passwordHash)) await setAdminPasswordHash(db, admin.id, hashPassword(password));
    await writeAudit(db, { adminId: admin.id, action: "admin.login", ip });
    const access_token = await issueToken(c.env, "admin", { sub: String(admin.id), ver: admin.tokenVersion });
    return c.json({ access_token, token_type: "bearer" as const, admin: publicAdmin(admin) }, 200);
  })
  .openapi(me, (c) => c.json({ admin: publicAdmin(c.var.admin) }, 200));
