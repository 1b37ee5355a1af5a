// Chart markers of the signal history and the backtest's fills: each on the candle holding its hour's
// close at every timeframe, one per kind per candle (with a count) on long timeframes, layers toggled.
import { describe, expect, it } from "vitest";
import { nextPeriodStart, periodStart, TIMEFRAMES, type Timeframe } from "../../core/candles/timeframes";
import type { ForecastPoint, HistorySignal } from "../../web/src/api-types";
import { spansCandle } from "../../web/src/lib/chart-data";
import { buildMarkers, candleOfHour, markerCounts, signalTurns } from "../../web/src/lib/signal-markers";

const H = 3600;
const T0 = Date.UTC(2024, 1, 1) / 1000;
const KINDS = ["buy", "hold", "sell", "sell", "hold", "buy", "hold", "hold", "buy", "sell"] as const;
/** 60 days of hourly signals cycling through KINDS; a fill at every 7th hour. */
const signals: HistorySignal[] = Array.from({ length: 60 * 24 }, (_, i) => ({
  time: T0 + i * H,
  signal: KINDS[i % KINDS.length],
  confidence: 0.5,
  source: i < 1000 ? "backtest" : "live",
}));
const fills = signals
  .filter((_, i) => i % 7 === 0)
  .map((s, k) => ({ time: s.time, side: k % 2 ? ("sell" as const) : ("buy" as const), price: 100 }));

/** Every candle open of `tf` from a day before T0 to a day after the last hour. */
function candleTimes(tf: Timeframe): number[] {
  const out: number[] = [];
  for (let t = periodStart(T0 - 86_400, tf); t < T0 + 61 * 86_400; t = nextPeriodStart(t, tf)) out.push(t);
  return out;
}
const ALL = new Set(["signals", "trades"] as const);

describe("signal markers", () => {
  it("marks turns to buy or to sell, not holds or repeats", () => {
    const turns = signalTurns(signals.slice(0, 10));
    expect(turns.map((s) => [s.time - T0, s.signal])).toEqual([
      [0, "buy"],
      [2 * H, "sell"],
      [5 * H, "buy"],
      [9 * H, "sell"],
    ]);
  });

  it.each(TIMEFRAMES)("puts every marker on the %s candle holding its hour's close", (tf) => {
    const times = candleTimes(tf);
    const markers = buildMarkers(signals, fills, times, tf, ALL);
    const exists = new Set(times);
    for (const m of markers) expect(exists.has(m.time as number)).toBe(true);
    const turns = signalTurns(signals);
    const wanted = new Set(
      // the candle whose span holds the hour's last minute (T + 59 min), found by scanning the candles
      [...turns.map((s) => s.time), ...fills.map((f) => f.time)].map(
        (h) => times.findLast((t) => t <= h + H - 60) as number,
      ),
    );
    expect(new Set(markers.map((m) => m.time as number))).toEqual(wanted);
    // Sorted, and at most one marker per kind per candle: counts say how many were folded in.
    expect(markers.map((m) => m.time)).toEqual(
      [...markers.map((m) => m.time)].sort((a, b) => (a as number) - (b as number)),
    );
    const keys = markers.map((m) => `${m.time}|${m.shape}|${m.position}`);
    expect(new Set(keys).size).toBe(keys.length);
    const folded = (shape: string) =>
      markers
        .filter((m) => m.shape === shape)
        .reduce((n, m) => n + Number(/×(\d+)/.exec(m.text ?? "")?.[1] ?? 1), 0);
    expect(folded("circle")).toBe(turns.length);
    expect(folded("arrowUp") + folded("arrowDown")).toBe(fills.length);
    expect(markerCounts(signals, fills, times, tf)).toEqual({ signals: turns.length, trades: fills.length });
    if (tf === "1h") expect(candleOfHour(T0 + 5 * H, tf)).toBe(T0 + 5 * H);
    if (tf === "1m") expect(candleOfHour(T0 + 5 * H, tf)).toBe(T0 + 6 * H - 60);
    if (tf === "1M") expect(markers.length).toBeLessThanOrEqual(4 * 3);
  });

  it("draws only the layers shown and only on loaded candles", () => {
    const times = candleTimes("1h");
    expect(buildMarkers(signals, fills, times, "1h", new Set())).toEqual([]);
    const onlyTrades = buildMarkers(signals, fills, times, "1h", new Set(["trades"] as const));
    expect(onlyTrades.every((m) => m.shape.startsWith("arrow"))).toBe(true);
    const late = times.filter((t) => t >= T0 + 30 * 86_400);
    const drawn = buildMarkers(signals, fills, late, "1h", ALL);
    expect(drawn.length).toBeGreaterThan(0);
    expect(drawn.every((m) => (m.time as number) >= T0 + 30 * 86_400)).toBe(true);
  });
});

describe("forecasts only where they span a candle", () => {
  const path = (hours: number): ForecastPoint[] =>
    Array.from({ length: hours }, (_, k) => ({ time: T0 + (k + 1) * H, value: 1, lower: 1, upper: 1 }));
  it("draws a 24 h path up to 1D, never on 1W or 1M; a 12 h path not on 1D", () => {
    for (const tf of ["1m", "5m", "15m", "1h", "4h", "1D"] as const)
      expect(spansCandle(path(24), tf)).toBe(true);
    expect(spansCandle(path(24), "1W")).toBe(false);
    expect(spansCandle(path(24), "1M")).toBe(false);
    expect(spansCandle(path(12), "1D")).toBe(false);
    expect(spansCandle(path(12), "4h")).toBe(true);
    expect(spansCandle([], "1m")).toBe(false);
  });
});
