// Probes of issue 12 items 2 and 9: an attacker cannot lock the owner out (ASVS 5.0 6.3.1), and
// without CF-Connecting-IP clients are told apart by their connection's address, not one shared key.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, signup } from "./helpers";

const login = (email: string, password: string, ip: string) =>
  call("POST", "/api/auth/login", { body: { email, password }, headers: { "cf-connecting-ip": ip } });

describe("no malicious lockout (issue 12.2)", () => {
  it("5 wrong guesses from one address do not keep the owner out from another", async () => {
    const u = await signup();
    for (let i = 0; i < 5; i++)
      expect((await login(u.email, "wrong guess", "203.0.113.66")).status).toBe(401);
    expect((await login(u.email, "wrong guess", "203.0.113.66")).status).toBe(429);
    expect((await login(u.email, u.password, "198.51.100.20")).status).toBe(200);
  });

  it("one wrong guess per block period from an attacker never blocks the owner's known client", async () => {
    const u = await signup();
    expect((await login(u.email, u.password, "192.0.2.10")).status).toBe(200); // the owner's laptop
    // A botnet: 30 addresses, one guess each, far past the per-account limit.
    for (let i = 0; i < 30; i++) await login(u.email, `guess ${i}`, `100.64.${i}.1`);
    const stranger = await login(u.email, u.password, "100.65.0.1");
    expect(stranger.status).toBe(429); // a new client is slowed, for at most a minute
    expect(Number(stranger.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect((await login(u.email, u.password, "192.0.2.10")).status).toBe(200);
  });

  it("wrong current_password guesses with a stolen token do not lock the owner's sign-in", async () => {
    const u = await signup();
    const guess = () =>
      call("DELETE", "/api/profile/delete", {
        token: u.token,
        body: { current_password: "not it" },
        headers: { "cf-connecting-ip": "203.0.113.99" },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await guess()).status);
    expect(statuses.slice(0, 5)).toEqual([403, 403, 403, 403, 403]);
    expect(statuses.slice(5)).toEqual([429, 429]); // the thief is throttled ...
    // ... but the owner signs in, from anywhere, including a fresh address.
    expect((await login(u.email, u.password, "198.51.100.77")).status).toBe(200);
    expect((await login(u.email, u.password, "203.0.113.99")).status).toBe(200);
  });
});

describe("client address without CF-Connecting-IP (issue 12.9)", () => {
  // A request as workerd delivers it without Cloudflare's header: cf.clientIp is the connection.
  const bare = (email: string, password: string, clientIp: string) =>
    exports.default.fetch(
      new Request("http://mm.test/api/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password }),
        cf: { clientIp },
      } as RequestInit),
    );

  it("21 failures from one connection do not lock out another", async () => {
    const u = await signup();
    for (let i = 0; i < 21; i++) await bare(`nobody${i}@example.com`, "wrong guess", "192.0.2.50:40000");
    expect((await bare("nobody99@example.com", "wrong guess", "192.0.2.50:40001")).status).toBe(429);
    expect((await bare(u.email, u.password, "192.0.2.51:40000")).status).toBe(200);
    expect((await bare(u.email, u.password, "[2001:db8::1]:443")).status).toBe(200);
  });
});
