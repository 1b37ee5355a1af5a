// The logged-in user's own account: change email or password, delete.
import type { Context } from "hono";
import { type AppEnv, createRouter } from "../app-env";
import { guardedCheck } from "../auth/login-guard";
import { assertStrongPassword } from "../auth/password-policy";
import { hashPassword, verifyPassword } from "../auth/passwords";
import { issueToken } from "../auth/tokens";
import { AccountDelete, AccountUpdate, AccountUpdated } from "../contract/accounts";
import { listUserAlerts } from "../db/alerts";
import { isUniqueViolation } from "../db/errors";
import { deleteUser, publicUser, updateUser } from "../db/users";
import { ApiError } from "../errors";
import { alertsChangedOn } from "../live/instrument-feed";
import { userChannel } from "../live/user-channel";
import { requireUser } from "../middleware/auth";
import { clientAddress } from "../middleware/client-address";
import { declare, userRoute } from "../middleware/declare-route";
import { jsonBody, jsonContent } from "../schemas";

const update = declare(
  userRoute("users", requireUser({ fresh: true })),
  "put",
  "/update",
  [400, 401, 403, 409, 429],
  {
    summary: "Change email and/or password (current password required)",
    request: {
      body: jsonBody(AccountUpdate),
    },
    responses: { 200: jsonContent(AccountUpdated, "Updated") },
  },
);

const remove = declare(
  userRoute("users", requireUser({ fresh: true })),
  "delete",
  "/delete",
  [400, 401, 403, 429],
  {
    summary: "Delete the account (current password required)",
    request: { body: jsonBody(AccountDelete) },
    responses: { 204: { description: "Deleted" } },
  },
);

/**
 * Re-checks the current password under its own throttle ("user-reauth"): a stolen token cannot guess
 * it freely, and its wrong guesses never count against the owner's sign-ins.
 */
async function confirmPassword(c: Context<AppEnv>, password: string) {
  const user = c.var.user;
  await guardedCheck(
    c.var.db,
    { scope: "user-reauth", email: `${user.id}`, ip: clientAddress(c) },
    async () => (verifyPassword(user.passwordHash, password) ? user : null),
    // 403, not 401: the token is fine, so clients must not treat this as being logged out.
    () => new ApiError(403, "wrong_password", "The current password is not correct"),
  );
}

export const profileRoutes = createRouter()
  .openapi(update, async (c) => {
    const body = c.req.valid("json");
    await confirmPassword(c, body.current_password);
    if (body.password !== undefined)
      await assertStrongPassword(body.password, body.email ?? c.var.user.email);
    const changes = {
      email: body.email,
      passwordHash: body.password === undefined ? undefined : hashPassword(body.password),
    };
    const user = await updateUser(c.var.db, c.var.user.id, changes).catch((err) => {
      if (isUniqueViolation(err))
        throw new ApiError(409, "email_taken", "An account with this email already exists");
      throw err;
    });
    if (!user) throw new ApiError(401, "invalid_token", "The account no longer exists");
    const token = await issueToken(c.env, "user", { sub: String(user.id), ver: user.tokenVersion });
    return c.json({ user: publicUser(user), token }, 200);
  })
  .openapi(remove, async (c) => {
    await confirmPassword(c, c.req.valid("json").current_password);
    // Alerts, notifications and push subscriptions go with the account (ON DELETE CASCADE).
    const alerted = (await listUserAlerts(c.var.db, c.var.user.id)).map((a) => a.symbol);
    await deleteUser(c.var.db, c.var.user.id);
    await alertsChangedOn(c.env, alerted);
    // The account's open dashboards close for good (best effort: the account is gone either way).
    await userChannel(c.env, c.var.user.id)
      .accountDeleted()
      .catch((e) =>
        console.error(`closing the deleted account's channel: ${e instanceof Error ? e.message : e}`),
      );
    return c.body(null, 204);
  });
