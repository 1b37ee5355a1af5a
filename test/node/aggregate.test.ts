// Aggregation of the committed real Binance weeks (test/fixtures/real) against pandas fixtures
// (test/fixtures/aggregate/make-fixtures.py); bench/aggregate.ts runs aggregation over the whole year.
import { describe, expect, it } from "vitest";
import { aggregate, CandleAggregator, rollUp } from "../../core/candles/aggregate";
import { aggregateColumns } from "../../core/candles/aggregate-columns";
import { fromColumns, toColumns } from "../../core/candles/columns";
import { nextPeriodStart, periodStart, TIMEFRAMES, type Timeframe } from "../../core/candles/timeframes";
import type { Candle } from "../../core/candles/types";
import btcFixture from "../fixtures/aggregate/btcusdt.json";
import ethFixture from "../fixtures/aggregate/ethusdt-perp.json";
import { type RealPrefix, realCandles, realSeries } from "../helpers/real-data";

interface Fixture {
  series: RealPrefix;
  from: number;
  to: number;
  cuts: number[][];
  cases: { timeframe: string; rule: string; from: number; to: number; candles: number[][] }[];
}

/** The fixture's 1m input: the real candles with its gaps cut out. */
function cutCandles(fixture: Fixture): Candle[] {
  const all = realCandles(fixture.series);
  const cut = new Set<number>();
  for (const [from, to] of fixture.cuts) for (let t = from; t < to; t += 60) cut.add(t);
  return all.filter((c) => !cut.has(c.time));
}

const toCandle = ([time, open, high, low, close, volume]: number[]): Candle => ({
  time,
  open,
  high,
  low,
  close,
  volume,
});

/** The first candle where two long runs differ (deep-equal diffs of 500k objects are too slow). */
function firstDifference(ours: Candle[], expected: Candle[]) {
  const n = Math.max(ours.length, expected.length);
  for (let i = 0; i < n; i++) {
    const a = ours[i];
    const b = expected[i];
    if (!a || !b || Object.keys(b).some((k) => a[k as keyof Candle] !== b[k as keyof Candle])) {
      return { index: i, ours: a, expected: b };
    }
  }
  return null;
}

/** Day chunks as the storage layer will read them: one UTC day of 1m candles each. */
function dayChunks(candles: Candle[]): Candle[][] {
  const chunks: Candle[][] = [];
  let day = Number.NaN;
  for (const c of candles) {
    const d = periodStart(c.time, "1D");
    if (d !== day) chunks.push([]);
    day = d;
    chunks[chunks.length - 1].push(c);
  }
  return chunks;
}

for (const [name, fixture] of [
  ["BTCUSDT spot", btcFixture],
  ["ETHUSDT-PERP", ethFixture],
] as [string, Fixture][]) {
  describe(`aggregate ${name} (real data)`, () => {
    const candles = cutCandles(fixture);

    it("cuts gaps into the data, and the ETH maintenance bars are in it", () => {
      const { fromSec, toSec } = realSeries(fixture.series);
      expect([fixture.from, fixture.to]).toEqual([fromSec, toSec]); // pandas saw the committed weeks
      expect(fixture.cases.map((c) => c.timeframe)).toEqual([...TIMEFRAMES]);
      const minutes = (candles[candles.length - 1].time - candles[0].time) / 60 + 1;
      expect(candles.length).toBeLessThan(minutes - 1000);
      if (name.startsWith("ETH")) expect(candles.filter((c) => c.volume === 0).length).toBe(14);
    });

    for (const kase of fixture.cases) {
      it(`${kase.timeframe} equals pandas resample('${kase.rule}') over ${kase.candles.length} periods`, () => {
        const slice = candles.filter((c) => c.time >= kase.from && c.time < kase.to);
        const tf = kase.timeframe as Timeframe;
        const expected = kase.candles.map(toCandle);
        expect(aggregate(slice, tf)).toEqual(expected);
        expect(fromColumns(aggregateColumns(toColumns(slice), tf))).toEqual(expected);
      });
    }

    it("streams day chunks to the same result as one pass, for every timeframe", () => {
      // All the weeks: week (and for BTCUSDT month) boundaries, and a cut whole day.
      const chunks = dayChunks(candles);
      for (const tf of TIMEFRAMES) {
        const agg = new CandleAggregator(tf);
        const streamed: Candle[] = [];
        for (const chunk of chunks) {
          agg.push(chunk, streamed);
          const dayEnd = nextPeriodStart(chunk[0].time, "1D");
          streamed.push(...agg.flushUntil(dayEnd)); // a complete day closes its periods early
        }
        streamed.push(...agg.flush());
        expect(firstDifference(streamed, aggregate(chunks.flat(), tf)), tf).toBeNull();
      }
    });

    it("aggregates columns exactly as candle objects over the whole data, for every timeframe", () => {
      const columns = toColumns(candles);
      for (const tf of TIMEFRAMES) {
        const viaColumns = fromColumns(aggregateColumns(columns, tf));
        expect(firstDifference(viaColumns, aggregate(candles, tf)), tf).toBeNull();
      }
    });

    it("rolls 1h and 1D rollups up to 4h, 1D, 1W and 1M exactly as from 1m", () => {
      const hourly = aggregate(candles, "1h");
      const daily = aggregate(candles, "1D");
      const fiveMin = aggregate(candles, "5m");
      const pairs: [Candle[], Timeframe, Timeframe][] = [
        [hourly, "1h", "4h"],
        [hourly, "1h", "1D"],
        [hourly, "1h", "1W"],
        [hourly, "1h", "1M"],
        [daily, "1D", "1W"],
        [daily, "1D", "1M"],
        [fiveMin, "5m", "15m"],
        [rollUp(fiveMin, "5m", "1h"), "1h", "1D"],
      ];
      const direct = new Map<Timeframe, Candle[]>();
      for (const [rollups, from, to] of pairs) {
        if (!direct.has(to)) direct.set(to, aggregate(candles, to));
        expect(
          firstDifference(rollUp(rollups, from, to), direct.get(to) as Candle[]),
          `${from} -> ${to}`,
        ).toBeNull();
      }
    });
  });
}
