// Issue 22.11: D1 and R2 failing a write half way through storing candles (a collection shard, a
// backfill, the nightly compaction), through failing wrappers around the real bindings
// (test/worker/faults.ts): what a failure leaves behind never shows a candle twice or loses one, and
// the retry (the queue redelivers, the runner resumes) ends with every candle stored exactly once.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { aggregate } from "../../core/candles/aggregate";
import { type Candle, DAY } from "../../core/candles/types";
import { getDb } from "../../worker/db/client";
import { readChart } from "../../worker/market/chart";
import { archivedDays, compactRecent, storeCandles } from "../../worker/market/store";
import { type Faults, installFaults, isInjected } from "./faults";
import { syntheticCandles } from "./synthetic";

const now = Math.floor(Date.now() / 1000);
const today = now - (now % DAY);
let faults: Faults | undefined;
afterEach(() => faults?.restore());

/** Whether `p` failed with an injected fault. */
const failure = (p: Promise<unknown>) => p.then(() => false, isInjected);

async function profile(symbol: string) {
  const row = await env.DB.prepare("insert into trading_profiles (symbol, name) values (?, ?) returning id")
    .bind(symbol, symbol)
    .first<{ id: number }>();
  return { id: row!.id, symbol };
}

/** What the chart reads of `p`'s 1m candles (the bindings as they are now, faults or not). */
const minutes = async (p: { id: number; symbol: string }) =>
  readChart(env.BUCKET, getDb(env.DB), p, "1m", 5000);
const ohlcv = (cs: readonly Candle[]) => cs.map((c) => [c.time, c.open, c.high, c.low, c.close, c.volume]);
const d1Rows = async (id: number) =>
  (await env.DB.prepare("select count(*) as n from candles where profile_id = ?")
    .bind(id)
    .first("n")) as number;

describe("faults while storing candles", () => {
  it("a collection whose rollup write fails stores each minute once when it is retried", async () => {
    const p = await profile("FLTAUSDT");
    const rows = syntheticCandles(today, 90);
    faults = installFaults();
    const rollups = faults.failD1(/insert into "candle_rollups"/);
    expect(await failure(storeCandles(env.BUCKET, getDb(env.DB), p, rows, now))).toBe(true);
    expect(rollups.failed).toBe(1);
    // Half done: the minutes are in D1 (the upsert ran), each once.
    expect(ohlcv(await minutes(p))).toEqual(ohlcv(rows));
    faults.restore();
    await storeCandles(env.BUCKET, getDb(env.DB), p, rows, now); // the queue's redelivery
    expect(await d1Rows(p.id)).toBe(90);
    expect(ohlcv(await minutes(p))).toEqual(ohlcv(rows));
    const hours = await readChart(env.BUCKET, getDb(env.DB), p, "1h", 10);
    expect(ohlcv(hours)).toEqual(ohlcv(aggregate(rows, "1h")));
  });

  it("a backfill whose archive write fails leaves no day half indexed, and the retry completes it", async () => {
    const p = await profile("FLTBUSDT");
    const rows = syntheticCandles(today - 3 * DAY, 3 * 1440); // three finished days: R2 archives
    faults = installFaults();
    // The second day's object fails after R2 stored it: written, but the writer is told it failed.
    const put = faults.failR2("put", /FLTBUSDT/, { skip: 1, when: "after" });
    expect(await failure(storeCandles(env.BUCKET, getDb(env.DB), p, rows, now))).toBe(true);
    expect(put.failed).toBe(1);
    const half = await minutes(p);
    expect(half.length).toBe(1440); // the first day only: the second is not indexed, so not read
    expect(ohlcv(half)).toEqual(ohlcv(rows.slice(0, 1440)));
    faults.restore();
    await storeCandles(env.BUCKET, getDb(env.DB), p, rows, now); // the runner resumes
    const days = await archivedDays(getDb(env.DB), p.id);
    expect(days.map((d) => d.candles)).toEqual([1440, 1440, 1440]);
    const all = await readChart(env.BUCKET, getDb(env.DB), p, "1m", 5000);
    expect(ohlcv(all)).toEqual(ohlcv(rows));
  });

  it("a compaction whose D1 delete fails shows each minute once, and the next run finishes it", async () => {
    const p = await profile("FLTCUSDT");
    const yesterday = today - DAY;
    const rows = syntheticCandles(yesterday, 180);
    await storeCandles(env.BUCKET, getDb(env.DB), p, rows, yesterday + 4 * 3600); // stored that day: D1
    expect(await d1Rows(p.id)).toBe(180);
    faults = installFaults();
    faults.failD1(/delete from "candles"/);
    expect(await failure(compactRecent(env.BUCKET, getDb(env.DB), p, now))).toBe(true);
    // Archived and still in D1: read once all the same.
    expect(await d1Rows(p.id)).toBe(180);
    expect(ohlcv(await minutes(p))).toEqual(ohlcv(rows));
    faults.restore();
    await compactRecent(env.BUCKET, getDb(env.DB), p, now);
    expect(await d1Rows(p.id)).toBe(0);
    expect((await archivedDays(getDb(env.DB), p.id)).map((d) => d.candles)).toEqual([180]);
    expect(ohlcv(await minutes(p))).toEqual(ohlcv(rows));
  });
});
