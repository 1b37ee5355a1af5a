// A user's live channel (worker/live/user-channel.ts): every notification stored for a user reaches all
// of that user's open dashboards at once, whatever instrument they show (nothing open on the alert's
// instrument), nobody else's; the socket opens only with the user's own ticket, refusals in the
// contract's error shape; a channel holds at most USER_CHANNEL_SOCKETS_MAX sockets and stores nothing.
import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Candle } from "../../core/candles/types";
import { CLOSE_ACCOUNT_GONE, CLOSE_SUPERSEDED, USER_CHANNEL_SOCKETS_MAX } from "../../core/live";
import type { UserEvent } from "../../worker/contract";
import { instrumentFeed, publishCandles } from "../../worker/live/instrument-feed";
import { userChannel } from "../../worker/live/user-channel";
import { api, bearer, call, expectJson, signup, wsTicket } from "./helpers";

const T0 = 1_700_000_000 - (1_700_000_000 % 3600);
const minutes = (from: number, closes: number[]): Candle[] =>
  closes.map((close, i) => ({
    time: T0 + (from + i) * 60,
    open: close,
    high: close,
    low: close,
    close,
    volume: 1,
  }));

const channelTicket = async (token: string) =>
  (await expectJson(api.notifications.ws.ticket.$post({}, bearer(token)), 200)).ticket;

const upgrade = (path: string, ticket: string) =>
  exports.default.fetch(
    new Request(`http://mm.test${path}?ticket=${encodeURIComponent(ticket)}`, {
      headers: { upgrade: "websocket" },
    }),
  );

/** A message as a socket received it: a user channel's UserEvent, or an instrument feed's. */
type Received = { type: string; notification?: Extract<UserEvent, { type: "notification" }>["notification"] };

/** An open socket at `path` past its greeting, with what it receives and its close event. */
async function open(path: string, ticket: string) {
  const res = await upgrade(path, ticket);
  expect(res.status).toBe(101);
  const ws = res.webSocket as WebSocket;
  const got: Received[] = [];
  const greeted = new Promise((resolve) => ws.addEventListener("message", resolve, { once: true }));
  const closed = new Promise<CloseEvent>((resolve) => ws.addEventListener("close", resolve));
  ws.addEventListener("message", (e) => {
    got.push(JSON.parse(String(e.data)));
  });
  ws.accept();
  await greeted;
  return { ws, got, closed };
}

const dashboard = async (token: string) => open("/api/notifications/ws", await channelTicket(token));
const titles = (got: Received[]) => got.flatMap((e) => (e.notification ? [e.notification.title] : []));

async function until(done: () => boolean) {
  for (let i = 0; i < 300 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
}

async function trained(symbol: string) {
  await env.DB.prepare(
    "insert into trading_profiles (symbol, name, has_data, models_trained) values (?, ?, 1, 1)",
  )
    .bind(symbol, symbol)
    .run();
}

async function alert(token: string, symbol: string, value: number) {
  const res = await call("POST", "/api/alerts", { token, body: { symbol, kind: "price_above", value } });
  expect(res.status, res.text).toBe(201);
}

let alice: Awaited<ReturnType<typeof signup>>;
let bob: Awaited<ReturnType<typeof signup>>;
beforeAll(async () => {
  alice = await signup();
  bob = await signup();
  for (const s of ["VIEWEDUSDT", "ELSEUSDT"]) await trained(s);
});

describe("a user's channel", () => {
  it("brings a notification on an instrument nobody views to every dashboard of its owner, and to nobody else", async () => {
    await alert(alice.token, "ELSEUSDT", 100);
    // Alice has two dashboards open, both on VIEWEDUSDT (with its feed socket); Bob has one.
    const [first, second, bobs] = [
      await dashboard(alice.token),
      await dashboard(alice.token),
      await dashboard(bob.token),
    ];
    expect(first.got[0]).toEqual({ type: "connected" });
    const viewed = await open("/api/instruments/VIEWEDUSDT/ws", await wsTicket("user", alice.token));
    const elsewhere = await runInDurableObject(instrumentFeed(env, "ELSEUSDT"), (o) => o.viewers());
    expect(elsewhere.sockets).toBe(0);

    await publishCandles(env, "ELSEUSDT", minutes(0, [99, 101]));
    await until(() => titles(first.got).length > 0 && titles(second.got).length > 0);
    expect(titles(first.got)).toEqual(["ELSEUSDT above 100"]);
    expect(titles(second.got)).toEqual(["ELSEUSDT above 100"]);
    const sent = first.got.find((e) => e.type === "notification");
    const stored = await expectJson(api.notifications.$get({ query: {} }, bearer(alice.token)), 200);
    expect(sent?.notification).toEqual(stored.notifications[0]);
    // Bob's channel and the instrument socket (one path: the user's channel) carry none of it.
    expect(titles(bobs.got)).toEqual([]);
    expect(viewed.got.filter((e) => e.type === "notification")).toEqual([]);
    // The same minutes again (a redelivered queue message) send nothing new.
    await publishCandles(env, "ELSEUSDT", minutes(0, [99, 101]));
    await publishCandles(env, "VIEWEDUSDT", minutes(0, [5]));
    await until(() => viewed.got.some((e) => e.type === "candle"));
    expect(titles(first.got)).toHaveLength(1);
    for (const s of [first, second, bobs, viewed]) s.ws.close(1000);
  });

  it("answers ping, and stores nothing: a user without a dashboard costs no storage", async () => {
    const u = await signup();
    const d = await dashboard(u.token);
    d.ws.send("ping");
    await until(() => d.got.some((e) => e.type === "pong"));
    expect(d.got.at(-1)).toEqual({ type: "pong" });
    await alert(u.token, "ELSEUSDT", 200);
    await publishCandles(env, "ELSEUSDT", minutes(10, [199, 201]));
    await until(() => titles(d.got).length > 0);
    expect(titles(d.got)).toEqual(["ELSEUSDT above 200"]);
    d.ws.close(1000);
    await d.closed;
    const kept = await runInDurableObject(userChannel(env, u.id), async (_o, state) => ({
      keys: (await state.storage.list()).size,
      alarm: await state.storage.getAlarm(),
    }));
    expect(kept).toEqual({ keys: 0, alarm: null });
    // With no dashboard open the notification is stored, and the call finds no socket.
    expect(await userChannel(env, u.id).connections()).toBe(0);
  });

  it(`holds at most ${USER_CHANNEL_SOCKETS_MAX} dashboards: one more closes the oldest as superseded`, async () => {
    const u = await signup();
    const opened: Awaited<ReturnType<typeof dashboard>>[] = [];
    for (let i = 0; i < USER_CHANNEL_SOCKETS_MAX; i++) opened.push(await dashboard(u.token));
    expect(await userChannel(env, u.id).connections()).toBe(USER_CHANNEL_SOCKETS_MAX);
    const newest = await dashboard(u.token);
    const e = await opened[0].closed;
    expect(e.code).toBe(CLOSE_SUPERSEDED);
    let held = 0;
    for (let i = 0; i < 300 && held !== USER_CHANNEL_SOCKETS_MAX; i++)
      held = await userChannel(env, u.id).connections();
    expect(held).toBe(USER_CHANNEL_SOCKETS_MAX);
    // The newest and the others still get notifications.
    await alert(u.token, "ELSEUSDT", 300);
    await publishCandles(env, "ELSEUSDT", minutes(20, [299, 301]));
    await until(() => titles(newest.got).length > 0 && titles(opened[1].got).length > 0);
    expect(titles(newest.got)).toEqual(["ELSEUSDT above 300"]);
    expect(titles(opened[1].got)).toEqual(["ELSEUSDT above 300"]);
    expect(titles(opened[0].got)).toEqual([]);
    for (const s of [...opened.slice(1), newest]) s.ws.close(1000);
  });
});

describe("an account deleted", () => {
  it("closes every open dashboard of the account for good, and only those", async () => {
    const gone = await signup();
    const stays = await signup();
    const a = await dashboard(gone.token);
    const b = await dashboard(gone.token);
    const other = await dashboard(stays.token);
    const res = await call("DELETE", "/api/profile/delete", {
      token: gone.token,
      body: { current_password: gone.password },
    });
    expect(res.status).toBe(204);
    expect((await a.closed).code).toBe(CLOSE_ACCOUNT_GONE);
    expect((await b.closed).code).toBe(CLOSE_ACCOUNT_GONE);
    expect(await userChannel(env, stays.id).connections()).toBe(1);
    other.ws.close(1000);
  });
});

describe("opening a channel", () => {
  it("refuses what is not the user's own ticket, in the contract's error shape", async () => {
    // No token for a ticket.
    const noToken = await call("POST", "/api/notifications/ws/ticket");
    expect(noToken.status).toBe(401);
    expect(noToken.json).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    // An unknown ticket, an admin's ticket, a used ticket.
    const refused = async (ticket: string) => {
      const res = await upgrade("/api/notifications/ws", ticket);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: { code: "invalid_ticket", message: "The ticket is unknown, used or expired" },
      });
    };
    await refused("not-a-ticket");
    const admin = (
      await call("POST", "/api/admin/auth/register", {
        headers: { "x-bootstrap-token": env.ADMIN_BOOTSTRAP_TOKEN },
        body: { email: "root@example.com", password: "admin password 1", name: "Root" },
      })
    ).status;
    expect(admin).toBe(201);
    const login = await call("POST", "/api/admin/auth/login", {
      body: { email: "root@example.com", password: "admin password 1" },
    });
    await refused(await wsTicket("admin", (login.json as { access_token: string }).access_token));
    const t = await channelTicket(alice.token);
    (await open("/api/notifications/ws", t)).ws.close(1000);
    await refused(t);
    // No ticket at all: 400; no upgrade: 426.
    const none = await call("GET", "/api/notifications/ws", { headers: { upgrade: "websocket" } });
    expect(none.status).toBe(400);
    expect(none.error?.code).toBeTypeOf("string");
    const plain = await call("GET", `/api/notifications/ws?ticket=${await channelTicket(alice.token)}`);
    expect(plain.status).toBe(426);
    expect(plain.error?.code).toBe("upgrade_required");
  });

  it("opens Alice's channel with Alice's ticket: the account is the ticket's, never the caller's say", async () => {
    const t = await channelTicket(bob.token);
    // The ticket names Bob; a forged account header from outside does not change whose channel opens.
    const res = await exports.default.fetch(
      new Request(`http://mm.test/api/notifications/ws?ticket=${t}`, {
        headers: { upgrade: "websocket", "x-account-id": String(alice.id) },
      }),
    );
    expect(res.status).toBe(101);
    res.webSocket!.accept();
    expect(await userChannel(env, bob.id).connections()).toBeGreaterThan(0);
    expect(await userChannel(env, alice.id).connections()).toBe(0);
    res.webSocket!.close(1000);
  });
});
