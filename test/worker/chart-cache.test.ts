import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/client";
import { storeCandles } from "../../worker/market/store";
import { rawChart, signup } from "./helpers";
import { syntheticCandles } from "./synthetic";

const DAY = 86_400;
const now = Math.floor(Date.now() / 1000);
const today = now - (now % DAY);
const start = today - 2 * DAY; // two archived days, then today's minutes in D1
const hole = start + 600; // one minute missing from the first archived day
let user: string;
let profile: { id: number; symbol: string };

beforeAll(async () => {
  user = (await signup()).token;
  const row = await env.DB.prepare(
    "insert into trading_profiles (symbol, name, models_trained) values ('CCHUSDT', 'Cache', 1) returning id",
  ).first<{ id: number }>();
  profile = { id: row!.id, symbol: "CCHUSDT" };
  const minutes = Math.floor((now - start) / 60) - 1;
  await storeCandles(
    env.BUCKET,
    getDb(env.DB),
    profile,
    syntheticCandles(start, minutes, new Set([hole])),
    now,
  );
});

const chart = (query: string, etag?: string) =>
  rawChart(user, "CCHUSDT", query, etag ? { "if-none-match": etag } : {});

describe("chart answers cached by the version of the data they are built from", () => {
  it("revalidates the latest range by ETag: 304 while nothing changed, a new answer after a new minute", async () => {
    const first = await chart("1m?limit=5");
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"c[0-9a-z]+"$/);
    expect(first.headers.get("cache-control")).toBe("private, no-cache");
    expect((await chart("1m?limit=5")).json).toEqual(first.json); // served from memory, same answer
    const again = await chart("1m?limit=5", etag);
    expect(again.status).toBe(304);
    expect(again.text).toBe("");

    const lastTime = first.json!.candles.at(-1)!.time;
    const next = { time: lastTime + 60, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 };
    await storeCandles(env.BUCKET, getDb(env.DB), profile, [next], now + 60);
    const fresh = await chart("1m?limit=5", etag);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get("etag")).not.toBe(etag);
    expect(fresh.json!.candles.at(-1)).toEqual(next);
    // Every timeframe's latest answer sees it too (1D from the rollups).
    const day = (await chart("1D?limit=1")).json!.candles[0];
    expect(day.close).toBe(1.5);
  });

  it("sends a repeated answer gzipped as kept to a client taking gzip, inflated to one that does not", async () => {
    const first = await chart("1h?limit=30");
    expect(first.status).toBe(200);
    expect(first.headers.get("content-encoding")).toBeNull(); // built by this request: sent as built
    expect(first.headers.get("vary")).toContain("Accept-Encoding");
    const url = "http://mm.test/api/instruments/CCHUSDT/data/1h?limit=30";
    const ask = (acceptEncoding?: string) =>
      exports.default.fetch(url, {
        headers: {
          authorization: `Bearer ${user}`,
          ...(acceptEncoding ? { "accept-encoding": acceptEncoding } : {}),
        },
        encodeResponseBody: "manual", // the bytes as sent, not decoded on the way in
      });
    // The gzipped copy is kept in the background: ask until it is served.
    let zipped = await ask("br, gzip");
    for (let i = 0; i < 50 && zipped.headers.get("content-encoding") !== "gzip"; i++) {
      await new Promise((r) => setTimeout(r, 20));
      zipped = await ask("br, gzip");
    }
    expect(zipped.headers.get("content-encoding")).toBe("gzip");
    // Two representations, two strong ETags (issue 22.8): the gzip bytes are not the identity bytes.
    const identityTag = first.headers.get("etag")!;
    expect(zipped.headers.get("etag")).toBe(`${identityTag.slice(0, -1)}-gzip"`);
    const raw = new Uint8Array(await zipped.arrayBuffer());
    expect([raw[0], raw[1]]).toEqual([0x1f, 0x8b]); // the gzip magic: the kept bytes, untouched
    const inflated = new Response(new Blob([raw]).stream().pipeThrough(new DecompressionStream("gzip")));
    expect(JSON.parse(await inflated.text())).toEqual(first.json);
    for (const refuses of [undefined, "identity", "gzip;q=0, br"]) {
      const plain = await ask(refuses);
      expect(plain.headers.get("content-encoding")).toBeNull();
      expect(plain.headers.get("etag")).toBe(identityTag);
      expect(JSON.parse(await plain.text())).toEqual(first.json);
    }
    // Each representation revalidates by its own tag only.
    const revalidate = (acceptEncoding: string, etag: string) =>
      exports.default
        .fetch(url, {
          headers: {
            authorization: `Bearer ${user}`,
            "accept-encoding": acceptEncoding,
            "if-none-match": etag,
          },
        })
        .then((r) => r.status);
    const gzipTag = zipped.headers.get("etag")!;
    expect(await revalidate("gzip", gzipTag)).toBe(304);
    expect(await revalidate("gzip", `W/${gzipTag}, "other"`)).toBe(304);
    expect(await revalidate("gzip", identityTag)).toBe(200);
    expect(await revalidate("identity", identityTag)).toBe(304);
    expect(await revalidate("identity", gzipTag)).toBe(200);
  });

  it("marks a range of finished archived days immutable, untouched by new minutes, changed by a refill of its day", async () => {
    const end = start + 3600;
    const first = await chart(`1h?limit=2&end=${end}`);
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("private, max-age=86400, immutable");
    const etag = first.headers.get("etag")!;
    const t = first.json!.candles[0].time;
    expect(t).toBe(start);

    const latest = (await chart("1m?limit=1")).json!.candles[0];
    await storeCandles(
      env.BUCKET,
      getDb(env.DB),
      profile,
      [{ ...latest, time: latest.time + 60 }],
      now + 120,
    );
    expect((await chart(`1h?limit=2&end=${end}`, etag)).status).toBe(304);

    // The exchange later fills the missing minute of that archived day: the day and its answer change.
    const filled = { time: hole, open: 1, high: 99_999, low: 1, close: 1, volume: 1000 };
    await storeCandles(env.BUCKET, getDb(env.DB), profile, [filled], now + 120);
    const changed = await chart(`1h?limit=2&end=${end}`, etag);
    expect(changed.status).toBe(200);
    expect(changed.json!.candles[0].high).toBe(99_999);
    const m = await chart(`1m?limit=3&end=${hole + 60}`);
    expect(m.json!.candles.map((c) => c.time)).toEqual([hole - 60, hole, hole + 60]);
  });
});
