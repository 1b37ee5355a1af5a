import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { api, bearer, call, expectJson, signup, uniqueEmail } from "./helpers";

describe("user signup", () => {
  it("creates an account and answers 201 with a token and the user", async () => {
    const email = uniqueEmail();
    const res = await expectJson(api.auth.signup.$post({ json: { email, password: "longenough" } }), 201);
    expect(res.user).toMatchObject({ email, id: expect.any(Number) });
    expect(res.token.split(".")).toHaveLength(3);
    expect(res.user).not.toHaveProperty("password_hash");
  });

  it("stores an Argon2id PHC hash meeting OWASP, never the password", async () => {
    const { email, password } = await signup(uniqueEmail(), "my secret passphrase ü");
    const row = await env.DB.prepare("select * from users where email = ?")
      .bind(email)
      .first<Record<string, string>>();
    expect(row?.password_hash).toMatch(
      /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
    );
    expect(JSON.stringify(row)).not.toContain(password);
  });

  it("answers 409 when the email is taken, whatever its case", async () => {
    const { email } = await signup();
    const res = await call("POST", "/api/auth/signup", {
      body: { email: email.toUpperCase(), password: "another pass" },
    });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe("email_taken");
  });

  it.each([
    [{ email: "not-an-email", password: "longenough" }],
    [{ email: "a@example.com" }],
    [{}],
    [{ email: "a@example.com", password: "x".repeat(1025) }],
  ])("answers 400 in the error shape for %j", async (body) => {
    const res = await call("POST", "/api/auth/signup", { body });
    expect(res.status).toBe(400);
    expect(res.error).toMatchObject({ code: "validation_error", message: expect.any(String) });
  });
});

describe("user login and me", () => {
  it("logs in with the right password and the token reads /me", async () => {
    const { email, password, id } = await signup();
    const login = await expectJson(
      api.auth.login.$post({ json: { email: email.toUpperCase(), password } }),
      200,
    );
    expect(login.user).toMatchObject({ id, email });
    const me = await expectJson(api.auth.me.$get({}, bearer(login.token)), 200);
    expect(me.user).toMatchObject({ id, email });
  });

  it("answers 401 for a wrong password and for an unknown email, alike", async () => {
    const { email } = await signup();
    const wrong = await call("POST", "/api/auth/login", { body: { email, password: "wrong password" } });
    const unknown = await call("POST", "/api/auth/login", {
      body: { email: uniqueEmail(), password: "whatever1" },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json).toEqual(unknown.json);
  });

  it("verifies non-ASCII passwords by their full UTF-8 bytes", async () => {
    const { email } = await signup(uniqueEmail(), "пароль-очень-секретный");
    const prefixOnly = await call("POST", "/api/auth/login", { body: { email, password: "пароль-оч" } });
    expect(prefixOnly.status).toBe(401);
    const ok = await call("POST", "/api/auth/login", { body: { email, password: "пароль-очень-секретный" } });
    expect(ok.status).toBe(200);
  });

  it("answers 401 on /me without a token", async () => {
    const res = await call("GET", "/api/auth/me");
    expect(res.status).toBe(401);
    expect(res.error?.code).toBe("unauthorized");
  });
});

describe("secrets stay out of logs and answers", () => {
  it("never logs a password or a token, even on failures", async () => {
    const lines: string[] = [];
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(" "));
      }),
    );
    try {
      const password = "log-canary-passphrase-42";
      const { email, token } = await signup(uniqueEmail(), password);
      await call("POST", "/api/auth/login", { body: { email, password: `${password}-wrong` } });
      await call("POST", "/api/auth/login", { body: { email, password } });
      await call("PUT", "/api/profile/update", {
        token,
        body: { current_password: password, password: "x" },
      });
      await call("POST", "/api/auth/signup", {
        rawBody: `{"password":"${password}"`,
        headers: { "content-type": "application/json" },
      });
      const all = lines.join("\n");
      expect(all).not.toContain(password);
      expect(all).not.toContain(token);
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });
});
