import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { ticketObject } from "../../worker/live/socket-ticket";
import { hub, publishProgress } from "../../worker/progress-hub";
import { bootstrapAdmin, call, signup, wsTicket } from "./helpers";

let admin: string;
beforeAll(async () => {
  admin = (await bootstrapAdmin()).token;
});

async function open(ticket: string) {
  const res = await exports.default.fetch(
    new Request(`http://mm.test/api/admin/ws?ticket=${encodeURIComponent(ticket)}`, {
      headers: { upgrade: "websocket" },
    }),
  );
  return res;
}

function collect(ws: WebSocket) {
  const messages: any[] = [];
  ws.addEventListener("message", (e) => {
    messages.push(JSON.parse(String(e.data)));
  });
  return messages;
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe("ProgressHub over a real WebSocket upgrade", () => {
  it("needs an admin token for a ticket", async () => {
    expect((await call("POST", "/api/admin/ws/ticket")).status).toBe(401);
    const user = await signup();
    expect((await call("POST", "/api/admin/ws/ticket", { token: user.token })).status).toBe(401);
  });

  it("connects with a ticket, receives broadcasts, and the ticket works only once", async () => {
    const ticket = await wsTicket("admin", admin);
    const res = await open(ticket);
    expect(res.status).toBe(101);
    const ws = res.webSocket!;
    ws.accept();
    const got = collect(ws);
    await until(() => got.length > 0);
    expect(got[0]).toMatchObject({ type: "status_update", message: "connected" });

    await publishProgress(env, {
      type: "data_collection_progress",
      job_id: 7,
      profile_id: 3,
      symbol: "BTCUSDT",
      progress: 0.5,
      message: "page 5 of 10",
    });
    await until(() => got.length > 1);
    expect(got[1]).toMatchObject({
      type: "data_collection_progress",
      job_id: 7,
      symbol: "BTCUSDT",
      progress: 0.5,
    });
    expect(Date.parse(got[1].time)).not.toBeNaN();

    const again = await open(ticket);
    expect(again.status).toBe(401);
    ws.close(1000, "done");
  });

  it("refuses unknown or expired tickets and plain GETs", async () => {
    expect((await open("made-up")).status).toBe(401);
    const ticket = await wsTicket("admin", admin);
    const { runInDurableObject } = await import("cloudflare:test");
    await runInDurableObject(ticketObject(env, "admin", ticket), async (_instance, state) => {
      const entry = await state.storage.get<{ owner: number; expires: number }>("entry");
      await state.storage.put("entry", { ...entry!, expires: Date.now() - 1 });
    });
    expect((await open(ticket)).status).toBe(401);
    const fresh = await wsTicket("admin", admin);
    expect((await call("GET", `/api/admin/ws?ticket=${fresh}`)).status).toBe(426);
  });

  it("broadcasts to every connected admin", async () => {
    const sockets = await Promise.all(
      [1, 2].map(async () => {
        const ticket = await wsTicket("admin", admin);
        const ws = (await open(ticket)).webSocket!;
        ws.accept();
        return { ws, got: collect(ws) };
      }),
    );
    await until(() => sockets.every((s) => s.got.length > 0));
    const sent = await hub(env).publish({
      type: "model_training_progress",
      job_id: 1,
      profile_id: 1,
      symbol: "ETHUSDT",
      progress: 0.25,
      message: "epoch 3",
      time: new Date().toISOString(),
    });
    expect(sent).toBeGreaterThanOrEqual(2);
    await until(() => sockets.every((s) => s.got.length > 1));
    for (const s of sockets)
      expect(s.got.at(-1)).toMatchObject({ type: "model_training_progress", message: "epoch 3" });
    for (const s of sockets) s.ws.close(1000);
  });
});
