// User accounts: signup, login, me.
import { createRouter } from "../app-env";
import { guardedCheck } from "../auth/login-guard";
import { assertStrongPassword } from "../auth/password-policy";
import { hashPassword, matchPassword, needsRehash } from "../auth/passwords";
import { issueToken } from "../auth/tokens";
import { Credentials, Me, Signup, UserSession } from "../contract/accounts";
import { createUser, findUserByEmail, publicUser, setPasswordHash } from "../db/users";
import { ApiError } from "../errors";
import { clientAddress } from "../middleware/client-address";
import { declare, userRoute } from "../middleware/declare-route";
import { rateLimit } from "../middleware/rate-limit";
import { jsonBody, jsonContent } from "../schemas";

const signup = declare({ tags: ["users"] }, "post", "/signup", [400, 409, 415, 429], {
  summary: "Create a user account",
  middleware: [rateLimit("signup")],
  request: { body: jsonBody(Signup) },
  responses: { 201: jsonContent(UserSession, "Account created") },
});

const login = declare({ tags: ["users"] }, "post", "/login", [400, 401, 429], {
  summary: "Log in and get a user token",
  request: { body: jsonBody(Credentials) },
  responses: { 200: jsonContent(UserSession, "Logged in") },
});

const me = declare(userRoute("users"), "get", "/me", [401], {
  summary: "The logged-in user",
  responses: { 200: jsonContent(Me, "The user") },
});

export const authRoutes = createRouter()
  .openapi(signup, async (c) => {
    const { email, password } = c.req.valid("json");
    await assertStrongPassword(password, email);
    const db = c.var.db;
    const user = await createUser(db, email, hashPassword(password));
    if (!user) throw new ApiError(409, "email_taken", "An account with this email already exists");
    const token = await issueToken(c.env, "user", { sub: String(user.id), ver: user.tokenVersion });
    return c.json({ token, user: publicUser(user) }, 201);
  })
  .openapi(login, async (c) => {
    const { email, password } = c.req.valid("json");
    const db = c.var.db;
    const user = await guardedCheck(db, { scope: "user", email, ip: clientAddress(c) }, async () =>
      matchPassword(await findUserByEmail(db, email), password),
    );
    if (needsRehash(user.passwordHash)) await setPasswordHash(db, user.id, hashPassword(password));
    const token = await issueToken(c.env, "user", { sub: String(user.id), ver: user.tokenVersion });
    return c.json({ token, user: publicUser(user) }, 200);
  })
  .openapi(me, (c) => c.json({ user: publicUser(c.var.user) }, 200));
