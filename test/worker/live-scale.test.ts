// Scale of one InstrumentFeed in workerd: many sockets on one object, every one gets every candle;
// prints the fan-out time and the time from the cron's start to the last socket's receipt.
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { collectAll } from "../../worker/cron";
import { instrumentFeed, publishCandles } from "../../worker/live/instrument-feed";
import { api, bearer, expectJson, signup } from "./helpers";
import { syntheticCandles } from "./synthetic";

const SOCKETS = inject("liveSockets");
const replay = inject("replayUrl");
const replayNow = inject("replayNow");
// Tickets are rate limited per account (60 a minute): the viewers are spread over enough users.
const users: string[] = [];

beforeAll(async () => {
  for (let i = 0; i < Math.ceil(SOCKETS / 50); i++) users.push((await signup()).token);
  await env.DB.prepare(
    "insert into trading_profiles (symbol, name, has_data, models_trained) values ('BTCUSDT', 'B', 1, 1)",
  ).run();
});

const until = async (check: () => boolean, ms = 20_000) => {
  for (const t0 = Date.now(); !check() && Date.now() - t0 < ms; ) await new Promise((r) => setTimeout(r, 5));
};

describe(`one InstrumentFeed with ${SOCKETS} sockets`, () => {
  it("delivers every candle to every socket", { timeout: 120_000 + SOCKETS * 200 }, async () => {
    const received: number[][] = [];
    const sockets: WebSocket[] = [];
    const opened = performance.now();
    for (let i = 0; i < SOCKETS; i++) {
      const token = users[Math.floor(i / 50)];
      const { ticket } = await expectJson(api.instruments.ws.ticket.$post({}, bearer(token)), 200);
      const res = await exports.default.fetch(
        new Request(`http://mm.test/api/instruments/BTCUSDT/ws?ticket=${ticket}`, {
          headers: { upgrade: "websocket" },
        }),
      );
      const ws = res.webSocket!;
      ws.accept();
      const times: number[] = [];
      ws.addEventListener("message", (e) => {
        if (JSON.parse(String(e.data)).type === "candle") times.push(performance.now());
      });
      received.push(times);
      sockets.push(ws);
    }
    console.log(`${SOCKETS} sockets opened in ${((performance.now() - opened) / 1000).toFixed(1)} s`);
    expect((await instrumentFeed(env, "BTCUSDT").viewers()).sockets).toBe(SOCKETS);

    const t0 = performance.now();
    await publishCandles(env, "BTCUSDT", syntheticCandles(1_718_000_040, 1));
    await until(() => received.every((r) => r.length === 1));
    expect(received.filter((r) => r.length === 1).length).toBe(SOCKETS);
    const last = Math.max(...received.map((r) => r[0]));
    console.log(`fan-out of one candle to ${SOCKETS} sockets: ${(last - t0).toFixed(1)} ms`);

    if (replay) {
      const t1 = performance.now();
      const results = await collectAll(env, Math.floor(replayNow / 1000) + 30);
      const collected = performance.now() - t1;
      await until(() => received.every((r) => r.length >= 2));
      const done = Math.max(...received.map((r) => r.at(-1)!)) - t1;
      console.log(
        `cron collection (${results.BTCUSDT}) ${collected.toFixed(0)} ms; cron start -> last of ${SOCKETS} sockets ${done.toFixed(0)} ms`,
      );
      expect(received.every((r) => r.length >= 2)).toBe(true);
    }
    for (const ws of sockets) ws.close(1000, "done");
  });
});
