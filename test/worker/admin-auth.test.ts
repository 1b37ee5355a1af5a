import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AdminRegisterBody } from "../../worker/contract";
import { api, bearer, call, expectError, expectJson } from "./helpers";

const register = (body: AdminRegisterBody, headers: Record<string, string> = {}, token?: string) =>
  api.admin.auth.register.$post({ json: body }, token ? bearer(token, headers) : { headers });

describe("admin registration", () => {
  it("is closed to the public, opens once with the bootstrap token, then only to admins", async () => {
    const first = { email: "boss@example.com", password: "boss password", name: "Boss" };
    expect((await register(first)).status).toBe(401);
    const wrong = await register(first, { "x-bootstrap-token": "not-the-token" });
    expect(wrong.status).toBe(403);
    expect(await env.DB.prepare("select count(*) as n from admin_users").first("n")).toBe(0);

    const ok = await expectJson(register(first, { "x-bootstrap-token": env.ADMIN_BOOTSTRAP_TOKEN }), 201);
    expect(ok.admin).toMatchObject({ email: "boss@example.com", name: "Boss" });

    const again = await register(
      { email: "other@example.com", password: "other password", name: "Other" },
      { "x-bootstrap-token": env.ADMIN_BOOTSTRAP_TOKEN },
    );
    expect((await expectError(again, 403)).code).toBe("bootstrap_closed");

    const login = await expectJson(
      api.admin.auth.login.$post({ json: { email: first.email, password: first.password } }),
      200,
    );
    expect(login).toMatchObject({ token_type: "bearer", admin: { email: first.email } });
    const token = login.access_token;

    const byAdmin = await register(
      { email: "second@example.com", password: "second password", name: "Second" },
      {},
      token,
    );
    expect(byAdmin.status).toBe(201);
    const dup = await register(
      { email: "second@example.com", password: "second password", name: "Second" },
      {},
      token,
    );
    expect(dup.status).toBe(409);

    const audit = await env.DB.prepare("select action from audit_log order by id").all<{ action: string }>();
    expect(audit.results.map((r) => r.action)).toEqual(
      expect.arrayContaining(["admin.bootstrap", "admin.login", "admin.register"]),
    );
  });

  it("lets only one of two racing bootstrap requests win", async () => {
    const headers = { "x-bootstrap-token": env.ADMIN_BOOTSTRAP_TOKEN };
    await env.DB.prepare("delete from admin_users").run();
    const [a, b] = await Promise.all([
      register({ email: "a@example.com", password: "password a", name: "A" }, headers),
      register({ email: "b@example.com", password: "password b", name: "B" }, headers),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 403]);
    expect(await env.DB.prepare("select count(*) as n from admin_users").first("n")).toBe(1);
  });

  it("answers 401 to a wrong admin password and 400 to a malformed body", async () => {
    const bad = await call("POST", "/api/admin/auth/login", {
      body: { email: "nobody@example.com", password: "nope nope" },
    });
    expect(bad.status).toBe(401);
    expect((await call("POST", "/api/admin/auth/login", { body: { email: 42 } })).status).toBe(400);
  });
});
