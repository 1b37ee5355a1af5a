import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { bootstrapAdmin, call, signup } from "./helpers";

const login = (email: string, password: string, ip = "203.0.113.7") =>
  call("POST", "/api/auth/login", { body: { email, password }, headers: { "cf-connecting-ip": ip } });

describe("failed-login throttling", () => {
  it("answers 429 with Retry-After after 5 tries from one client for one account", async () => {
    const u = await signup();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await login(u.email, `wrong ${i}`, "198.51.100.1")).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429, 429, 429]);
    const blocked = await login(u.email, u.password, "198.51.100.1");
    expect(blocked.status).toBe(429);
    const wait = Number(blocked.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    expect(blocked.error?.code).toBe("too_many_attempts");
  });

  it("gives each new address one try at an attacked account, and the right password still gets in", async () => {
    const u = await signup();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await login(u.email, `wrong ${i}`, `198.51.100.${100 + i}`)).status);
    expect(statuses).toEqual(Array(12).fill(401)); // each address's first try is checked
    // Past 10 tries from unknown addresses the account is under attack: one try per address per block.
    const again = await login(u.email, "wrong again", "198.51.100.111");
    expect(again.status).toBe(429);
    expect(Number(again.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect((await login(u.email, "wrong", "198.51.100.99")).status).toBe(401);
    expect((await login(u.email, "wrong", "198.51.100.99")).status).toBe(429);
    expect((await login(u.email, u.password, "198.51.100.98")).status).toBe(200);
  });

  it("does not block other accounts because one is attacked", async () => {
    const victim = await signup();
    const other = await signup();
    for (let i = 0; i < 6; i++) await login(victim.email, "bad password", `192.0.2.${i}`);
    expect((await login(other.email, other.password, "192.0.2.200")).status).toBe(200);
  });

  it("blocks one client address that sprays many accounts", async () => {
    const ip = "203.0.113.250";
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++)
      statuses.push((await login(`spray${i}@example.com`, "guess guess", ip)).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  it("lets the owner back in once the block has passed, and a success resets the count", async () => {
    const u = await signup();
    for (let i = 0; i < 4; i++) await login(u.email, "bad password", "100.64.0.1");
    expect((await login(u.email, u.password, "100.64.0.1")).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(u.email, "bad password", "100.64.0.1")).status).toBe(401);
  });

  it("throttles admin logins the same way", async () => {
    const admin = await bootstrapAdmin();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await call("POST", "/api/admin/auth/login", {
        body: { email: admin.email, password: `nope ${i}` },
        headers: { "cf-connecting-ip": "10.9.0.1" },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });
});

describe("request bodies", () => {
  it("answers 413 to a body over 1 MB", async () => {
    const big = JSON.stringify({ email: "a@example.com", password: "x".repeat(1024 * 1024) });
    const res = await call("POST", "/api/auth/signup", {
      rawBody: big,
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(413);
    expect(res.error?.code).toBe("payload_too_large");
  });

  it("answers 415 to a body that is not JSON", async () => {
    const res = await call("POST", "/api/auth/signup", {
      rawBody: "email=a@example.com&password=longenough",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(415);
    expect(res.error?.code).toBe("unsupported_media_type");
  });

  it("answers 400 to malformed JSON", async () => {
    const res = await call("POST", "/api/auth/signup", {
      rawBody: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(res.error?.code).toBeTypeOf("string");
  });

  it("answers 404 in the error shape for an unknown API route", async () => {
    const res = await call("GET", "/api/nope");
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: { code: "not_found", message: expect.any(String) } });
  });
});

describe("headers", () => {
  it("sends security headers on API answers and pages", async () => {
    for (const path of ["/api/health", "/", "/dashboard"]) {
      const res = await call("GET", path);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(res.headers.get("strict-transport-security")).toBeNull();
    }
  });

  it("adds HSTS over https", async () => {
    const res = await exports.default.fetch("https://mm.test/api/health");
    expect(res.headers.get("strict-transport-security")).toContain("max-age=");
  });

  it("answers CORS only for configured origins", async () => {
    const preflight = (origin: string) =>
      call("OPTIONS", "/api/auth/login", {
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type",
        },
      });
    expect((await preflight("https://allowed.example")).headers.get("access-control-allow-origin")).toBe(
      "https://allowed.example",
    );
    expect((await preflight("https://evil.example")).headers.get("access-control-allow-origin")).toBeNull();
    const get = await call("GET", "/api/health", { headers: { origin: "https://evil.example" } });
    expect(get.headers.get("access-control-allow-origin")).toBeNull();
  });
});
