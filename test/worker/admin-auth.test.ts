import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AdminRegisterBody } from "../../worker/contract";
import { AUDIT_NOISE_DAYS, AUDIT_NOISE_MAX, AUDIT_TEXT_MAX, pruneAudit } from "../../worker/db/audit";
import { getDb } from "../../worker/db/client";
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

describe("the audit log under failed admin sign-ins (issue 22.5)", () => {
  const count = async (action: string, ip: string) =>
    (await env.DB.prepare("select count(*) as n from audit_log where action = ? and ip = ?")
      .bind(action, ip)
      .first("n")) as number;

  it("writes each checked failure and one refusal per window, not a row per request", async () => {
    const ip = "203.0.113.222";
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await call("POST", "/api/admin/auth/login", {
        body: { email: `nobody-${"x".repeat(150)}@example.com`, password: `guess ${i}` },
        headers: { "cf-connecting-ip": ip },
      });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
    expect([await count("admin.login_failed", ip), await count("admin.login_refused", ip)]).toEqual([5, 1]);
    const longest = await env.DB.prepare("select max(length(target)) as n from audit_log where ip = ?")
      .bind(ip)
      .first("n");
    expect(longest).toBeLessThanOrEqual(AUDIT_TEXT_MAX);
  });

  it("prunes old and surplus failure rows and keeps what admins did", async () => {
    const old = Math.floor(Date.now() / 1000) - (AUDIT_NOISE_DAYS + 1) * 86_400;
    await env.DB.prepare(
      `insert into audit_log (admin_id, action, target, ip, created_at) values
         (null, 'admin.login_failed', 'email:old@example.com', '198.51.100.250', ?1),
         (1, 'profile.delete', 'profile:1', '198.51.100.250', ?1)`,
    )
      .bind(old)
      .run();
    // Past the cap: AUDIT_NOISE_MAX + 5 recent refusals.
    await env.DB.prepare(
      `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?1)
       insert into audit_log (admin_id, action, target, ip) select null, 'admin.login_refused', 'email:x', '198.51.100.251' from n`,
    )
      .bind(AUDIT_NOISE_MAX + 5)
      .run();
    await pruneAudit(getDb(env.DB), new Date());
    expect(await count("admin.login_failed", "198.51.100.250")).toBe(0);
    expect(await count("profile.delete", "198.51.100.250")).toBe(1);
    const noise = await env.DB.prepare(
      "select count(*) as n from audit_log where action in ('admin.login_failed', 'admin.login_refused')",
    ).first("n");
    expect(noise).toBe(AUDIT_NOISE_MAX);
  });
});
