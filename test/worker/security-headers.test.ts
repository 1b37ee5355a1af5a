// Probes of issue 12 items 7, 8 and 10: no-store on personal answers, a CSP that allows only this
// origin's WebSockets, sockets that vanish, and overlong URLs in the contract's error shape.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { hub } from "../../worker/progress-hub";
import { bootstrapAdmin, call, signup } from "./helpers";

describe("Cache-Control and CSP (issue 12.7)", () => {
  it("sends no-store on every answer that carries a token or personal data", async () => {
    const u = await signup();
    const admin = await bootstrapAdmin();
    const answers = [
      await call("POST", "/api/auth/signup", {
        body: { email: "nostore@example.com", password: "long enough pw" },
      }),
      await call("POST", "/api/auth/login", { body: { email: u.email, password: u.password } }),
      await call("POST", "/api/auth/login", { body: { email: u.email, password: "wrong one!" } }),
      await call("GET", "/api/auth/me", { token: u.token }),
      await call("PUT", "/api/profile/update", { token: u.token, body: { current_password: u.password } }),
      await call("POST", "/api/instruments/ws/ticket", { token: u.token }),
      await call("POST", "/api/admin/auth/login", { body: { email: admin.email, password: admin.password } }),
      await call("GET", "/api/admin/profiles", { token: admin.token }),
      await call("POST", "/api/admin/ws/ticket", { token: admin.token }),
    ];
    for (const res of answers) {
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("allows WebSockets to the configured origin only, whatever Host the request names (issue 22.8)", async () => {
    expect(env.PUBLIC_ORIGIN).toBe("https://app.example");
    for (const [base, ws] of [
      ["http://evil.example", "wss://app.example"],
      ["https://app.example", "wss://app.example"],
    ]) {
      const { exports } = await import("cloudflare:workers");
      const res = await exports.default.fetch(new Request(`${base}/api/health`));
      const csp = res.headers.get("content-security-policy") ?? "";
      const connect = csp.split(";").find((d) => d.trim().startsWith("connect-src")) ?? "";
      expect(connect.trim().split(/\s+/)).toEqual(["connect-src", "'self'", ws]);
    }
  });
});

describe("sockets that vanish (issue 12.8)", () => {
  it("handles an abrupt close (1006) and a socket error without throwing", async () => {
    const { runInDurableObject } = await import("cloudflare:test");
    await runInDurableObject(hub(env), async (instance) => {
      for (const code of [1006, 1005, 1015, 1000, 4000]) {
        const { 1: server } = new WebSocketPair();
        server.accept();
        await expect(instance.webSocketClose(server, code)).resolves.toBeUndefined();
        // Closing again (the socket is already gone) must not throw either.
        await expect(instance.webSocketClose(server, code)).resolves.toBeUndefined();
      }
      const { 1: broken } = new WebSocketPair();
      broken.accept();
      await expect(instance.webSocketError(broken)).resolves.toBeUndefined();
    });
  });
});

describe("overlong URLs and headers (issue 12.10)", () => {
  it("answers 414 for an overlong path or query and 431 for huge headers, in the error shape", async () => {
    const longPath = await call("GET", `/api/instruments/${"A".repeat(5000)}/data/1h`);
    expect(longPath.status).toBe(414);
    expect(longPath.error?.code).toBe("uri_too_long");
    const longQuery = await call("GET", `/api/health?x=${"a".repeat(10_000)}`);
    expect(longQuery.status).toBe(414);
    expect(longQuery.error?.code).toBe("uri_too_long");
    const page = await call("GET", `/${"p".repeat(5000)}`);
    expect(page.status).toBe(414);
    const headers = await call("GET", "/api/health", { headers: { "x-pad": "h".repeat(40_000) } });
    expect(headers.status).toBe(431);
    expect(headers.error?.code).toBe("headers_too_large");
    expect((await call("GET", "/api/health")).status).toBeLessThan(500);
  });
});
