// What the live sockets share (worker/live/): tickets, each its own Durable Object, single use, valid
// 60 s, for one audience only; and closes (the admins' hub, an instrument's feed, a user's channel): a client's close is answered, a socket that vanished (close
// codes 1005, 1006, 1015, which may not be sent back) is closed with 1000 and never throws.
import { listDurableObjectIds, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { instrumentFeed } from "../../worker/live/instrument-feed";
import type { SocketHub } from "../../worker/live/socket-hub";
import { TICKET_TTL_MS, ticketObject } from "../../worker/live/socket-ticket";
import { userChannel } from "../../worker/live/user-channel";
import { hub } from "../../worker/progress-hub";
import { bootstrapAdmin, call, signup } from "./helpers";

let admin: string;
let user: string;
let userId: number;

beforeAll(async () => {
  admin = (await bootstrapAdmin()).token;
  ({ token: user, id: userId } = await signup());
  await env.DB.prepare(
    "insert into trading_profiles (symbol, name, has_data, models_trained, is_active) values ('BTCUSDT', 'BTCUSDT', 1, 1, 1)",
  ).run();
});

const SOCKETS = {
  admin: { ticket: "/api/admin/ws/ticket", socket: "/api/admin/ws", token: () => admin },
  user: { ticket: "/api/instruments/ws/ticket", socket: "/api/instruments/BTCUSDT/ws", token: () => user },
  channel: { ticket: "/api/notifications/ws/ticket", socket: "/api/notifications/ws", token: () => user },
} as const;
type Audience = keyof typeof SOCKETS;

async function ticketFor(audience: Audience): Promise<string> {
  const res = await call("POST", SOCKETS[audience].ticket, { token: SOCKETS[audience].token() });
  expect(res.status).toBe(200);
  return (res.json as { ticket: string }).ticket;
}

const open = (audience: Audience, ticket: string) =>
  exports.default.fetch(
    new Request(`http://mm.test${SOCKETS[audience].socket}?ticket=${encodeURIComponent(ticket)}`, {
      headers: { upgrade: "websocket" },
    }),
  );

/** An open socket of `audience` past its greeting, and a promise of its close event. */
async function connect(audience: Audience) {
  const res = await open(audience, await ticketFor(audience));
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  const greeted = new Promise((resolve) => ws.addEventListener("message", resolve, { once: true }));
  const closed = new Promise<CloseEvent>((resolve) => ws.addEventListener("close", resolve));
  ws.accept();
  await greeted;
  return { ws, closed };
}

const stubOf = (audience: Audience) =>
  audience === "admin"
    ? hub(env)
    : audience === "user"
      ? instrumentFeed(env, "BTCUSDT")
      : userChannel(env, userId);

describe("socket tickets", () => {
  it("are each held by their own object, and a ticket opens only its own audience's socket", async () => {
    const before = (await listDurableObjectIds(env.SOCKET_TICKET)).length;
    const [a, b] = [await ticketFor("user"), await ticketFor("admin")];
    expect(a).not.toBe(b);
    expect((await listDurableObjectIds(env.SOCKET_TICKET)).length).toBe(before + 2);
    expect((await open("admin", a)).status).toBe(401);
    expect((await open("user", b)).status).toBe(401);
    expect((await open("channel", b)).status).toBe(401);
    // Refused at the wrong door, each still opens its own socket once.
    for (const [audience, t] of [
      ["user", a],
      ["admin", b],
    ] as const) {
      const res = await open(audience, t);
      expect(res.status).toBe(101);
      res.webSocket!.accept();
      res.webSocket!.close(1000, "done");
      expect((await open(audience, t)).status).toBe(401);
    }
  });

  it("opens one socket when the same ticket is used twice at once", async () => {
    const t = await ticketFor("user");
    const answers = await Promise.all([open("user", t), open("user", t)]);
    expect(answers.map((r) => r.status).sort()).toEqual([101, 401]);
    for (const r of answers) r.webSocket?.accept();
    for (const r of answers) r.webSocket?.close(1000, "done");
  });

  it("are forgotten when their 60 s are over, used or not", async () => {
    const t = await ticketFor("admin");
    const stub = ticketObject(env, "admin", t);
    const alarm = await runInDurableObject(stub, (_i, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThan(Date.now() + TICKET_TTL_MS - 5_000);
    expect(alarm).toBeLessThanOrEqual(Date.now() + TICKET_TTL_MS);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await runInDurableObject(stub, async (_i, state) => (await state.storage.list()).size)).toBe(0);
    expect((await open("admin", t)).status).toBe(401);
  });
});

describe.each(["admin", "user", "channel"] as const)("closing a %s socket", (audience) => {
  // The runtime's own reply to a close frame (web_socket_auto_reply_to_close, on since 2026-04-07) does
  // not cover hibernated sockets: without SocketHub's webSocketClose this close is never answered.
  it("answers a client's close with the same code", async () => {
    const { ws, closed } = await connect(audience);
    ws.close(4001, "bye");
    const e = await closed;
    expect(e.code).toBe(4001);
  });

  it.each([1005, 1006, 1015])(
    "closes a socket that vanished (%i) with 1000, without throwing",
    async (code) => {
      const { closed } = await connect(audience);
      await runInDurableObject(stubOf(audience), async (object, state) => {
        const instance = object as unknown as SocketHub;
        const sockets = state.getWebSockets();
        expect(sockets.length).toBeGreaterThan(0);
        for (const ws of sockets) await instance.webSocketClose(ws, code);
        // A second close of the same sockets (already closed) does not throw either.
        for (const ws of sockets) await instance.webSocketClose(ws, code);
        for (const ws of sockets) await instance.webSocketError(ws);
      });
      expect((await closed).code).toBe(1000);
    },
  );
});
