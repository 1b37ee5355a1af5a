// Weak new passwords are refused with 400 weak_password at sign-up, password change and admin
// registration, and nothing is stored; the message names the problem and the whole rule.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { bootstrapAdmin, call, signup, uniqueEmail } from "./helpers";

const RULE = /8 to 128 characters, not one of the most common passwords, and not your email address/;

const weak = (email: string) => [
  ["too short", "short12", /too short/i],
  ["129 characters", "a".repeat(129), /too long/i],
  ["a top password", "12345678", /most common/i],
  ["a top password in capitals", "PassWord1", /most common/i],
  ["a common one deep in the list", "trustno1", /most common/i],
  ["the email itself", email.toUpperCase(), /email/i],
];

describe("weak passwords at sign-up", () => {
  const email = uniqueEmail("weak");
  it.each(weak(email))("refuses %s and creates no account", async (_what, password, why) => {
    const res = await call("POST", "/api/auth/signup", { body: { email, password } });
    expect(res.status).toBe(400);
    expect(res.error?.code).toBe("weak_password");
    expect(res.error?.message).toMatch(why as RegExp);
    expect(res.error?.message).toMatch(RULE);
    const row = await env.DB.prepare("select count(*) as n from users where email = ?")
      .bind(email)
      .first("n");
    expect(row).toBe(0);
  });

  it("accepts 8 and 128 characters that are not common", async () => {
    expect(
      (await call("POST", "/api/auth/signup", { body: { email: uniqueEmail(), password: "kq7#Vw2z" } }))
        .status,
    ).toBe(201);
    const long = "orbit-".repeat(21).slice(0, 128);
    expect(
      (await call("POST", "/api/auth/signup", { body: { email: uniqueEmail(), password: long } })).status,
    ).toBe(201);
  });
});

describe("weak passwords at password change", () => {
  it("refuses a common password and the email, and the old password still works", async () => {
    const u = await signup();
    for (const password of ["iloveyou1", u.email, "1234567"]) {
      const res = await call("PUT", "/api/profile/update", {
        token: u.token,
        body: { current_password: u.password, password },
      });
      expect(res.status).toBe(400);
      expect(res.error?.code).toBe("weak_password");
      expect(res.error?.message).toMatch(RULE);
    }
    // Changing the email at the same time: the new password may not equal the new email either.
    const next = uniqueEmail("next");
    const both = await call("PUT", "/api/profile/update", {
      token: u.token,
      body: { current_password: u.password, email: next, password: next },
    });
    expect(both.error?.code).toBe("weak_password");
    const login = await call("POST", "/api/auth/login", { body: { email: u.email, password: u.password } });
    expect(login.status).toBe(200);
  });
});

describe("weak passwords at admin registration", () => {
  it("refuses them for the first admin and for admins added by an admin", async () => {
    const bootstrap = { "x-bootstrap-token": env.ADMIN_BOOTSTRAP_TOKEN };
    const first = await call("POST", "/api/admin/auth/register", {
      body: { email: "first@example.com", password: "password", name: "First" },
      headers: bootstrap,
    });
    expect(first.status).toBe(400);
    expect(first.error?.code).toBe("weak_password");
    expect(await env.DB.prepare("select count(*) as n from admin_users").first("n")).toBe(0);

    const admin = await bootstrapAdmin();
    const added = await call("POST", "/api/admin/auth/register", {
      token: admin.token,
      body: { email: "second@example.com", password: "qwertyuiop", name: "Second" },
    });
    expect(added.status).toBe(400);
    expect(added.error?.message).toMatch(RULE);
    expect(await env.DB.prepare("select count(*) as n from admin_users").first("n")).toBe(1);
  });
});
