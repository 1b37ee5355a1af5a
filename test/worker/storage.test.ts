import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { aggregate } from "../../core/candles/aggregate";
import { TIMEFRAMES } from "../../core/candles/timeframes";
import { getDb } from "../../worker/db/client";
import { dayKey } from "../../worker/market/archive";
import { readChart } from "../../worker/market/chart";
import { compactRecent, dataStatus, storeCandles } from "../../worker/market/store";
import { syntheticCandles } from "./synthetic";

const DAY0 = Date.UTC(2024, 1, 27) / 1000; // Tue 27 Feb 2024, across a leap day and a month end
const holes = new Set<number>();
for (let t = DAY0 + 3600 * 5; t < DAY0 + 3600 * 5 + 17 * 60; t += 60) holes.add(t); // 17 minutes out on day 0
holes.add(DAY0 + 86_400 * 2 + 600); // one minute out on day 2 (still in D1)
const all = syntheticCandles(DAY0, 3 * 1440 + 600, holes); // three days and ten hours
const NOW = DAY0 + 3 * 86_400 + 601 * 60;
const db = getDb(env.DB);
let profile: { id: number; symbol: string };

beforeAll(async () => {
  const row = await env.DB.prepare(
    "insert into trading_profiles (symbol, name) values ('SYNUSDT', 'Synthetic') returning id",
  ).first<{ id: number }>();
  profile = { id: row!.id, symbol: "SYNUSDT" };
  // Two writes that overlap, like a cron run followed by a backfill page: stored once.
  await storeCandles(env.BUCKET, db, profile, all.slice(0, 3000), NOW);
  await storeCandles(env.BUCKET, db, profile, all.slice(2000), NOW);
});

describe("tiered candle storage", () => {
  it("archives complete days to R2 and keeps the current day in D1", async () => {
    for (let d = 0; d < 3; d++)
      expect(await env.BUCKET.head(dayKey("SYNUSDT", DAY0 + d * 86_400))).not.toBeNull();
    expect(await env.BUCKET.head(dayKey("SYNUSDT", DAY0 + 3 * 86_400))).toBeNull();
    const recent = await env.DB.prepare(
      "select count(*) as n, min(time) as first from candles where profile_id = ?",
    )
      .bind(profile.id)
      .first<{ n: number; first: number }>();
    expect(recent).toEqual({ n: 600, first: DAY0 + 3 * 86_400 });
    const obj = await env.BUCKET.get(dayKey("SYNUSDT", DAY0 + 86_400));
    expect((await obj!.arrayBuffer()).byteLength / 1440).toBeLessThanOrEqual(16);
  });

  it.each(TIMEFRAMES)("serves %s exactly as aggregating every stored minute", async (tf) => {
    const expected = aggregate(all, tf);
    for (const limit of [1, 7, 100, 5000]) {
      expect(await readChart(env.BUCKET, db, profile, tf, limit)).toEqual(expected.slice(-limit));
    }
    const end = DAY0 + 86_400 + 3600 * 7 + 1234; // inside day 1
    const upto = expected.filter((c) => c.time <= end);
    expect(await readChart(env.BUCKET, db, profile, tf, 50, end)).toEqual(upto.slice(-50));
  });

  it("reports the stored count, the span and every gap", async () => {
    const status = await dataStatus(db, profile.id);
    expect(status.candles).toBe(all.length);
    expect(status.first_time).toBe(DAY0);
    expect(status.last_time).toBe(all[all.length - 1].time);
    expect(status.gaps).toEqual([
      { from: DAY0 + 3600 * 5, to: DAY0 + 3600 * 5 + 16 * 60, minutes: 17 },
      { from: DAY0 + 86_400 * 2 + 600, to: DAY0 + 86_400 * 2 + 600, minutes: 1 },
    ]);
  });

  it("refills a gap when the missing minutes arrive, and compacts the day after midnight", async () => {
    const missing = syntheticCandles(DAY0, 3 * 1440 + 600).filter((c) => holes.has(c.time));
    await storeCandles(env.BUCKET, db, profile, missing, NOW);
    expect((await dataStatus(db, profile.id)).gaps).toEqual([]);
    const full = syntheticCandles(DAY0, 3 * 1440 + 600);
    await compactRecent(env.BUCKET, db, profile, NOW + 86_400);
    expect(await env.DB.prepare("select count(*) as n from candles").first("n")).toBe(0);
    for (const tf of ["1m", "15m", "4h", "1M"] as const) {
      expect({ tf, candles: await readChart(env.BUCKET, db, profile, tf, 300) }).toEqual({
        tf,
        candles: aggregate(full, tf).slice(-300),
      });
    }
    expect((await dataStatus(db, profile.id)).candles).toBe(full.length);
  });
});
