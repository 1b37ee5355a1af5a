// The signal rule, the stats arithmetic and the caches as plain functions, on hand-made inputs.
import { describe, expect, it } from "vitest";
import type { Candle } from "../../core/candles/types";
import { replay } from "../../worker/models/backtest-replay";
import { LruCache } from "../../worker/models/model-cache";
import { decide, signalOf, tradeThreshold } from "../../worker/models/signals";
import { computeStats } from "../../worker/models/stats";

const vote = (model: string, expectedReturn: number, skill: number | null, pValue: number | null = 0.01) => ({
  model,
  expectedReturn,
  skill,
  pValue,
});

describe("decide", () => {
  it("lets only models with skill > 0 and DM p < 0.10 vote, weighting their returns by skill", () => {
    const d = decide(
      [
        vote("arima", 0.01, 0.02, 0.05),
        vote("gru_attention", 0.001, 0.06, 0.01),
        vote("cnn_pattern", -0.5, -0.1),
        vote("x", -1, null),
        vote("lucky", -1, 0.2, 0.1), // p = 0.10 is not below 0.10
        vote("unknown", -1, 0.2, null),
      ],
      0.01,
    );
    expect(d.expected).toBeCloseTo((0.02 * 0.01 + 0.06 * 0.001) / 0.08, 15);
    expect(d.voters.map((v) => v.model)).toEqual(["arima", "gru_attention"]);
    expect(d.silenced.map((v) => v.model)).toEqual(["cnn_pattern", "x", "lucky", "unknown"]);
    expect(d.signal).toBe("buy"); // 0.00325 > 0.002 fees
    // Both agree: (0.02 * 0.95 + 0.06 * 0.99) / 0.08.
    expect(d.confidence).toBeCloseTo((0.02 * 0.95 + 0.06 * 0.99) / 0.08, 12);
  });

  it("holds when no model beats the random walk significantly, with the best p-value as confidence", () => {
    const d = decide([vote("a", 0.05, 0.01, 0.3), vote("b", 0.05, -0.01, 0.2)], 0.01);
    expect(d).toMatchObject({ signal: "hold", expected: null, voters: [] });
    expect(d.confidence).toBeCloseTo(0.2, 15);
    expect(decide([], 0.01)).toMatchObject({ signal: "hold", confidence: 0 });
    const prediction = {
      symbol: "X",
      generated_at: "",
      last: null,
      realizedSigma: 0.01,
      models: [
        {
          model_type: "arima",
          version: 1,
          trained_at: null,
          metrics: { skill: 0.004, dm_pvalue: 0.4 },
          forecast: [],
          expectedReturn: 0.05,
          sigma: 0.01,
        },
      ],
    };
    const s = signalOf(prediction);
    expect(s.signal).toBe("hold");
    expect(s.reasons).toContain("Hold: no model beats the random walk significantly.");
    expect(s.reasons[0]).toMatch(/pooled skill > 0\) with a one-sided Diebold-Mariano p-value below 0.1/);
  });

  it("needs the larger of the round-trip fees and 0.1 sigma, either way", () => {
    expect(tradeThreshold(null)).toBe(0.002);
    expect(tradeThreshold(0.01)).toBe(0.002);
    expect(tradeThreshold(0.05)).toBeCloseTo(0.005, 15);
    expect(decide([vote("a", 0.004, 0.05)], 0.05).signal).toBe("hold");
    expect(decide([vote("a", 0.006, 0.05)], 0.05).signal).toBe("buy");
    const inside = decide([vote("a", -0.004, 0.01), vote("b", 0.001, 0.01)], null);
    expect(inside.expected).toBeCloseTo(-0.0015, 15);
    expect(inside.signal).toBe("hold"); // -0.15% is inside the 0.2% band
    const sell = decide([vote("a", -0.004, 0.03), vote("b", 0.001, 0.01)], null);
    expect(sell.expected).toBeCloseTo(-0.00275, 15);
    expect(sell.signal).toBe("sell");
  });

  it("scores confidence by the agreeing evidence, and inside the band by its depth", () => {
    const s = decide([vote("a", -0.01, 0.03, 0.02), vote("b", 0.002, 0.01, 0.05)], null);
    expect(s.signal).toBe("sell");
    expect(s.confidence).toBeCloseTo((0.03 * 0.98) / 0.04, 12);
    const h = decide([vote("a", 0.0005, 0.025, 0.04)], null);
    expect(h.signal).toBe("hold");
    expect(h.confidence).toBeCloseTo((1 - 0.0005 / 0.002) * 0.96, 12);
    let seed = 3;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;
      return (seed / 2147483647) * 2 - 1;
    };
    for (let i = 0; i < 500; i++) {
      const votes = [0, 1, 2].map((k) => vote(`m${k}`, rand() * 0.01, rand() * 0.2, Math.abs(rand()) * 0.2));
      const c = decide(votes, Math.abs(rand()) * 0.05).confidence;
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThanOrEqual(1);
    }
  });
});

const day = (i: number, close: number): Candle => ({
  time: i * 86_400,
  open: close,
  high: close,
  low: close,
  close,
  volume: 1,
});

describe("computeStats", () => {
  it("gives nulls where the history is too short and a zero drawdown for one close", () => {
    const last = { ...day(0, 100), time: 3600 };
    const s = computeStats({ last, dayAgo: null, daily: [day(0, 100)], periodsPerYear: 365 });
    expect(s).toMatchObject({
      price: 100,
      change_24h: null,
      returns: { "1d": null, "7d": null, "30d": null },
      volatility_annualized: null,
      sharpe_annualized: null,
      max_drawdown: 0,
    });
  });

  it("reads 7d from the last daily close at or before a week ago, and annualises with the calendar given", () => {
    const closes = [100, 120, 90, 95, 130, 110, 105, 100, 104];
    const daily = closes.map((c, i) => day(i, c)).filter((_, i) => i !== 1); // day 1 missing
    const last = { ...day(8, 104), time: 8 * 86_400 + 600 };
    const s = computeStats({ last, dayAgo: day(7, 100), daily, periodsPerYear: 260 });
    expect(s.returns["1d"]).toBeCloseTo(0.04, 15);
    expect(s.returns["7d"]).toBeCloseTo(104 / 100 - 1, 15); // day 1 is missing: day 0's close
    const kept = [100, 90, 95, 130, 110, 105, 100, 104];
    const r = kept.slice(1).map((c, i) => Math.log(c / kept[i]));
    const mean = r.reduce((a, b) => a + b) / r.length;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1));
    expect(s.volatility_annualized).toBeCloseTo(sd * Math.sqrt(260), 12);
    expect(s.sharpe_annualized).toBeCloseTo((mean / sd) * Math.sqrt(260), 12);
    expect(s.max_drawdown).toBeCloseTo(100 / 130 - 1, 15);
  });
});

describe("replay", () => {
  it("buys, holds, sells and buys again with 10 bps a side, and sells what is open at the end", () => {
    const candles = [100, 101, 99, 102, 103].map((close, i) => ({ ...day(i, close), time: i * 3600 }));
    const r = replay({
      candles,
      start: 0,
      models: [
        {
          model: "a",
          predicted: [0.01, 0.001, -0.01, 0.01, Number.NaN],
          skill: [0.05, 0.05, 0.05, 0.05, 0.05],
          pValue: [0.01, 0.01, 0.01, 0.01, 0.01],
        },
      ],
      sigma: new Array(5).fill(Number.NaN),
      feeBps: 10,
      periodsPerYear: 8760,
    });
    const k = 0.999;
    const values = [1, k * 1.01, k * 0.99, k * k * 0.99, k ** 4 * 0.99 * (103 / 102)];
    expect(r.equity.map((e) => e.time)).toEqual([0, 3600, 7200, 10_800, 14_400]);
    r.equity.forEach((e, i) => {
      expect(e.value).toBeCloseTo(values[i], 14);
    });
    expect(r).toMatchObject({ from: 0, to: 14_400, trades: 2, win_rate: 0.5, fees_bps: 10 });
    expect(r.total_return).toBeCloseTo(values[4] - 1, 14);
    expect(r.buy_and_hold_return).toBeCloseTo(1.03 * k * k - 1, 14);
    expect(r.max_drawdown).toBeCloseTo(values[3] / values[1] - 1, 14);
    expect(r.fills).toEqual([
      { time: 0, side: "buy", price: 100 },
      { time: 7200, side: "sell", price: 99 },
      { time: 10_800, side: "buy", price: 102 },
      { time: 14_400, side: "sell", price: 103 },
    ]);
  });
});

describe("replay long/short", () => {
  it("covers and goes long on a buy, sells and goes short on a sell, a short earning -r each hour", () => {
    const candles = [100, 101, 99, 102, 103].map((close, i) => ({ ...day(i, close), time: i * 3600 }));
    const r = replay({
      candles,
      start: 0,
      models: [
        {
          model: "a",
          predicted: [-0.01, 0.01, 0.001, -0.01, Number.NaN],
          skill: [0.05, 0.05, 0.05, 0.05, 0.05],
          pValue: [0.01, 0.01, 0.01, 0.01, 0.01],
        },
      ],
      sigma: new Array(5).fill(Number.NaN),
      feeBps: 10,
      periodsPerYear: 8760,
      allowShort: true,
    });
    const k = 0.999;
    // Short 100->101 (-1%), cover + long 101->99 -> 102 (hold), cover + short 102->103, close at the end.
    const v1 = k * (1 - 0.01);
    const v2 = v1 * k * k * (99 / 101);
    const v3 = v2 * (102 / 99);
    const v4 = v3 * k * k * (1 - (103 / 102 - 1)) * k;
    expect(r.equity.map((e) => e.value)).toEqual([1, v1, v2, v3, v4].map((v) => expect.closeTo(v, 14)));
    expect(r).toMatchObject({ trades: 3, mode: "long_short" });
    expect(r.win_rate).toBeCloseTo(1 / 3, 15); // only the long 101 -> 102 paid its fees
    // A reversal is two fills at the same close: the cover or sale, then the new position.
    expect(r.fills).toEqual([
      { time: 0, side: "sell", price: 100 },
      { time: 3600, side: "buy", price: 101 },
      { time: 3600, side: "buy", price: 101 },
      { time: 10_800, side: "sell", price: 102 },
      { time: 10_800, side: "sell", price: 102 },
      { time: 14_400, side: "buy", price: 103 },
    ]);
  });
});

describe("LruCache", () => {
  it("evicts the least recently used entry and reports it", () => {
    const evicted: string[] = [];
    const c = new LruCache<number, string>(2, (v) => evicted.push(v));
    c.set(1, "a");
    c.set(2, "b");
    c.get(1);
    c.set(3, "c");
    expect(evicted).toEqual(["b"]);
    expect([c.get(1), c.get(2), c.get(3)]).toEqual(["a", undefined, "c"]);
    c.set(3, "d");
    expect(evicted).toEqual(["b", "c"]);
  });
});
