// The chart's pure arithmetic: UTC period grids, history paging, streaming and forecast lines.
import { describe, expect, it } from "vitest";
import { nextPeriodStart, periodStart } from "../../core/candles/timeframes";
import { type Candle, MODEL_TYPES } from "../../web/src/api-types";
import {
  foldMinute,
  forecastLine,
  futureGrid,
  lastForecastClose,
  mergeCandles,
  spansCandle,
  streamable,
} from "../../web/src/lib/chart-data";
import { priceDecimals, progressPercent, toDate } from "../../web/src/lib/format";
import { modelLook } from "../../web/src/lib/models";

const utc = (...args: [number, number, number, number?, number?]) =>
  Date.UTC(args[0], args[1] - 1, args[2], args[3] ?? 0, args[4] ?? 0) / 1000;
const candle = (time: number, close = 100): Candle => ({
  time,
  open: close,
  high: close,
  low: close,
  close,
  volume: 1,
});

describe("the chart's periods (core periodStart / nextPeriodStart)", () => {
  const t = utc(2024, 6, 30, 23, 59); // a Sunday
  it.each([
    ["1m", utc(2024, 6, 30, 23, 59)],
    ["5m", utc(2024, 6, 30, 23, 55)],
    ["15m", utc(2024, 6, 30, 23, 45)],
    ["1h", utc(2024, 6, 30, 23)],
    ["4h", utc(2024, 6, 30, 20)],
    ["1D", utc(2024, 6, 30)],
    ["1W", utc(2024, 6, 24)], // the Monday before
    ["1M", utc(2024, 6, 1)],
  ] as const)("%s opens at the UTC period start", (tf, open) => {
    expect(periodStart(t, tf)).toBe(open);
  });

  it("starts weeks on Monday 00:00 UTC, also on the Monday itself", () => {
    expect(periodStart(utc(2024, 7, 1), "1W")).toBe(utc(2024, 7, 1));
    expect(new Date(periodStart(utc(2023, 9, 13, 12), "1W") * 1000).getUTCDay()).toBe(1);
  });

  it("steps calendar months across year ends and leap Februaries", () => {
    expect(nextPeriodStart(utc(2023, 12, 1), "1M")).toBe(utc(2024, 1, 1));
    expect(nextPeriodStart(utc(2024, 2, 1), "1M") - utc(2024, 2, 1)).toBe(29 * 86_400);
    expect(nextPeriodStart(utc(2024, 6, 24), "1W")).toBe(utc(2024, 7, 1));
  });
});

describe("mergeCandles / streamable", () => {
  it("joins an older page under the loaded candles, sorted, one candle per time, newer copy winning", () => {
    const older = [candle(60, 1), candle(120, 2), candle(180, 3)];
    const loaded = [candle(180, 30), candle(240, 4)];
    const merged = mergeCandles(older, loaded);
    expect(merged.map((c) => c.time)).toEqual([60, 120, 180, 240]);
    expect(merged[2].close).toBe(30);
  });

  it("streams only candles at or after the last shown one, oldest first", () => {
    const fresh = [candle(300), candle(180), candle(240)];
    expect(streamable(240, fresh).map((c) => c.time)).toEqual([240, 300]);
    expect(streamable(null, fresh).map((c) => c.time)).toEqual([180, 240, 300]);
  });
});

describe("futureGrid", () => {
  it("lists the period opens after the last candle up to the forecast end, capped", () => {
    const last = utc(2024, 6, 30, 23);
    expect(futureGrid(last, utc(2024, 7, 1, 3, 30), "1h", 100)).toEqual([
      utc(2024, 7, 1, 0),
      utc(2024, 7, 1, 1),
      utc(2024, 7, 1, 2),
      utc(2024, 7, 1, 3),
    ]);
    expect(futureGrid(last, utc(2024, 8, 1), "1m", 50)).toHaveLength(50);
    expect(futureGrid(last, last + 600, "1D", 10)).toEqual([]);
  });
});

describe("forecastLine: each hour's forecast drawn at its close, from the last price", () => {
  const point = (time: number, value: number) => ({ time, value, lower: value - 2, upper: value + 2 });
  // Made at 00:00, the close of the 23:00 hour: the path forecasts the closes of 00:00, 01:00, 02:00 ...
  const path = [0, 1, 2].map((h) => point(utc(2024, 7, 1, h), 101 + h));

  it("on 1h puts hour H's forecast at H's close, the next slot, and starts at the last close", () => {
    const last = candle(utc(2024, 6, 30, 23), 100);
    const line = forecastLine(path, last, "1h", 100);
    expect(line.map((p) => [p.time, p.value])).toEqual([
      [last.time, 100],
      [utc(2024, 7, 1, 1), 101],
      [utc(2024, 7, 1, 2), 102],
      [utc(2024, 7, 1, 3), 103],
    ]);
    expect(line.map((p) => p.close)).toEqual([
      null,
      utc(2024, 7, 1, 1),
      utc(2024, 7, 1, 2),
      utc(2024, 7, 1, 3),
    ]);
    expect(line.map((p) => p.lower)).toEqual([100, 99, 100, 101]);
    expect(line.map((p) => p.upper)).toEqual([100, 103, 104, 105]);
  });

  it("on 1m and 15m keeps the next hour's forecast at its close, not at the minutes left before it", () => {
    // The last minute 00:25 of the 00:00 hour: its forecast is due at 01:00, 35 minutes on.
    const last = candle(utc(2024, 7, 1, 0, 25), 100);
    expect(forecastLine(path, last, "1m", 500)[1]).toMatchObject({ time: utc(2024, 7, 1, 1), value: 101 });
    const quarter = candle(utc(2024, 7, 1, 0, 15), 100);
    expect(forecastLine(path, quarter, "15m", 500).map((p) => p.time)).toEqual([
      quarter.time,
      utc(2024, 7, 1, 1),
      utc(2024, 7, 1, 2),
      utc(2024, 7, 1, 3),
    ]);
  });

  it("drops forecasts whose close is already in the last candle's period", () => {
    const last = candle(utc(2024, 7, 1, 1), 100); // the 01:00 hour is running: 00:00's close has passed
    expect(forecastLine(path, last, "1h", 100).map((p) => p.value)).toEqual([100, 102, 103]);
  });

  it("snaps closes onto a coarser chart grid, the latest close of a period winning", () => {
    const f = [0, 1, 2, 3, 4].map((h) => point(utc(2024, 7, 1, h), 101 + h));
    const line = forecastLine(f, candle(utc(2024, 6, 30, 20), 100), "4h", 100);
    // Closes 01:00 .. 05:00: 01:00-03:00 in the 00:00 candle, 04:00 and 05:00 in the 04:00 one.
    expect(line.map((p) => [p.time, p.value])).toEqual([
      [utc(2024, 6, 30, 20), 100],
      [utc(2024, 7, 1, 0), 103],
      [utc(2024, 7, 1, 4), 105],
    ]);
  });

  it("draws nothing when every close lies inside the last candle's period", () => {
    const f = [point(utc(2024, 6, 30, 22), 101)];
    expect(forecastLine(f, candle(utc(2024, 6, 30), 100), "1D", 100)).toEqual([]);
  });

  it("reaches the horizon's last close and hides a day's path on weekly candles", () => {
    expect(lastForecastClose([path, path.slice(0, 1)])).toBe(utc(2024, 7, 1, 3));
    const day = Array.from({ length: 24 }, (_, h) => point(utc(2024, 7, 1, h), 100));
    expect(spansCandle(day, "1D")).toBe(true);
    expect(spansCandle(day, "1W")).toBe(false);
    expect(spansCandle(day.slice(0, 4), "4h")).toBe(true);
    expect(spansCandle(day.slice(0, 3), "4h")).toBe(false);
  });
});

describe("model looks and formatting", () => {
  it("names, colours and draws each model type by core's kind info, and no type it does not know", () => {
    expect(modelLook("garch")).toMatchObject({ label: "GARCH(1,1)", pricePath: true, volatility: true });
    expect(modelLook("arima")).toMatchObject({ volatility: false });
    expect(modelLook("gru_attention").label).toBe("GRU + attention");
    const colors = MODEL_TYPES.map((t) => modelLook(t).color);
    expect(new Set(colors).size).toBe(MODEL_TYPES.length);
    const unknown = modelLook("lstm", 1);
    expect(unknown).toMatchObject({ label: "lstm", pricePath: false });
    expect(colors).not.toContain(unknown.color);
  });

  it("reads job progress as a fraction or a percentage", () => {
    expect(progressPercent(0.62)).toBeCloseTo(62);
    expect(progressPercent(62)).toBe(62);
    expect(progressPercent(null)).toBe(0);
    expect(progressPercent(140)).toBe(100);
  });

  it("reads times in seconds, milliseconds or ISO text", () => {
    const s = utc(2024, 6, 30);
    expect(toDate(s)?.getTime()).toBe(s * 1000);
    expect(toDate(s * 1000)?.getTime()).toBe(s * 1000);
    expect(toDate("2024-06-30T00:00:00Z")?.getTime()).toBe(s * 1000);
    expect(toDate("not a date")).toBeNull();
  });

  it("keeps a price's significant decimals", () => {
    expect(priceDecimals(62_772.01)).toBe(2);
    expect(priceDecimals(1.0871)).toBe(4);
    expect(priceDecimals(0.00001234)).toBe(9);
  });
});

describe("foldMinute: a live 1m candle drawn into the chart's last period", () => {
  const H = 1_718_877_600; // 2024-06-20 10:00 UTC, a whole hour
  const bar = (time: number, o: number, h: number, l: number, c: number, v: number) => ({
    time,
    open: o,
    high: h,
    low: l,
    close: c,
    volume: v,
  });

  it("grows the open hour: keeps its open, widens high and low, takes the close, sums the volume", () => {
    const last = bar(H, 100, 105, 99, 104, 10);
    expect(foldMinute(last, bar(H + 600, 104, 107, 103, 106, 2.5), "1h")).toEqual(
      bar(H, 100, 107, 99, 106, 12.5),
    );
    expect(foldMinute(last, bar(H + 660, 104, 104.5, 98, 101, 1), "1h")).toEqual(
      bar(H, 100, 105, 98, 101, 11),
    );
  });

  it("opens the next period from the minute alone, at the period's start", () => {
    const last = bar(H, 100, 105, 99, 104, 10);
    expect(foldMinute(last, bar(H + 3600, 104, 106, 103, 105, 3), "1h")).toEqual(
      bar(H + 3600, 104, 106, 103, 105, 3),
    );
    // 1M: a minute of July opens the month of July 1st
    const june = Date.UTC(2024, 5, 1) / 1000;
    const july = Date.UTC(2024, 6, 1) / 1000;
    expect(foldMinute(bar(june, 1, 2, 1, 2, 1), bar(july + 7200, 2, 3, 2, 3, 1), "1M")?.time).toBe(july);
    expect(foldMinute(null, bar(H + 60, 1, 2, 1, 2, 1), "15m")?.time).toBe(H);
  });

  it("replaces a 1m candle of the same minute, and refuses minutes older than the last period", () => {
    const last = bar(H, 100, 105, 99, 104, 10);
    expect(foldMinute(last, bar(H, 100, 106, 99, 105, 11), "1m")).toEqual(bar(H, 100, 106, 99, 105, 11));
    expect(foldMinute(last, bar(H - 60, 1, 1, 1, 1, 1), "1m")).toBeNull();
    expect(foldMinute(last, bar(H - 60, 1, 1, 1, 1, 1), "1h")).toBeNull();
  });
});
