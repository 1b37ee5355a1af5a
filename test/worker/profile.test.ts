import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, bearer, call, expectJson, signup, uniqueEmail } from "./helpers";

const me = async (token: string) => (await expectJson(api.auth.me.$get({}, bearer(token)), 200)).user;

describe("profile update", () => {
  it("changes the email with the current password", async () => {
    const u = await signup();
    const email = uniqueEmail("renamed");
    const res = await expectJson(
      api.profile.update.$put({ json: { current_password: u.password, email } }, bearer(u.token)),
      200,
    );
    expect(res.user).toMatchObject({ id: u.id, email });
    expect((await call("POST", "/api/auth/login", { body: { email, password: u.password } })).status).toBe(
      200,
    );
  });

  it("changes the password, revokes older tokens and returns a working new one", async () => {
    const u = await signup();
    const res = await expectJson(
      api.profile.update.$put(
        { json: { current_password: u.password, password: "brand new password" } },
        bearer(u.token),
      ),
      200,
    );
    expect((await call("GET", "/api/auth/me", { token: u.token })).status).toBe(401);
    expect((await call("GET", "/api/auth/me", { token: res.token })).status).toBe(200);
    expect(
      (await call("POST", "/api/auth/login", { body: { email: u.email, password: u.password } })).status,
    ).toBe(401);
    expect(
      (await call("POST", "/api/auth/login", { body: { email: u.email, password: "brand new password" } }))
        .status,
    ).toBe(200);
  });

  it("refuses a wrong current password and changes nothing", async () => {
    const u = await signup();
    const res = await call("PUT", "/api/profile/update", {
      token: u.token,
      body: { current_password: "not my password", email: uniqueEmail() },
    });
    expect(res.status).toBe(403);
    expect(res.error?.code).toBe("wrong_password");
    expect((await me(u.token)).email).toBe(u.email);
  });

  it("answers 409 for an email another account has, 400 for nothing to change", async () => {
    const a = await signup();
    const b = await signup();
    const clash = await call("PUT", "/api/profile/update", {
      token: a.token,
      body: { current_password: a.password, email: b.email },
    });
    expect(clash.status).toBe(409);
    const empty = await call("PUT", "/api/profile/update", {
      token: a.token,
      body: { current_password: a.password },
    });
    expect(empty.status).toBe(400);
  });

  it("ignores fields it does not know (no mass assignment)", async () => {
    const u = await signup();
    const res = await call("PUT", "/api/profile/update", {
      token: u.token,
      body: {
        current_password: u.password,
        email: uniqueEmail(),
        id: 999,
        token_version: 42,
        password_hash: "x",
      },
    });
    expect(res.status).toBe(200);
    const row = await env.DB.prepare("select id, token_version, password_hash from users where id = ?")
      .bind(u.id)
      .first<Record<string, unknown>>();
    expect(row).toMatchObject({ id: u.id, token_version: 0 });
    expect(String(row?.password_hash)).toMatch(/^\$argon2id\$/);
  });
});

describe("account deletion", () => {
  it("deletes only this account, after the password, and its token stops working", async () => {
    const keep = await signup();
    const gone = await signup();
    expect(
      (
        await call("DELETE", "/api/profile/delete", {
          token: gone.token,
          body: { current_password: "wrong one!" },
        })
      ).status,
    ).toBe(403);
    const res = await call("DELETE", "/api/profile/delete", {
      token: gone.token,
      body: { current_password: gone.password },
    });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect((await call("GET", "/api/auth/me", { token: gone.token })).status).toBe(401);
    expect(
      (await call("POST", "/api/auth/login", { body: { email: gone.email, password: gone.password } }))
        .status,
    ).toBe(401);
    expect((await me(keep.token)).email).toBe(keep.email);
  });

  it("answers 400 without a body and 401 without a token", async () => {
    const u = await signup();
    expect((await call("DELETE", "/api/profile/delete", { token: u.token })).status).toBe(400);
    expect(
      (await call("DELETE", "/api/profile/delete", { body: { current_password: u.password } })).status,
    ).toBe(401);
  });
});
