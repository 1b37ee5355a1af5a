import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { minTrainingCandles } from "../../core/models/fold-plan";
import { issueToken } from "../../worker/auth/tokens";
import { collectAll } from "../../worker/cron";
import { instrumentFeed, LIVE_CANDLES_MAX, publishCandles } from "../../worker/live/instrument-feed";
import { ticketObject } from "../../worker/live/socket-ticket";
import {
  ARIMA_TEST_METRICS,
  api,
  bearer,
  bootstrapAdmin,
  call,
  claimJob,
  expectJson,
  insertProfile,
  signup,
  storeHours,
  wsTicket,
} from "./helpers";
import { syntheticCandles } from "./synthetic";

const replay = inject("replayUrl");
const replayNow = inject("replayNow");
let user: string;

async function profile(symbol: string, trained: boolean) {
  await env.DB.prepare(
    "insert into trading_profiles (symbol, name, has_data, models_trained, is_active) values (?, ?, ?, ?, ?)",
  )
    .bind(symbol, symbol, trained ? 1 : 0, trained ? 1 : 0, trained ? 1 : 0)
    .run();
}

beforeAll(async () => {
  user = (await signup()).token;
  await profile("BTCUSDT", true);
  await profile("RAWUSDT", false);
});

const ticket = () => wsTicket("user", user);
const open = (symbol: string, t: string, upgrade = true) =>
  exports.default.fetch(
    new Request(`http://mm.test/api/instruments/${symbol}/ws?ticket=${encodeURIComponent(t)}`, {
      headers: upgrade ? { upgrade: "websocket" } : {},
    }),
  );

const until = async (check: () => boolean) => {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

async function connect(symbol = "BTCUSDT") {
  const res = await open(symbol, await ticket());
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  ws.accept();
  const got: any[] = [];
  ws.addEventListener("message", (e) => {
    got.push(JSON.parse(String(e.data)));
  });
  await until(() => got.length > 0);
  expect(got.shift()).toEqual({ type: "connected", symbol }); // the greeting, then events only
  return { ws, got };
}

describe("live instrument feed over a real WebSocket upgrade", () => {
  it("gives tickets only to users, and each ticket opens one socket", async () => {
    expect((await call("POST", "/api/instruments/ws/ticket")).status).toBe(401);
    const t = await ticket();
    expect(typeof t).toBe("string");
    expect(t.length).toBeGreaterThan(40);
    const first = await open("btcusdt", t);
    expect(first.status).toBe(101);
    first.webSocket!.accept();
    const again = await open("BTCUSDT", t);
    expect(again.status).toBe(401);
    expect((await again.json<any>()).error.code).toBe("invalid_ticket");
    first.webSocket!.close(1000, "done");
  });

  it("refuses made-up and expired tickets, plain GETs and untrained instruments", async () => {
    expect((await open("BTCUSDT", "made-up")).status).toBe(401);
    const t = await ticket();
    await runInDurableObject(ticketObject(env, "user", t), async (_i, state) => {
      const entry = await state.storage.get<{ owner: number; expires: number }>("entry");
      await state.storage.put("entry", { ...entry!, expires: Date.now() - 1 });
    });
    expect((await open("BTCUSDT", t)).status).toBe(401);
    expect((await open("BTCUSDT", await ticket(), false)).status).toBe(426);
    expect((await open("RAWUSDT", await ticket())).status).toBe(404);
    expect((await open("NOPEUSDT", await ticket())).status).toBe(404);
  });

  it("pushes candles to every viewer of that instrument only, and counts its sockets", async () => {
    const a = await connect();
    const b = await connect();
    const viewers = await instrumentFeed(env, "BTCUSDT").viewers();
    expect(viewers.sockets).toBeGreaterThanOrEqual(2);
    expect(viewers.users).toBe(1);
    const candles = syntheticCandles(1_718_000_000 - (1_718_000_000 % 60), 3);
    await publishCandles(env, "BTCUSDT", candles);
    await publishCandles(env, "ETHUSDT", syntheticCandles(1_718_000_000, 1));
    await until(() => a.got.length >= 3 && b.got.length >= 3);
    for (const got of [a.got, b.got]) {
      expect(got).toEqual(candles.map((candle) => ({ type: "candle", symbol: "BTCUSDT", candle })));
    }
    a.ws.close(1000, "done");
    b.ws.close(1000, "done");
  });

  it("sends only the newest candles of a long catch-up", async () => {
    const v = await connect();
    const candles = syntheticCandles(1_718_100_000 - (1_718_100_000 % 60), LIVE_CANDLES_MAX + 40);
    await publishCandles(env, "BTCUSDT", candles);
    await until(() => v.got.length >= LIVE_CANDLES_MAX);
    await new Promise((r) => setTimeout(r, 50));
    expect(v.got.map((e) => e.candle.time)).toEqual(candles.slice(-LIVE_CANDLES_MAX).map((c) => c.time));
    v.ws.close(1000, "done");
  });

  it.skipIf(!replay)("the cron publishes each newly collected candle as it stores it", async () => {
    const v = await connect();
    const nowSec = Math.floor(replayNow / 1000) + 30;
    const results = await collectAll(env, nowSec);
    const stored = Number(/^stored (\d+)/.exec(results.BTCUSDT)?.[1]);
    expect(stored).toBeGreaterThan(0);
    const want = Math.min(stored, LIVE_CANDLES_MAX);
    await until(() => v.got.length >= want);
    expect(v.got.every((e) => e.type === "candle" && e.symbol === "BTCUSDT")).toBe(true);
    // Exactly the newest stored minutes, in order, as the chart route serves them.
    const chart = await expectJson(
      api.instruments[":symbol"].data[":timeframe"].$get(
        { param: { symbol: "BTCUSDT", timeframe: "1m" }, query: { limit: String(want) } },
        bearer(user),
      ),
      200,
    );
    expect(v.got.map((e) => e.candle)).toEqual(chart.candles);
    expect(chart.candles.at(-1)!.time).toBeLessThan(Math.floor(nowSec / 60) * 60); // closed minutes only
    v.ws.close(1000, "done");
  });

  it("tells viewers when a training job activates a model version", async () => {
    const admin = (await bootstrapAdmin()).token;
    const trainer = await issueToken(env, "trainer", { sub: "w", ver: 0 });
    const id = await insertProfile("LIVEUSDT");
    await storeHours(id, minTrainingCandles());
    await env.DB.prepare("update trading_profiles set has_data = 1, models_trained = 1 where id = ?")
      .bind(id)
      .run();
    const v = await connect("LIVEUSDT");
    await call("POST", "/api/admin/train-models", {
      token: admin,
      body: { profile_ids: [id], model_types: ["arima"] },
    });
    const { job } = await claimJob(trainer, "w");
    const bytes = new TextEncoder().encode(
      JSON.stringify({ kind: "arima", order: [1, 1, 0], ar: [0.1], ma: [], const: 0.0001, sigma2: 1e-5 }),
    );
    const sha = [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))]
      .map((b) => b.toString(16).padStart(2, "0"))
      .join("");
    const put = await call("PUT", `/api/trainer/jobs/${job.id}/artifact?worker_id=w`, {
      token: trainer,
      rawBody: bytes,
      headers: { "content-type": "application/octet-stream", "x-artifact-sha256": sha },
    });
    expect(put.status).toBe(201);
    expect(v.got).toEqual([]); // an upload alone changes nothing users see
    const done = await call("POST", `/api/trainer/jobs/${job.id}/complete`, {
      token: trainer,
      body: {
        worker_id: "w",
        artifact_sha256: sha,
        trained_on: { timeframe: "1h", from: 0, to: 3600 },
        parameters: { order: [1, 1, 0] },
        metrics: ARIMA_TEST_METRICS,
      },
    });
    expect(done.status).toBe(200);
    await until(() => v.got.length >= 2);
    expect(v.got.map((e) => [e.type, e.symbol])).toEqual([
      ["forecast", "LIVEUSDT"],
      ["signal", "LIVEUSDT"],
    ]);
    expect(Date.parse(v.got[0].generated_at)).not.toBeNaN();
    v.ws.close(1000, "done");
  });
});
