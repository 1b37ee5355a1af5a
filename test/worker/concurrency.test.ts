// Issue 22.1: requests of one isolate share what they look up and build, and a request that ends early
// (its client gone, a failure of its own) must not take the others down with it. The runtime drops
// a promise whose request has ended: a request awaiting it could never answer. So requests share
// values, never another request's promise (worker/single-flight.ts).
import { env, exports } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/client";
import { forget } from "../../worker/db/memo";
import { storeCandles } from "../../worker/market/store";
import { type Faults, installFaults } from "./faults";
import { signup } from "./helpers";
import { syntheticCandles } from "./synthetic";

const now = Math.floor(Date.now() / 1000);
const today = now - (now % 86_400);
let token: string;
let profile: { id: number; symbol: string };
let last = 0;
let faults: Faults | undefined;

// The two lookups every chart request starts together: the trained profile, the data's version.
const PROFILE_QUERY = /from "trading_profiles".*"symbol" = \?/s;
const VERSION_QUERY = /with p as \(select id from trading_profiles where symbol = \?1\)/;

beforeAll(async () => {
  token = (await signup()).token;
  const row = await env.DB.prepare(
    "insert into trading_profiles (symbol, name, has_data, models_trained) values ('CONCUSDT', 'Conc', 1, 1) returning id",
  ).first<{ id: number }>();
  profile = { id: row!.id, symbol: "CONCUSDT" };
  const start = today - 86_400;
  const candles = syntheticCandles(start, (now - start) / 60 - 30);
  last = candles.at(-1)!.time;
  await storeCandles(env.BUCKET, getDb(env.DB), profile, candles, now);
});

afterEach(() => faults?.restore());

const chart = (query = "1m?limit=300") =>
  exports.default.fetch(`http://mm.test/api/instruments/CONCUSDT/data/${query}`, {
    headers: { authorization: `Bearer ${token}`, "cf-connecting-ip": "10.22.1.1" },
  });

const within = <T>(ms: number, p: Promise<T>) =>
  Promise.race([p, new Promise<"no answer">((r) => setTimeout(() => r("no answer"), ms))]);

/** A new minute stored by this isolate: every kept answer of the latest range is replaced. */
async function newMinute() {
  last += 60;
  await storeCandles(env.BUCKET, getDb(env.DB), profile, syntheticCandles(last, 1, new Set(), last), now);
}

describe("requests sharing lookups and builds", () => {
  it("answers a request whose lookup another request started and left behind", async () => {
    await newMinute();
    forget("profiles");
    faults = installFaults();
    // The first request's profile lookup fails, so it answers at once (500) while its data-version
    // lookup is still under way: that request has ended before its lookup can finish.
    faults.failD1(PROFILE_QUERY);
    faults.slow(VERSION_QUERY, 300);
    const first = await within(5_000, chart());
    expect(first === "no answer" ? first : first.status).toBe(500);
    // That lookup's answer then comes back to a request that has ended; the next request finds the
    // lookup under way (or kept) and must answer all the same.
    await new Promise((r) => setTimeout(r, 400));
    const second = await within(
      5_000,
      chart().then(async (r) => ({ status: r.status, body: await r.text() })),
    );
    expect(second === "no answer" ? second : second.status, JSON.stringify(second)).toBe(200);
  });

  it("keeps answering 50 clients of one range while minutes arrive and some requests fail on their own", async () => {
    faults = installFaults();
    // One profile lookup in five fails: that request answers 500 itself, and may leave a data-version
    // lookup behind that other requests found under way.
    const failing = faults.failD1(PROFILE_QUERY, { times: Number.POSITIVE_INFINITY, every: 5 });
    const counts = new Map<number | string, number>();
    let stop = false;
    const writer = (async () => {
      for (let i = 0; i < 8; i++) {
        await new Promise((r) => setTimeout(r, 250));
        await newMinute();
        forget("profiles");
      }
      stop = true;
    })();
    const client = async () => {
      while (!stop) {
        const r = await within(5_000, chart());
        const status = r === "no answer" ? r : r.status;
        if (r !== "no answer") await r.arrayBuffer();
        counts.set(status, (counts.get(status) ?? 0) + 1);
      }
    };
    await Promise.all([writer, ...Array.from({ length: 50 }, client)]);
    const answered = [...counts.values()].reduce((a, b) => a + b, 0);
    console.log(
      `50 clients, 8 new minutes: ${answered} answers ${JSON.stringify([...counts])}, ${failing.failed} lookups failed`,
    );
    expect(counts.get("no answer") ?? 0).toBe(0);
    expect(counts.get(200) ?? 0).toBeGreaterThan(100);
    // Only a request whose own lookup failed answers 500: one per injected failure, never its followers.
    expect(counts.get(500) ?? 0).toBeLessThanOrEqual(failing.failed);
  }, 60_000);
});
