import { describe, expect, it } from "vitest";
import { aggregate, CandleAggregator, rollUp } from "../../core/candles/aggregate";
import { aggregateColumns } from "../../core/candles/aggregate-columns";
import { fromColumns, toColumns } from "../../core/candles/columns";
import { sumDecimals } from "../../core/candles/decimal-sum";
import {
  canRollUp,
  isTimeframe,
  nextPeriodStart,
  PANDAS_RULES,
  periodStart,
  TIMEFRAMES,
  type Timeframe,
} from "../../core/candles/timeframes";
import type { Candle } from "../../core/candles/types";
import reference from "../fixtures/aggregate/period-starts.json";

const utc = (iso: string) => Date.parse(`${iso}Z`) / 1000;
const bar = (time: number, price: number, volume: number): Candle => ({
  time,
  open: price,
  high: price + 1,
  low: price - 1,
  close: price + 0.5,
  volume,
});

describe("periodStart and nextPeriodStart", () => {
  it("match pandas resample labels, before 1970 and across leap years included", () => {
    expect(reference.rows.length).toBeGreaterThan(200);
    for (const [t, tf, start, next] of reference.rows as [number, Timeframe, number, number][]) {
      expect([t, tf, periodStart(t, tf)]).toEqual([t, tf, start]);
      expect([t, tf, nextPeriodStart(start, tf)]).toEqual([t, tf, next]);
    }
  });

  it("starts weeks on Monday 00:00 UTC and months on the 1st", () => {
    expect(periodStart(utc("2024-01-01T00:00:00"), "1W")).toBe(utc("2024-01-01T00:00:00"));
    expect(periodStart(utc("2023-12-31T23:59:59"), "1W")).toBe(utc("2023-12-25T00:00:00"));
    expect(periodStart(utc("2024-02-29T23:59:00"), "1M")).toBe(utc("2024-02-01T00:00:00"));
    expect(nextPeriodStart(utc("2024-02-01T00:00:00"), "1M")).toBe(utc("2024-03-01T00:00:00"));
    expect(nextPeriodStart(utc("2023-02-01T00:00:00"), "1M")).toBe(utc("2023-03-01T00:00:00"));
    expect(nextPeriodStart(utc("2023-12-01T00:00:00"), "1M")).toBe(utc("2024-01-01T00:00:00"));
    expect(periodStart(utc("2024-05-07T03:59:59"), "4h")).toBe(utc("2024-05-07T00:00:00"));
    expect(periodStart(-1, "1D")).toBe(-86_400);
  });

  it("validates names and times", () => {
    expect(TIMEFRAMES.every(isTimeframe)).toBe(true);
    expect(["1d", "1w", "2h", "", null, 5].some(isTimeframe)).toBe(false);
    expect(Object.keys(PANDAS_RULES)).toEqual([...TIMEFRAMES]);
    expect(() => periodStart(Number.NaN, "1h")).toThrow(RangeError);
  });

  it("knows which timeframes nest", () => {
    expect(canRollUp("1h", "4h") && canRollUp("1D", "1W") && canRollUp("1D", "1M")).toBe(true);
    expect(canRollUp("4h", "1h") || canRollUp("1W", "1M") || canRollUp("1M", "1W")).toBe(false);
  });
});

describe("exact volume sums", () => {
  it("adds decimals without float drift", () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumDecimals([0.1, 0.2])).toBe(0.3);
    expect(sumDecimals(Array(1000).fill(0.00000001))).toBe(0.00001);
    expect(sumDecimals([12.3456789, 98765.43210987, 0])).toBe(98777.77778877);
    // Totals beyond 2^53 1e-8 units take the decimal-parser path and still round once.
    expect(sumDecimals([90_000_000.5, 90_000_000.25])).toBe(180_000_000.75);
    expect(sumDecimals([-1.5, -0.25])).toBe(-1.75);
  });
});

describe("aggregate input rules", () => {
  it("rejects unsorted or repeated candles instead of producing wrong periods", () => {
    expect(() => aggregate([bar(120, 1, 1), bar(60, 1, 1)], "5m")).toThrow(/sorted/);
    expect(() => aggregate([bar(60, 1, 1), bar(60, 1, 1)], "5m")).toThrow(/sorted/);
    expect(() => aggregateColumns(toColumns([bar(60, 1, 1), bar(0, 1, 1)]), "1M")).toThrow(/sorted/);
    expect(() => aggregate([bar(Number.NaN, 1, 1)], "1h")).toThrow(/sorted/);
    expect(() => aggregate([bar(Number.POSITIVE_INFINITY, 1, 1)], "1h")).toThrow(/finite/);
  });

  it("handles empty input and volumes too large for the fast exact path", () => {
    expect(aggregate([], "1D")).toEqual([]);
    expect(aggregateColumns(toColumns([]), "1D").length).toBe(0);
    // 2e7 + 3e7 + 0.12345678: beyond 2^50 units per candle, summed through the split path.
    const big = [bar(0, 5, 20_000_000), bar(60, 6, 30_000_000.12345678), bar(120, 7, 0.00000001)];
    const expected = { time: 0, open: 5, high: 8, low: 4, close: 7.5, volume: 50_000_000.12345679 };
    expect(aggregate(big, "1h")).toEqual([expected]);
    expect(fromColumns(aggregateColumns(toColumns(big), "1h"))).toEqual([expected]);
  });

  it("keeps flushed periods closed and flushes only finished ones", () => {
    const agg = new CandleAggregator("1h");
    expect(agg.push([bar(0, 10, 1), bar(60, 12, 2)])).toEqual([]);
    expect(agg.flushUntil(3599)).toEqual([]);
    expect(agg.partial()).toEqual({ time: 0, open: 10, high: 13, low: 9, close: 12.5, volume: 3 });
    expect(agg.flushUntil(3600)).toHaveLength(1);
    expect(agg.partial()).toBeNull();
    expect(() => agg.push([bar(60, 1, 1)])).toThrow(/sorted/);
    expect(() => agg.push([bar(1800, 1, 1)])).toThrow(/flushed/);
    expect(agg.push([bar(3600, 1, 1)])).toEqual([]);
  });

  it("refuses rollups whose periods do not nest or are misaligned", () => {
    expect(() => rollUp([bar(0, 1, 1)], "1W", "1M")).toThrow(/nest/);
    expect(() => rollUp([bar(60, 1, 1)], "1h", "4h")).toThrow(/not the open/);
  });
});
