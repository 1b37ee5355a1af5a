// The facts the hot routes keep per isolate (worker/db/memo.ts, FACTS_TTL_MS): a change made by this
// isolate is served at once; one made elsewhere (here: straight in D1, as the cron or another isolate
// would) within the bound, never later.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { FACTS_TTL_MS } from "../../worker/config";
import { getDb } from "../../worker/db/client";
import { deleteProfile } from "../../worker/db/profiles";
import { storeCandles } from "../../worker/market/store";
import { api, bearer, call, expectJson, rawChart, signup } from "./helpers";
import { ARIMA, arrangeInstrument, register, series } from "./insights-fixtures";
import { syntheticCandles } from "./synthetic";

const now = Math.floor(Date.now() / 1000);
const today = now - (now % 86_400);
const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));
let token: string;
let profile: { id: number; symbol: string };

beforeAll(async () => {
  token = (await signup()).token;
  const row = await env.DB.prepare(
    "insert into trading_profiles (symbol, name, models_trained) values ('HOTUSDT', 'Hot', 1) returning id",
  ).first<{ id: number }>();
  profile = { id: row!.id, symbol: "HOTUSDT" };
  const start = today - 86_400;
  await storeCandles(
    env.BUCKET,
    getDb(env.DB),
    profile,
    syntheticCandles(start, (now - start) / 60 - 2),
    now,
  );
});

const chart = (q: string, t = token) => rawChart(t, "HOTUSDT", q);

describe("per-isolate facts of the hot routes", () => {
  it("serves a candle stored elsewhere within FACTS_TTL_MS, and one stored here at once", async () => {
    expect(FACTS_TTL_MS).toBeLessThanOrEqual(2_000);
    const t0 = Date.now();
    const first = await chart("1m?limit=2");
    // The memo's bound runs from when its lookup started: after t0, before this answer came (under load
    // the answer can take most of the bound), so "later" waits from here.
    const t1 = Date.now();
    const last = first.json!.candles.at(-1)!;
    const next = { ...last, time: last.time + 60, close: 123.45 };
    // Another isolate (the cron) stores a minute: straight into D1, this isolate is not told.
    await env.DB.prepare(
      "insert into candles (profile_id, time, open, high, low, close, volume) values (?, ?, ?, ?, ?, ?, ?)",
    )
      .bind(profile.id, next.time, next.open, next.high, next.low, next.close, next.volume)
      .run();
    const soon = await chart("1m?limit=2");
    if (Date.now() - t0 < FACTS_TTL_MS) expect(soon.json).toEqual(first.json); // within the bound: kept
    await sleepUntil(t1 + FACTS_TTL_MS + 50);
    const later = await chart("1m?limit=2");
    expect(later.json!.candles.at(-1)).toEqual(next);
    expect(later.headers.get("etag")).not.toBe(first.headers.get("etag"));

    // This isolate stores the following minute: the very next answer has it.
    const after = { ...next, time: next.time + 60, close: 124.5 };
    await storeCandles(env.BUCKET, getDb(env.DB), profile, [after], now + 120);
    expect((await chart("1m?limit=2")).json!.candles.at(-1)).toEqual(after);
  });

  it("refuses a token revoked elsewhere within FACTS_TTL_MS, and one revoked here at once", async () => {
    const user = await signup();
    const me = () => call("GET", "/api/auth/me", { token: user.token });
    expect((await me()).status).toBe(200);
    const t1 = Date.now(); // the memo's bound runs from its lookup, which ended before this
    // Another isolate changed the password (token_version + 1): this one learns within the bound.
    await env.DB.prepare("update users set token_version = token_version + 1 where id = ?")
      .bind(user.id)
      .run();
    await sleepUntil(t1 + FACTS_TTL_MS + 50);
    expect((await me()).status).toBe(401);
    expect((await chart("1m?limit=1", user.token)).status).toBe(401);

    // Here: a password change through the API revokes the old token on the very next request.
    const other = await signup();
    expect((await chart("1m?limit=1", other.token)).status).toBe(200);
    const update = { current_password: other.password, password: "a brand new passphrase 2" };
    const changed = await expectJson(api.profile.update.$put({ json: update }, bearer(other.token)), 200);
    expect((await chart("1m?limit=1", other.token)).status).toBe(401);
    expect((await chart("1m?limit=1", changed.token)).status).toBe(200);
  });

  it("answers 404 at once for a profile deleted here", async () => {
    const row = await env.DB.prepare(
      "insert into trading_profiles (symbol, name, models_trained) values ('GONUSDT', 'Gone', 1) returning id",
    ).first<{ id: number }>();
    const gone = { id: row!.id, symbol: "GONUSDT" };
    await storeCandles(env.BUCKET, getDb(env.DB), gone, syntheticCandles(today, 5), now);
    const get = () => call("GET", "/api/instruments/GONUSDT/data/1m?limit=5", { token });
    expect((await get()).status).toBe(200);
    await deleteProfile(getDb(env.DB), gone.id);
    expect((await get()).status).toBe(404);
  });

  it("forecasts with a newly activated model version at once", async () => {
    const { all, NOW } = series();
    const arranged = await arrangeInstrument(all, NOW);
    const predictions = () =>
      expectJson(
        api.instruments[":symbol"].predictions.$get({ param: { symbol: "INSUSDT" } }, bearer(arranged.token)),
        200,
      );
    const arima = (p: Awaited<ReturnType<typeof predictions>>) =>
      p.models.find((m) => m.model_type === "arima")!;
    const before = await predictions();
    expect(arima(before).version).toBe(1);
    const bytes = new TextEncoder().encode(JSON.stringify({ ...ARIMA, const: -0.003 }));
    await register(arranged.profile, "arima", bytes, 0.03, 0.02);
    const after = await predictions();
    expect(arima(after).version).toBe(2);
    expect(arima(after).forecast[0].value).toBeLessThan(arima(before).forecast[0].value);
  });
});
