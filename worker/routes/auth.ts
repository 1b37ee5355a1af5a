// User accounts: signup, login, me.
import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../app-env";
import { guardedCheck } from "../auth/login-guard";
import { assertStrongPassword } from "../auth/password-policy";
import { hashPassword, matchPassword, needsRehash } from "../auth/passwords";
import { issueToken } from "../auth/tokens";
import { Credentials, Me, Signup, UserSession } from "../contract/accounts";
import { createUser, findUserByEmail, publicUser, setPasswordHash } from "../db/users";
import { ApiError } from "../errors";
import { requireUser } from "../middleware/auth";
import { clientAddress } from "../middleware/client-address";
import { rateLimit } from "../middleware/rate-limit";
import { errors, jsonBody, jsonContent } from "../schemas";

const security = [{ userBearer: [] }];

const signup = createRoute({
  method: "post",
  path: "/signup",
  tags: ["users"],
  summary: "Create a user account",
  middleware: [rateLimit("signup")],
  request: { body: jsonBody(Signup) },
  responses: {
    201: jsonContent(UserSession, "Account created"),
    400: errors[400],
    409: errors[409],
    415: errors[415],
    429: errors[429],
  },
});

const login = createRoute({
  method: "post",
  path: "/login",
  tags: ["users"],
  summary: "Log in and get a user token",
  request: { body: jsonBody(Credentials) },
  responses: {
    200: jsonContent(UserSession, "Logged in"),
    400: errors[400],
    401: errors[401],
    429: errors[429],
  },
});

const me = createRoute({
  method: "get",
  path: "/me",
  tags: ["users"],
  summary: "The logged-in user",
  security,
  middleware: [requireUser()],
  responses: { 200: jsonContent(Me, "The user"), 401: errors[401] },
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
