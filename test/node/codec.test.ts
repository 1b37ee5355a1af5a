import { describe, expect, it } from "vitest";
import { aggregate } from "../../core/candles/aggregate";
import { aggregateColumns } from "../../core/candles/aggregate-columns";
import {
  candleBlockInfo,
  decodeBlocksToColumns,
  decodeCandleColumns,
  decodeCandles,
  encodeCandles,
} from "../../core/candles/codec";
import { concatColumns, fromColumns } from "../../core/candles/columns";
import { periodStart } from "../../core/candles/timeframes";
import type { Candle } from "../../core/candles/types";
import { realCandles } from "../helpers/real-data";

const TARGET_BYTES_PER_CANDLE = 16;

function byDay(candles: Candle[]): Candle[][] {
  const days = new Map<number, Candle[]>();
  for (const c of candles) {
    const d = periodStart(c.time, "1D");
    const list = days.get(d);
    if (list) list.push(c);
    else days.set(d, [c]);
  }
  return [...days.values()];
}

/** Index of the first candle that differs in any field (Object.is: -0 and NaN count), or -1. */
function firstMismatch(a: Candle[], b: Candle[]): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    const same =
      Object.is(x.time, y.time) &&
      Object.is(x.open, y.open) &&
      Object.is(x.high, y.high) &&
      Object.is(x.low, y.low) &&
      Object.is(x.close, y.close) &&
      Object.is(x.volume, y.volume);
    if (!same) return i;
  }
  return -1;
}

function roundTrip(candles: Candle[], step?: number): { bytes: Uint8Array; back: Candle[] } {
  const bytes = encodeCandles(candles, step);
  return { bytes, back: decodeCandles(bytes) };
}

const candle = (time: number, open: number, high: number, low: number, close: number, volume: number) => ({
  time,
  open,
  high,
  low,
  close,
  volume,
});

// The committed real weeks (test/fixtures/real); bench/codec.ts runs the same round trip over the year.
describe("candle codec on the real data", () => {
  const ethWeeks = () => realCandles("ETHUSDT-PERP");

  it(`round-trips four weeks of BTCUSDT day by day exactly, under ${TARGET_BYTES_PER_CANDLE} bytes a candle`, () => {
    const weeks = realCandles("BTCUSDT");
    expect(weeks.length).toBe(28 * 1440);
    let bytes = 0;
    for (const day of byDay(weeks)) {
      const { bytes: block, back } = roundTrip(day);
      expect(firstMismatch(back, day)).toBe(-1);
      bytes += block.length;
    }
    expect(bytes / weeks.length).toBeLessThanOrEqual(TARGET_BYTES_PER_CANDLE);
    const info = candleBlockInfo(encodeCandles(weeks.slice(0, 1440)));
    expect(info).toMatchObject({ encoding: "scaled", priceDecimals: 2, volumeDecimals: 5, count: 1440 });
  });

  it("decodes day blocks into columns that aggregate like the original candles", () => {
    const weeks = ethWeeks();
    const holed = weeks.filter((c) => c.time % 7_919 >= 60); // cut minutes spread over the weeks
    const blocks = byDay(holed).map((day) => encodeCandles(day));
    const columns = decodeBlocksToColumns(blocks);
    expect(firstMismatch(fromColumns(columns), holed)).toBe(-1);
    expect(fromColumns(concatColumns(blocks.slice(0, 3).map(decodeCandleColumns)))).toEqual(
      fromColumns(decodeBlocksToColumns(blocks.slice(0, 3))),
    );
    expect(() => decodeBlocksToColumns([blocks[1], blocks[0]])).toThrow(/order/);
    for (const tf of ["1h", "1W", "1M"] as const) {
      expect(firstMismatch(fromColumns(aggregateColumns(columns, tf)), aggregate(holed, tf))).toBe(-1);
    }
  });

  it("round-trips ETHUSDT-PERP with its maintenance bars and cut-out gaps", () => {
    const weeks = ethWeeks();
    const maintenance = byDay(weeks).find((d) => d.filter((c) => c.volume === 0).length === 19) as Candle[];
    expect(maintenance).toBeDefined();
    const { back, bytes } = roundTrip(maintenance);
    expect(firstMismatch(back, maintenance)).toBe(-1);
    expect(candleBlockInfo(bytes)).toMatchObject({ priceDecimals: 2, volumeDecimals: 3 });
    // Every 7th minute and a whole hour gone: gaps cost a few bytes, times come back exactly.
    const holed = maintenance.filter((_c, i) => i % 7 !== 3 && (i < 600 || i >= 660));
    const again = roundTrip(holed);
    expect(firstMismatch(again.back, holed)).toBe(-1);
    expect(candleBlockInfo(again.bytes).lastTime).toBe(holed[holed.length - 1].time);
    for (const day of byDay(weeks)) expect(firstMismatch(decodeCandles(encodeCandles(day)), day)).toBe(-1);
  });
});

describe("candle codec edge cases", () => {
  it("keeps any finite numbers bit for bit, falling back to raw doubles when they are not short decimals", () => {
    const odd = [
      candle(0, 1 / 3, Math.PI, -1e-300, 0.1 + 0.2, 5e-324),
      candle(60, 2 ** 60, 2 ** 61, 1, 3, 7),
    ];
    const { bytes, back } = roundTrip(odd);
    expect(firstMismatch(back, odd)).toBe(-1);
    expect(candleBlockInfo(bytes).encoding).toBe("raw");
  });

  it("handles tiny and large prices, 8-decimal volumes, negative prices and inconsistent highs", () => {
    const cases: Candle[][] = [
      [candle(60, 0.00001234, 0.00001299, 0.0000012, 0.00001255, 123456789012.5)],
      [candle(0, 1e9 + 0.01, 1e9 + 0.02, 1e9, 1e9, 0.00000001), candle(120, 5, 5, 5, 5, 0)],
      [candle(-86_400, -37.63, 10.01, -40, -1.5, 12.34567891)],
      [candle(0, 100, 99, 101, 100.5, 1), candle(60, 100, 100, 100, 100, 0)], // high < open, low > close
    ];
    for (const candles of cases) {
      const { bytes, back } = roundTrip(candles);
      expect(firstMismatch(back, candles)).toBe(-1);
      expect(candleBlockInfo(bytes).encoding).toBe("scaled");
    }
    expect(candleBlockInfo(encodeCandles(cases[0])).priceDecimals).toBe(8);
    expect(candleBlockInfo(encodeCandles(cases[1])).volumeDecimals).toBe(8);
  });

  it("encodes empty runs and hourly rollups", () => {
    expect(decodeCandles(encodeCandles([]))).toEqual([]);
    const hourly = [candle(3600, 1, 2, 0.5, 1.5, 10), candle(3 * 3600, 1.5, 1.5, 1.5, 1.5, 0)];
    const { bytes, back } = roundTrip(hourly, 3600);
    expect(back).toEqual(hourly);
    expect(candleBlockInfo(bytes)).toMatchObject({ step: 3600, firstTime: 3600, lastTime: 3 * 3600 });
  });

  it("refuses input it cannot store faithfully", () => {
    const a = candle(60, 1, 1, 1, 1, 1);
    expect(() => encodeCandles([a, { ...a, time: 0 }])).toThrow(/sorted/);
    expect(() => encodeCandles([a, a])).toThrow(/sorted/);
    expect(() => encodeCandles([a, { ...a, time: 90 }])).toThrow(/step/);
    expect(() => encodeCandles([{ ...a, close: Number.NaN }])).toThrow(/non-finite/);
    expect(() => encodeCandles([{ ...a, time: 60.5 }])).toThrow(/integer/);
  });
});
