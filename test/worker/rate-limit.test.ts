// The Workers Rate Limiting bindings (wrangler.toml [[ratelimits]], simulated by the test pool as by
// `wrangler dev`): sign-ups per address, and admin WebSocket tickets and the heavy user routes per
// account and per address, each answering 429 with Retry-After in the contract's error shape.
import { env } from "cloudflare:workers";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UNCONFIRMED_MAX } from "../../worker/middleware/rate-limit";
import { bootstrapAdmin, call, type RawAnswer, signup, uniqueEmail } from "./helpers";
import { arrangeInstrument, series } from "./insights-fixtures";

/**
 * The bindings count in windows aligned to the wall clock: a test that needs N seconds starts early in a
 * window, so that no reset lands in the middle of its count.
 */
async function freshWindow(needSeconds = 8) {
  const left = 60 - ((Date.now() / 1000) % 60);
  if (left < needSeconds) await new Promise((r) => setTimeout(r, left * 1000 + 100));
}

// Counters live beside the test pool, shared by every test file: accounts here get ids no other file
// reaches, so that no other file's user 1 or admin 1 counts against them.
beforeAll(async () => {
  await env.DB.prepare(
    "insert into users (id, email, password_hash) values (900000, 'seed@example.com', 'x')",
  ).run();
  await env.DB.prepare(
    "insert into admin_users (id, email, name, password_hash) values (900000, 'seed@example.com', 'x', 'x')",
  ).run();
  await env.DB.prepare("delete from admin_users where id = 900000").run();
});
beforeEach(() => freshWindow());

/** INSUSDT with trained models, arranged once for the tests that need warm forecasts. */
let arranged: ReturnType<typeof arrangeInstrument> | undefined;
const instrument = () => {
  const { all, NOW } = series();
  arranged ??= arrangeInstrument(all, NOW);
  return arranged;
};

const unique = () => `198.18.${(Math.random() * 256) | 0}.${(Math.random() * 256) | 0}`;

function expectLimited(res: RawAnswer) {
  expect(res.status).toBe(429);
  expect(res.error?.code).toBe("rate_limited");
  expect(Number(res.headers.get("retry-after"))).toBe(60);
}

describe("rate limits", () => {
  it("allows 5 sign-ups a minute from one address, then 429 with Retry-After; other addresses go on", async () => {
    const ip = unique();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await call("POST", "/api/auth/signup", {
        body: { email: uniqueEmail(), password: "a fine passphrase" },
        headers: { "cf-connecting-ip": ip },
      });
      statuses.push(res.status);
      if (i === 5) expectLimited(res);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    expect(await env.DB.prepare("select count(*) as n from users where id > 900000").first("n")).toBe(5);
    const elsewhere = await call("POST", "/api/auth/signup", {
      body: { email: uniqueEmail(), password: "a fine passphrase" },
      headers: { "cf-connecting-ip": unique() },
    });
    expect(elsewhere.status).toBe(201);
  });

  it("limits one user's heavy requests to 60 a minute whatever address they come from", async () => {
    const u = await signup();
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) {
      // An unknown instrument still counts: the limit protects the work of looking.
      statuses.push((await call("GET", "/api/instruments/NOPEUSDT/predictions", { token: u.token })).status);
    }
    expect(statuses.slice(0, 60).every((s) => s === 404)).toBe(true);
    expectLimited(await call("GET", "/api/instruments/NOPEUSDT/backtest", { token: u.token }));
    expectLimited(await call("GET", "/api/instruments/NOPEUSDT/signals/history", { token: u.token }));
    // Another user is not affected.
    const other = await signup();
    expect((await call("GET", "/api/instruments/NOPEUSDT/signals", { token: other.token })).status).toBe(404);
  }, 60_000);

  it("counts every warm forecast too: the refusal, noticed in the background, refuses the next one at once", async () => {
    const { token } = await instrument();
    await freshWindow(25); // the arranging took a while: the count starts early in a window
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++)
      statuses.push((await call("GET", "/api/instruments/INSUSDT/predictions", { token })).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    // The 61st is answered from memory (not held by the limiter) or refused; by the one after, this
    // isolate has seen the refusal and answers at once.
    const over: RawAnswer[] = [];
    for (let i = 0; i < 3; i++) {
      over.push(await call("GET", "/api/instruments/INSUSDT/signals", { token }));
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(over[0].status === 200 || over[0].status === 429).toBe(true);
    for (const res of over.slice(1)) expectLimited(res);
    // The signal and forecast routes count together with the other heavy routes.
    expectLimited(await call("GET", "/api/instruments/INSUSDT/stats", { token }));
  }, 60_000);

  it("bounds a burst of warm forecasts: of 200 at once from one user, at most 60 + UNCONFIRMED_MAX are answered (issue 22.4)", async () => {
    await instrument();
    const u = await signup();
    const ip = unique();
    const get = () =>
      call("GET", "/api/instruments/INSUSDT/predictions", {
        token: u.token,
        headers: { "cf-connecting-ip": ip },
      });
    expect((await get()).status).toBe(200); // warm: the forecast is in this isolate's memory
    await freshWindow(25);
    const statuses = await Promise.all(Array.from({ length: 200 }, () => get().then((r) => r.status)));
    const answered = statuses.filter((s) => s === 200).length;
    expect(answered).toBeGreaterThanOrEqual(59);
    expect(answered).toBeLessThanOrEqual(60 + UNCONFIRMED_MAX);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
  }, 60_000);

  it("makes work wait for the verdict: of 70 concurrent lookups, 60 are done and 10 refused", async () => {
    const u = await signup();
    // Each looks up another symbol (a lookup shared with one in flight is an answer from memory).
    const statuses = await Promise.all(
      Array.from({ length: 70 }, (_, i) =>
        call("GET", `/api/instruments/NOPE${i}USDT/predictions`, { token: u.token }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 404)).toHaveLength(60);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  }, 60_000);

  it("limits one address's heavy requests across many users to 240 a minute", async () => {
    await freshWindow(25);
    const ip = unique();
    const users = await Promise.all([1, 2, 3, 4, 5].map(() => signup()));
    const statuses: number[] = [];
    const get = (i: number) =>
      call("GET", "/api/instruments/NOPEUSDT/stats", {
        token: users[i % users.length].token,
        headers: { "cf-connecting-ip": ip },
      }).then((r) => statuses.push(r.status));
    // 48 requests from each of five users: none over its own 60, together the address's 240.
    for (let i = 0; i < 240; i += 20) await Promise.all(Array.from({ length: 20 }, (_, k) => get(i + k)));
    expect(statuses.every((s) => s === 404)).toBe(true);
    const over = await call("GET", "/api/instruments/NOPEUSDT/stats", {
      token: (await signup()).token,
      headers: { "cf-connecting-ip": ip },
    });
    expectLimited(over);
  }, 60_000);

  it("limits an admin's WebSocket tickets to 60 a minute", async () => {
    const admin = await bootstrapAdmin();
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++)
      statuses.push((await call("POST", "/api/admin/ws/ticket", { token: admin.token })).status);
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    expectLimited(await call("POST", "/api/admin/ws/ticket", { token: admin.token }));
  }, 60_000);
});
