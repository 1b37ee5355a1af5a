// Probes of issue 12 item 2: an attacker cannot lock the owner out (ASVS 5.0 6.3.1). Where the client
// address comes from: test/worker/client-address.test.ts.
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
    // A new client of the owner's is checked all the same (issue 22.3), and so is the known one.
    expect((await login(u.email, u.password, "100.65.0.1")).status).toBe(200);
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

describe("throttling that holds under concurrency (issue 22.2, 22.3)", () => {
  it("checks at most 5 of 40 concurrent wrong passwords from one address for one account", async () => {
    const u = await signup();
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        login(u.email, `wrong guess ${i}`, "203.0.113.140").then((r) => r.status),
      ),
    );
    const count = (s: number) => statuses.filter((x) => x === s).length;
    expect([count(401), count(429)]).toEqual([5, 35]);
    // Blocked: the right password from that address too; from another address it signs in.
    expect((await login(u.email, u.password, "203.0.113.140")).status).toBe(429);
    expect((await login(u.email, u.password, "203.0.113.141")).status).toBe(200);
  });

  it("lets the owner in from new addresses while guesses from rotating addresses keep coming", async () => {
    const u = await signup();
    const guessers = Array.from({ length: 60 }, (_, i) => `100.66.${i}.1`);
    const owners = Array.from({ length: 8 }, (_, i) => `100.67.${i}.1`);
    const guesses = Promise.all(
      guessers.map((ip, i) => login(u.email, `guess ${i}`, ip).then((r) => r.status)),
    );
    const owner = owners.map((ip) => login(u.email, u.password, ip).then((r) => r.status));
    expect(await Promise.all(owner)).toEqual(owners.map(() => 200));
    expect((await guesses).every((s) => s === 401)).toBe(true);
    // A guesser's next try at the attacked account is refused; the owner's new devices still get in.
    expect((await login(u.email, "guess again", guessers[0])).status).toBe(429);
    expect((await login(u.email, u.password, "100.68.0.1")).status).toBe(200);
  });
});
