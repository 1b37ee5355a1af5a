// Alerts evaluated where candles arrive (the instrument's feed object, through publishCandles as the
// collection shard calls it): a crossing fires once, re-arms only past the hysteresis margin, the same
// candles delivered twice notify once (also after the object lost its state), and the hourly signal, the
// band and stale data fire too. How a notification reaches open dashboards: user-channel.test.ts.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Candle } from "../../core/candles/types";
import { instrumentFeed, publishCandles } from "../../worker/live/instrument-feed";
import { api, bearer, call, expectJson, signup } from "./helpers";

const T0 = 1_700_000_000 - (1_700_000_000 % 3600);
const minute = (i: number) => T0 + i * 60;
const candles = (from: number, closes: number[]): Candle[] =>
  closes.map((close, i) => ({
    time: minute(from + i),
    open: close,
    high: close,
    low: close,
    close,
    volume: 1,
  }));

async function trained(symbol: string) {
  await env.DB.prepare(
    "insert into trading_profiles (symbol, name, has_data, models_trained) values (?, ?, 1, 1)",
  )
    .bind(symbol, symbol)
    .run();
}

async function alert(token: string, symbol: string, kind: string, value?: number) {
  const res = await call("POST", "/api/alerts", {
    token,
    body: { symbol, kind, ...(value === undefined ? {} : { value }) },
  });
  expect(res.status, res.text).toBe(201);
  return (res.json as { id: number }).id;
}

const notifications = async (token: string) =>
  (await expectJson(api.notifications.$get({ query: {} }, bearer(token)), 200)).notifications;

let alice: Awaited<ReturnType<typeof signup>>;
beforeAll(async () => {
  alice = await signup();
  for (const s of ["CROSSUSDT", "MOVEUSDT", "HOURUSDT", "QUIETUSDT"]) await trained(s);
});

describe("price crossings", () => {
  it("fire once per crossing, re-arm only beyond the hysteresis margin, and notify once per event", async () => {
    const id = await alert(alice.token, "CROSSUSDT", "price_above", 100);
    // 99 arms it; 100.5 crosses (fires); 99.9 is within 0.2% of 100 (stays fired); 100.6 fires nothing;
    // 99.7 is beyond the margin (re-arms); 100.2 crosses again (fires).
    const closes = [99, 100.5, 99.9, 100.6, 99.7, 100.2];
    await publishCandles(env, "CROSSUSDT", candles(0, closes));
    let got = await notifications(alice.token);
    expect(got.map((n) => n.event_time)).toEqual([minute(5), minute(1)]);
    expect(got[0]).toMatchObject({ alert_id: id, symbol: "CROSSUSDT", kind: "price_above", read: false });
    expect(got[0].title).toBe("CROSSUSDT above 100");
    expect(got[0].body).toContain("closed at 100.2");
    // The same candles again (a queue message delivered twice): nothing new.
    await publishCandles(env, "CROSSUSDT", candles(0, closes));
    // Even when the object has lost its state (evicted storage): the events' keys are stored once.
    await runInDurableObject(instrumentFeed(env, "CROSSUSDT"), async (_o, state) => {
      await state.storage.deleteAll();
    });
    await env.DB.prepare("update alerts set armed = null where id = ?").bind(id).run();
    await publishCandles(env, "CROSSUSDT", candles(0, closes));
    got = await notifications(alice.token);
    expect(got).toHaveLength(2);
    const a = await expectJson(api.alerts.$get({}, bearer(alice.token)), 200);
    expect(a.alerts.find((x) => x.id === id)?.state).toBe("triggered");
    expect(a.alerts.find((x) => x.id === id)?.last_fired_at).not.toBeNull();
  });

  it("an alert created above its level waits for the price to come back under it first", async () => {
    const u = await signup();
    await publishCandles(env, "CROSSUSDT", candles(10, [120]));
    await alert(u.token, "CROSSUSDT", "price_above", 110);
    await publishCandles(env, "CROSSUSDT", candles(11, [121, 112]));
    expect(await notifications(u.token)).toHaveLength(0);
    await publishCandles(env, "CROSSUSDT", candles(13, [109, 111]));
    expect((await notifications(u.token)).map((n) => n.event_time)).toEqual([minute(14)]);
  });

  it("a disabled alert fires nothing; price_below fires on the way down", async () => {
    const u = await signup();
    const off = await alert(u.token, "CROSSUSDT", "price_below", 90);
    await call("PATCH", `/api/alerts/${off}`, { token: u.token, body: { enabled: false } });
    await alert(u.token, "CROSSUSDT", "price_below", 95);
    await publishCandles(env, "CROSSUSDT", candles(20, [100, 94, 89]));
    const got = await notifications(u.token);
    expect(got.map((n) => n.title)).toEqual(["CROSSUSDT below 95"]);
  });
});

describe("moves, the hour and the clock", () => {
  it("change_pct compares with the close 60 minutes earlier", async () => {
    const u = await signup();
    await alert(u.token, "MOVEUSDT", "change_pct", 5);
    await alert(u.token, "MOVEUSDT", "change_pct", -5);
    const flat = Array.from({ length: 60 }, () => 100);
    await publishCandles(env, "MOVEUSDT", candles(0, flat));
    // Minute 60 arms both (no move); 61 is 6% above minute 1 (fires); 62 is 4.5% up, not under the
    // re-arm line (3.75%); 63 is 3% up (re-arms); 64 is 6% up again (fires). The -5% one never fires.
    await publishCandles(env, "MOVEUSDT", candles(60, [100, 106, 104.5, 103, 106]));
    const got = await notifications(u.token);
    expect(got.map((n) => [n.event_time, n.title])).toEqual([
      [minute(64), "MOVEUSDT +6.00% in 60 minutes"],
      [minute(61), "MOVEUSDT +6.00% in 60 minutes"],
    ]);
  });

  it("signal_change fires when the hourly signal changes; band_exit when a close leaves the hour's band", async () => {
    const u = await signup();
    await alert(u.token, "HOURUSDT", "signal_change");
    await alert(u.token, "HOURUSDT", "band_exit");
    const feed = instrumentFeed(env, "HOURUSDT");
    const hour = T0 + 3600;
    const band = [{ time: hour, lower: 95, upper: 105 }];
    await feed.hourClosed("HOURUSDT", { origin: T0 - 3600, signal: "hold", band });
    await feed.hourClosed("HOURUSDT", { origin: T0 - 3600, signal: "buy", band }); // the same hour: ignored
    await feed.hourClosed("HOURUSDT", { origin: T0, signal: "hold", band }); // unchanged
    expect(await notifications(u.token)).toHaveLength(0);
    await feed.hourClosed("HOURUSDT", { origin: hour, signal: "sell", band });
    await feed.hourClosed("HOURUSDT", { origin: hour, signal: "sell", band }); // delivered twice
    let got = await notifications(u.token);
    expect(got.map((n) => n.title)).toEqual(["HOURUSDT signal: SELL"]);
    expect(got[0].body).toContain("from HOLD");
    // Minutes of the hour the band is for: inside, outside (fires), back inside, outside again (fires).
    await publishCandles(env, "HOURUSDT", candles(60, [100, 106, 100, 94]));
    got = await notifications(u.token);
    expect(got.map((n) => n.title).slice(0, 2)).toEqual([
      "HOURUSDT left its forecast band",
      "HOURUSDT left its forecast band",
    ]);
    expect(got[0].body).toContain("below the 95% band 95 to 105");
  });

  it("data_stale fires on the feed's alarm after its minutes of silence, once, and re-arms with data", async () => {
    const u = await signup();
    await alert(u.token, "QUIETUSDT", "data_stale", 2);
    await publishCandles(env, "QUIETUSDT", candles(0, [1, 1]));
    const feed = instrumentFeed(env, "QUIETUSDT");
    const alarmAt = await runInDurableObject(feed, (_o, s) => s.storage.getAlarm());
    expect(alarmAt).not.toBeNull();
    // Three minutes pass without a candle.
    await runInDurableObject(feed, async (o, s) => {
      await s.storage.put("arrival", Date.now() - 3 * 60_000);
      await o.alarm();
      await o.alarm(); // a second alarm in the same silence fires nothing more
    });
    let got = await notifications(u.token);
    expect(got.map((n) => n.title)).toEqual(["QUIETUSDT: no new data"]);
    await publishCandles(env, "QUIETUSDT", candles(5, [1]));
    await runInDurableObject(feed, async (o, s) => {
      await s.storage.put("arrival", Date.now() - 3 * 60_000);
      await o.alarm();
    });
    got = await notifications(u.token);
    expect(got).toHaveLength(2);
  });
});

describe("reading notifications", () => {
  it("pages newest first, counts unread and marks read, for the owner only", async () => {
    const u = await signup();
    await alert(u.token, "CROSSUSDT", "price_above", 300);
    await alert(u.token, "CROSSUSDT", "price_below", 250);
    await publishCandles(env, "CROSSUSDT", candles(40, [280, 301, 249]));
    const first = await expectJson(api.notifications.$get({ query: { limit: "1" } }, bearer(u.token)), 200);
    expect(first.unread).toBe(2);
    expect(first.notifications).toHaveLength(1);
    const older = await expectJson(
      api.notifications.$get({ query: { before: String(first.notifications[0].id) } }, bearer(u.token)),
      200,
    );
    expect(older.notifications.map((n) => n.title)).toEqual(["CROSSUSDT above 300"]);
    // Someone else's ids change nothing.
    const foreign = await expectJson(
      api.notifications.read.$post({ json: { all: true } }, bearer(alice.token)),
      200,
    );
    expect(foreign.unread).toBe(0);
    const marked = await expectJson(
      api.notifications.read.$post({ json: { ids: [first.notifications[0].id] } }, bearer(u.token)),
      200,
    );
    expect(marked).toEqual({ marked: 1, unread: 1 });
    expect((await call("POST", "/api/notifications/read", { token: u.token, body: {} })).status).toBe(400);
    expect((await call("GET", "/api/notifications?limit=0", { token: u.token })).status).toBe(400);
    expect(
      (await expectJson(api.notifications.read.$post({ json: { all: true } }, bearer(u.token)), 200)).unread,
    ).toBe(0);
  });
});
