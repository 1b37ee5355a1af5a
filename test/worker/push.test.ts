// Web Push end to end: a browser subscription from the local push service (test/helpers/push-service.ts,
// which checks VAPID and decrypts with http_ece), an alert crossing, the PUSH_QUEUE consumer sending it:
// the right user's browser gets the right decrypted payload; a 410 removes the subscription; 429 and 5xx
// are retried with backoff and other refusals are not.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { Candle } from "../../core/candles/types";
import worker from "../../worker/index";
import { publishCandles } from "../../worker/live/instrument-feed";
import { type PushMessage, pushBackoff } from "../../worker/push/push-queue";
import { api, bearer, call, expectJson, signup } from "./helpers";

const pushUrl = inject("pushUrl");
const T0 = 1_700_000_000 - (1_700_000_000 % 3600);
let minuteAt = 0;
/** The next minutes of the instrument, with these closes. */
const next = (closes: number[]): Candle[] =>
  closes.map((close) => ({
    time: T0 + 60 * minuteAt++,
    open: close,
    high: close,
    low: close,
    close,
    volume: 1,
  }));

interface Browser {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}
interface Inbox {
  received: {
    payload: string | null;
    vapid: { ok: boolean; sub?: string; error?: string };
    encoding: string;
    ttl: string;
  }[];
  attempts: number;
}
const browser = async (): Promise<Browser> =>
  (await fetch(`${pushUrl}/subscribe`, { method: "POST" })).json();
const idOf = (b: Browser) => b.endpoint.split("/").at(-1);
const inbox = async (b: Browser): Promise<Inbox> => (await fetch(`${pushUrl}/messages/${idOf(b)}`)).json();
const script = (b: Browser, statuses: number[]) =>
  fetch(`${pushUrl}/script/${idOf(b)}`, { method: "POST", body: JSON.stringify(statuses) });

async function subscribe(token: string, b: Browser) {
  return expectJson(api.push.subscriptions.$post({ json: b }, bearer(token)), 201);
}

async function alertOn(token: string, value: number) {
  const res = await call("POST", "/api/alerts", {
    token,
    body: { symbol: "PUSHUSDT", kind: "price_above", value },
  });
  expect(res.status, res.text).toBe(201);
}

/** Arms the alert below its level, then crosses it. */
const cross = (level: number) => publishCandles(env, "PUSHUSDT", next([level * 0.9, level * 1.01]));

const subscriptions = async (userId: number) =>
  (await env.DB.prepare("select count(*) n from push_subscriptions where user_id = ?")
    .bind(userId)
    .first("n")) as number;

beforeAll(async () => {
  await env.DB.prepare(
    "insert into trading_profiles (symbol, name, has_data, models_trained) values ('PUSHUSDT', 'P', 1, 1)",
  ).run();
});

describe("subscriptions", () => {
  it("serves the VAPID key and refuses endpoints that are not https push services", async () => {
    const u = await signup();
    const key = await expectJson(api.push.key.$get({}, bearer(u.token)), 200);
    expect(key.public_key).toBe(env.VAPID_PUBLIC_KEY);
    const b = await browser();
    for (const endpoint of ["http://push.example.com/x", "ftp://127.0.0.1/x", "not a url"]) {
      const res = await call("POST", "/api/push/subscriptions", { token: u.token, body: { ...b, endpoint } });
      expect(res.status, endpoint).toBe(400);
    }
    const short = await call("POST", "/api/push/subscriptions", {
      token: u.token,
      body: { ...b, keys: { ...b.keys, auth: "AAAA" } },
    });
    expect(short.status).toBe(400);
    expect(short.error?.message).toContain("16 bytes");
    // 65 bytes, but not a point on the curve.
    const p256dh = `BA${"A".repeat(85)}`;
    const offCurve = await call("POST", "/api/push/subscriptions", {
      token: u.token,
      body: { ...b, keys: { ...b.keys, p256dh } },
    });
    expect(offCurve.error?.code).toBe("invalid_keys");
    await subscribe(u.token, b);
    // The same browser again is one subscription; deleting it twice is a 404 the second time.
    await subscribe(u.token, b);
    expect(await subscriptions(u.id)).toBe(1);
    const gone = { json: { endpoint: b.endpoint } };
    expect((await api.push.subscriptions.$delete(gone, bearer(u.token))).status).toBe(204);
    expect((await api.push.subscriptions.$delete(gone, bearer(u.token))).status).toBe(404);
  });
});

describe("delivery", () => {
  it("the alert's owner gets the decrypted notification with a valid VAPID header; nobody else does", async () => {
    const owner = await signup();
    const stranger = await signup();
    const mine = await browser();
    const theirs = await browser();
    await subscribe(owner.token, mine);
    await subscribe(stranger.token, theirs);
    await alertOn(owner.token, 1000);
    await cross(1000);
    await vi.waitUntil(async () => (await inbox(mine)).received.length > 0, {
      timeout: 20_000,
      interval: 50,
    });
    const got = (await inbox(mine)).received;
    expect(got).toHaveLength(1);
    expect(got[0].vapid).toEqual({ ok: true, sub: env.VAPID_SUBJECT });
    expect(got[0].encoding).toBe("aes128gcm");
    const payload = JSON.parse(got[0].payload ?? "null");
    expect(payload).toMatchObject({
      symbol: "PUSHUSDT",
      kind: "price_above",
      title: "PUSHUSDT above 1000",
      url: "/dashboard?symbol=PUSHUSDT",
    });
    const stored = await expectJson(api.notifications.$get({ query: {} }, bearer(owner.token)), 200);
    expect(payload.id).toBe(stored.notifications[0].id);
    expect((await inbox(theirs)).received).toHaveLength(0);
    // The same candles again: no second push.
    minuteAt -= 2;
    await cross(1000);
    await new Promise((r) => setTimeout(r, 500));
    expect((await inbox(mine)).attempts).toBe(1);
  });

  it("a 410 from the push service removes the subscription", async () => {
    const u = await signup();
    const b = await browser();
    await subscribe(u.token, b);
    await script(b, [410]);
    await alertOn(u.token, 2000);
    await cross(2000);
    await vi.waitUntil(async () => (await subscriptions(u.id)) === 0, { timeout: 20_000, interval: 50 });
    expect((await inbox(b)).attempts).toBe(1);
  });

  it("a 429 is delivered again after its Retry-After, and arrives once", async () => {
    const u = await signup();
    const b = await browser();
    await subscribe(u.token, b);
    await script(b, [429]);
    await alertOn(u.token, 3000);
    await cross(3000);
    await vi.waitUntil(async () => (await inbox(b)).received.length > 0, { timeout: 25_000, interval: 100 });
    const box = await inbox(b);
    expect(box.attempts).toBe(2);
    expect(box.received).toHaveLength(1);
    expect(await subscriptions(u.id)).toBe(1);
  });
});

describe("the consumer's decisions", () => {
  async function deliverOnce(status: number, attempts: number) {
    const u = await signup();
    const b = await browser();
    const { id: subscriptionId } = await subscribe(u.token, b);
    await script(b, [status]);
    const n = await env.DB.prepare(
      "insert into notifications (user_id, event_key, symbol, kind, title, body, event_time) values (?, ?, 'PUSHUSDT', 'price_above', 't', 'b', 0) returning id",
    )
      .bind(u.id, crypto.randomUUID())
      .first<{ id: number }>();
    const batch = createMessageBatch<PushMessage>("moneymoney-push", [
      {
        id: "m1",
        timestamp: new Date(),
        attempts,
        body: { notificationId: n?.id as number, subscriptionId },
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch as MessageBatch<never>, env);
    return { result: await getQueueResult(batch, ctx), userId: u.id };
  }

  it("retries 5xx with exponential backoff, drops other refusals, keeps the subscription", async () => {
    const failed = await deliverOnce(503, 3);
    // (The test pool's result does not carry the delay: pushBackoff is what the consumer passes.)
    expect(failed.result.retryMessages.map((m) => m.msgId)).toEqual(["m1"]);
    expect(pushBackoff(1)).toBe(5);
    expect(pushBackoff(3)).toBe(20);
    expect(pushBackoff(20)).toBe(600);
    const refused = await deliverOnce(400, 1);
    expect(refused.result.retryMessages).toEqual([]);
    expect(refused.result.explicitAcks).toEqual(["m1"]);
    expect(await subscriptions(refused.userId)).toBe(1);
    const gone = await deliverOnce(404, 1);
    expect(gone.result.explicitAcks).toEqual(["m1"]);
    expect(await subscriptions(gone.userId)).toBe(0);
  });
});
