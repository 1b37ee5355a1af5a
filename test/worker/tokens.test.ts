import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { bootstrapAdmin, call, signup } from "./helpers";

const key = (secret: string) => new TextEncoder().encode(secret);
const b64url = (v: unknown) =>
  btoa(JSON.stringify(v)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");

async function forge(claims: Record<string, unknown>, secret = env.JWT_SECRET, exp: number | string = "1h") {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(key(secret));
}

describe("user tokens", () => {
  it("rejects a tampered payload", async () => {
    const { token } = await signup();
    const [h, , s] = token.split(".");
    const other = b64url({ sub: "999", aud: "user", iss: "moneymoney", exp: 9_999_999_999, iat: 1 });
    const res = await call("GET", "/api/auth/me", { token: `${h}.${other}.${s}` });
    expect(res.status).toBe(401);
    expect(res.error?.code).toBe("invalid_token");
  });

  it("rejects an expired token", async () => {
    const { id } = await signup();
    const expired = await forge(
      { sub: String(id), aud: "user", iss: "moneymoney", ver: 0 },
      env.JWT_SECRET,
      Math.floor(Date.now() / 1000) - 10,
    );
    const res = await call("GET", "/api/auth/me", { token: expired });
    expect(res.status).toBe(401);
    expect(res.error?.code).toBe("token_expired");
  });

  it("rejects alg=none", async () => {
    const { id } = await signup();
    const unsigned = `${b64url({ alg: "none", typ: "JWT" })}.${b64url({ sub: String(id), aud: "user", iss: "moneymoney", ver: 0, iat: 1, exp: 9_999_999_999 })}.`;
    expect((await call("GET", "/api/auth/me", { token: unsigned })).status).toBe(401);
  });

  it("rejects a token without exp", async () => {
    const { id } = await signup();
    const noExp = await new SignJWT({ sub: String(id), aud: "user", iss: "moneymoney", ver: 0 })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuedAt()
      .sign(key(env.JWT_SECRET));
    expect((await call("GET", "/api/auth/me", { token: noExp })).status).toBe(401);
  });

  it("rejects the right secret with the wrong audience", async () => {
    const { id } = await signup();
    const wrongAud = await forge({ sub: String(id), aud: "admin", iss: "moneymoney", ver: 0 });
    expect((await call("GET", "/api/auth/me", { token: wrongAud })).status).toBe(401);
  });

  it("accepts a well-formed token signed with the user secret (the forge itself is sound)", async () => {
    const { id } = await signup();
    const good = await forge({ sub: String(id), aud: "user", iss: "moneymoney", ver: 0 });
    expect((await call("GET", "/api/auth/me", { token: good })).status).toBe(200);
  });
});

describe("audiences do not cross", () => {
  it("refuses a user token on admin routes and an admin token on user routes", async () => {
    const admin = await bootstrapAdmin();
    const user = await signup();
    expect((await call("GET", "/api/admin/profiles", { token: user.token })).status).toBe(401);
    expect((await call("GET", "/api/auth/me", { token: admin.token })).status).toBe(401);
    expect((await call("GET", "/api/instruments", { token: admin.token })).status).toBe(401);
    expect((await call("GET", "/api/admin/profiles", { token: admin.token })).status).toBe(200);
  });

  it("refuses an admin-audience token signed with the user secret", async () => {
    const admin = await bootstrapAdmin("second-root@example.com").catch(() => null);
    const forged = await forge(
      { sub: String(admin?.id ?? 1), aud: "admin", iss: "moneymoney", ver: 0 },
      env.JWT_SECRET,
    );
    expect((await call("GET", "/api/admin/profiles", { token: forged })).status).toBe(401);
  });
});
