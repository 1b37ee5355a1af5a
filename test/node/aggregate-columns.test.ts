// Property tests of the columnar kernel (aggregateColumns and periodBounds) against a reference
// written the simplest way: periodStart per candle, `if` for high and low, sumDecimals for
// volume. Random series (seeded, so a failure repeats) cross leap days, month, week and year
// ends and 1970, with random gaps, coarser inputs, awkward values (NaN, -0, ties, huge and
// negative volumes) and unsorted rows.
import { describe, expect, it } from "vitest";
import { aggregate } from "../../core/candles/aggregate";
import { aggregateColumns } from "../../core/candles/aggregate-columns";
import { type CandleColumns, fromColumns, toColumns } from "../../core/candles/columns";
import { sumDecimals, UNIT_LIMIT, VOLUME_UNITS } from "../../core/candles/decimal-sum";
import { periodBounds } from "../../core/candles/period-bounds";
import { canRollUp, periodStart, TIMEFRAMES, type Timeframe } from "../../core/candles/timeframes";
import type { Candle } from "../../core/candles/types";

/** mulberry32: a small seeded generator, so that every run tests the same series. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const utc = (iso: string) => Date.parse(`${iso}Z`) / 1000;
/** Starts near awkward boundaries: leap day, month, year and week ends, the epoch, before it. */
const STARTS = [
  "2024-02-28T22:00:00",
  "2023-12-31T20:00:00",
  "2024-06-30T23:00:00",
  "2024-01-07T21:00:00", // Sunday evening: the week turns on Monday 00:00
  "1970-01-01T00:00:00",
  "1969-12-31T18:00:00",
  "1900-02-27T00:00:00", // not a leap year
].map(utc);

/** Awkward values, mixed into some series: they must aggregate exactly as aggregate() does. */
const ODD_PRICES = [Number.NaN, -0, 0, 1e-300, -5, 1e308];
const ODD_VOLUMES = [0, -0, -1.5, 2.5e-8, 0.5e-8, 1.000000005, 2 ** -27, 12_345_678.9, 3e15, Number.NaN];

interface SeriesOptions {
  rows: number;
  step: number; // seconds between input candles
  gapChance: number;
  odd: boolean;
}

function series(rand: () => number, { rows, step, gapChance, odd }: SeriesOptions): Candle[] {
  const out: Candle[] = [];
  let t = STARTS[Math.floor(rand() * STARTS.length)] - Math.floor(rand() * 50) * step;
  let price = 100 + rand() * 50_000;
  for (let i = 0; i < rows; i++) {
    if (rand() < gapChance) t += step * (1 + Math.floor(rand() * (rand() < 0.1 ? 5000 : 30)));
    price = Math.max(0.01, Math.round((price + (rand() - 0.5) * 40) * 100) / 100);
    const close = Math.round((price + (rand() - 0.5) * 20) * 100) / 100;
    const spread = Math.round(rand() * 3000) / 100;
    let high = Math.max(price, close) + (rand() < 0.3 ? 0 : spread);
    let low = Math.min(price, close) - (rand() < 0.3 ? 0 : spread);
    let volume = Math.round(rand() * 10 ** (1 + Math.floor(rand() * 12))) / 1e8;
    if (odd && rand() < 0.05) high = ODD_PRICES[Math.floor(rand() * ODD_PRICES.length)];
    if (odd && rand() < 0.05) low = ODD_PRICES[Math.floor(rand() * ODD_PRICES.length)];
    if (odd && rand() < 0.05) volume = ODD_VOLUMES[Math.floor(rand() * ODD_VOLUMES.length)];
    out.push({ time: t, open: price, high, low, close, volume });
    t += step;
  }
  return out;
}

/** The reference: one candle at a time, period starts from the general function. */
function reference(candles: readonly Candle[], tf: Timeframe): Candle[] {
  const out: Candle[] = [];
  let volumes: number[] = [];
  for (const c of candles) {
    const start = periodStart(c.time, tf);
    const open = out[out.length - 1];
    if (open?.time === start) {
      if (c.high > open.high) open.high = c.high;
      if (c.low < open.low) open.low = c.low;
      open.close = c.close;
      volumes.push(c.volume);
    } else {
      if (open) open.volume = sumDecimals(volumes);
      out.push({ time: start, open: c.open, high: c.high, low: c.low, close: c.close, volume: 0 });
      volumes = [c.volume];
    }
  }
  if (out.length > 0) out[out.length - 1].volume = sumDecimals(volumes);
  return out;
}

/** Field-for-field equality with Object.is (NaN equals NaN, -0 differs from 0). */
function firstDifference(ours: Candle[], expected: Candle[]): string | null {
  if (ours.length !== expected.length) return `length ${ours.length} vs ${expected.length}`;
  for (let i = 0; i < ours.length; i++) {
    for (const k of ["time", "open", "high", "low", "close", "volume"] as const) {
      if (!Object.is(ours[i][k], expected[i][k]))
        return `period ${i} ${k}: ${ours[i][k]} vs ${expected[i][k]}`;
    }
  }
  return null;
}

const INPUTS: [Timeframe, number][] = [
  ["1m", 60],
  ["1h", 3600],
  ["1D", 86_400],
];

describe("aggregateColumns against a reference, random series", () => {
  it("agrees on every timeframe for random gaps, boundaries and input timeframes", () => {
    const rand = random(20240229);
    let periods = 0;
    for (let round = 0; round < 60; round++) {
      const [from, step] = INPUTS[round % INPUTS.length];
      const rows = 1 + Math.floor(rand() * (round % 10 === 0 ? 20_000 : 1500));
      const candles = series(rand, { rows, step, gapChance: rand() * 0.3, odd: false });
      const columns = toColumns(candles);
      for (const tf of TIMEFRAMES) {
        if (!canRollUp(from, tf)) continue;
        const expected = reference(candles, tf);
        const ours = fromColumns(aggregateColumns(columns, tf));
        expect(firstDifference(ours, expected), `round ${round} ${from} -> ${tf}`).toBeNull();
        expect(firstDifference(aggregate(candles, tf), expected), `aggregate ${round} ${tf}`).toBeNull();
        periods += ours.length;
      }
    }
    expect(periods).toBeGreaterThan(10_000); // the rounds did produce periods to compare
  });

  it("agrees with aggregate() on NaN, -0, ties, negative and huge volumes", () => {
    const rand = random(1970);
    for (let round = 0; round < 40; round++) {
      const candles = series(rand, {
        rows: 1 + Math.floor(rand() * 3000),
        step: 60,
        gapChance: 0.05,
        odd: true,
      });
      const columns = toColumns(candles);
      for (const tf of TIMEFRAMES) {
        const expected = aggregate(candles, tf);
        expect(
          firstDifference(fromColumns(aggregateColumns(columns, tf)), expected),
          `${round} ${tf}`,
        ).toBeNull();
        expect(firstDifference(reference(candles, tf), expected), `reference ${round} ${tf}`).toBeNull();
      }
    }
  });

  it("rejects unsorted, repeated or non-finite times with aggregate()'s error, wherever they are", () => {
    const rand = random(7);
    for (let round = 0; round < 40; round++) {
      const candles = series(rand, {
        rows: 2 + Math.floor(rand() * 12_000),
        step: 60,
        gapChance: 0.1,
        odd: false,
      });
      const i = 1 + Math.floor(rand() * (candles.length - 1));
      const kind = round % 4;
      if (kind === 0)
        candles[i].time = candles[i - 1].time; // a repeat
      else if (kind === 1)
        candles[i].time = candles[0].time - 60 * Math.floor(rand() * 1e6); // far back
      else if (kind === 2) candles[i].time = Number.NaN;
      else candles[i].time = Number.POSITIVE_INFINITY;
      const tf = TIMEFRAMES[Math.floor(rand() * TIMEFRAMES.length)];
      let expected = "";
      try {
        aggregate(candles, tf);
      } catch (e) {
        expected = (e as Error).message;
      }
      if (kind === 3) {
        // A sorted +Infinity: aggregate()'s 1M path words it "time must be a finite number".
        expect(expected).toMatch(/finite/);
        expected = "candle time must be finite";
      } else {
        expect(expected).toMatch(/sorted/);
      }
      expect(() => aggregateColumns(toColumns(candles), tf), `${round} ${tf}`).toThrow(expected);
    }
  });
});

describe("periodBounds", () => {
  const column = (times: number[]): CandleColumns =>
    toColumns(times.map((time) => ({ time, open: 1, high: 1, low: 1, close: 1, volume: 1 })));

  it("finds each period's first row across gaps and calendar months", () => {
    const jan = utc("2024-01-31T23:58:00");
    const times = [
      jan,
      jan + 60,
      jan + 120,
      jan + 180,
      utc("2024-03-01T00:00:00"),
      utc("2024-03-31T23:59:00"),
    ];
    const months = periodBounds(column(times).time, times.length, "1M");
    expect([months.count, ...months.first.subarray(0, months.count + 1)]).toEqual([3, 0, 2, 4, 6]);
    expect([...months.start.subarray(0, 3)]).toEqual(
      ["2024-01-01", "2024-02-01", "2024-03-01"].map((d) => utc(`${d}T00:00:00`)),
    );
    const hours = periodBounds(column(times).time, times.length, "1h");
    expect([...hours.first.subarray(0, hours.count + 1)]).toEqual([0, 2, 4, 5, 6]);
  });

  it("keeps the literals of the hot loop equal to decimal-sum's constants", () => {
    // aggregate.ts and aggregate-columns.ts write 1e8 and 2^50 as literals (V8 re-checks imports).
    expect([VOLUME_UNITS, UNIT_LIMIT]).toEqual([1e8, 2 ** 50]);
  });
});
