// The signal rule, the stats arithmetic and the caches as plain functions, on hand-made inputs.
import { describe, expect, it } from "vitest";
import type { Candle } from "../../core/candles/types";
import { ByteLru } from "../../worker/memory";
import { replay } from "../../worker/models/backtest-replay";
import { decide, signalOf, tradeThreshold } from "../../worker/models/signals";
import { computeStats } from "../../worker/models/stats";

const vote = (model: string, expectedReturn: number, skill: number | null, pValue: number | null = 0.01) => ({
  model,
  expectedReturn,
  skill,
  pValue,
});

describe("decide", () => {
  it("lets models vote by Holm's step-down test at 10% family-wise, weighting their returns by skill", () => {
    const votes = [
      vote("arima", 0.01, 0.02, 0.03),
      vote("gru_attention", 0.001, 0.06, 0.01),
      vote("cnn_pattern", -0.5, -0.1), // p 0.01 but no skill
      vote("x", -1, null),
      vote("lucky", -1, 0.2, 0.1),
      vote("unknown", -1, 0.2, null),
    ];
    const d = decide(votes, 0.01);
    // Five tested, sorted 0.01, 0.01, 0.01, 0.03, 0.10 against 0.10 / 5, / 4, / 3, / 2, / 1: the first
    // four pass, and 0.10 is not below 0.10. Passing and skill > 0: arima and the GRU.
    expect(d.voters.map((v) => v.model)).toEqual(["arima", "gru_attention"]);
    expect(d.silenced.map((v) => v.model)).toEqual(["cnn_pattern", "x", "lucky", "unknown"]);
    expect(d.bars.get(votes[1])).toBeCloseTo(0.1 / 5, 15);
    expect(d.bars.get(votes[0])).toBeCloseTo(0.1 / 2, 15);
    expect(d.bars.has(votes[5])).toBe(false); // no p-value: not tested
    expect(d.expected).toBeCloseTo((0.02 * 0.01 + 0.06 * 0.001) / 0.08, 15);
    expect(d.signal).toBe("buy"); // 0.00325 > 0.002 fees
    // Holm stops at the first failure: 0.06 is not below 0.10 / 2, so 0.07 cannot vote either, though
    // it is below its own bar of 0.10.
    const stop = decide(
      [vote("a", 0.01, 0.02, 0.06), vote("b", 0.01, 0.02, 0.07), vote("c", 0.01, 0.02, 0.01)],
      0.01,
    );
    expect(stop.voters.map((v) => v.model)).toEqual(["c"]);
    const two = decide([vote("arima", 0.01, 0.02, 0.03), vote("gru_attention", 0.001, 0.06, 0.01)], 0.01);
    // Two tested: 0.01 < 0.05, then 0.03 < 0.10: both vote.
    expect(two.voters.map((v) => v.model)).toEqual(["arima", "gru_attention"]);
  });

  it("a p-value passing alone at 10% is no vote when the family's bar is lower", () => {
    const d = decide(
      [vote("a", 0.01, 0.02, 0.06), vote("b", 0.01, 0.02, 0.5), vote("c", 0.01, 0.02, 0.9)],
      0.01,
    );
    expect(d.voters).toEqual([]);
    expect(d.signal).toBe("hold");
  });

  it("holds with no confidence at all when no model may vote", () => {
    const d = decide([vote("a", 0.05, 0.01, 0.3), vote("b", 0.05, -0.01, 0.2)], 0.01);
    expect(d).toMatchObject({ signal: "hold", expected: null, voters: [], confidence: null });
    expect(decide([], 0.01)).toMatchObject({ signal: "hold", confidence: null });
    const prediction = {
      symbol: "X",
      generated_at: "",
      last: null,
      realizedSigma: 0.01,
      ewmaSigma: 0.01,
      models: [
        {
          model_type: "arima",
          version: 1,
          trained_at: null,
          metrics: { skill: 0.004, dm_pvalue: 0.4 },
          forecast: [],
          expectedReturn: 0.05,
          sigma: 0.01,
          artifact_sha256: null,
        },
      ],
    };
    const s = signalOf(prediction);
    expect(s.signal).toBe("hold");
    expect(s.confidence).toBeNull();
    expect(s.reasons).toContain(
      "Hold: no evidence of an edge: no model beats the random walk significantly. No confidence is given.",
    );
    expect(s.reasons[0]).toMatch(/Holm's test across the 1 models at a 10% family-wise error rate/);
    expect(s.reasons.join(" ")).not.toMatch(/Confidence \d/);
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

  it("gives the calibrated probability at the voters' lean as the confidence, never a p-value", () => {
    const calibration = { a: 0.1, b: 0.8, n: 400, hits: 230 };
    const s = decide([vote("a", -0.01, 0.03, 0.02), vote("b", 0.002, 0.01, 0.05)], 0.02, calibration);
    expect(s.signal).toBe("sell");
    const score = Math.abs((0.03 * -0.01 + 0.01 * 0.002) / 0.04) / 0.02;
    expect(s.score).toBeCloseTo(score, 12);
    expect(s.confidence).toBeCloseTo(1 / (1 + Math.exp(-(0.1 + 0.8 * score))), 12);
    // Without a calibration (too few out-of-sample hours) there is no confidence, not a guess.
    expect(decide([vote("a", -0.01, 0.03, 0.02)], 0.02).confidence).toBeNull();
    const reasons = signalOf(
      {
        symbol: "X",
        generated_at: "",
        last: null,
        realizedSigma: 0.02,
        ewmaSigma: 0.02,
        models: [
          {
            model_type: "arima",
            version: 1,
            trained_at: null,
            metrics: { skill: 0.03, dm_pvalue: 0.02 },
            forecast: [],
            expectedReturn: -0.01,
            sigma: 0.02,
            artifact_sha256: null,
          },
        ],
      },
      { fit: calibration, check: null, samples: 400, source: "rolling_evaluation" },
    ).reasons.join(" ");
    expect(reasons).toMatch(/Confidence 62%: the probability that the next hour's close moves down/);
    expect(reasons).toMatch(/calibrated on 400 out-of-sample hours/);
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

describe("ByteLru", () => {
  it("keeps at most its budget in bytes, evicting the least recently used entries and reporting them", () => {
    const evicted: string[] = [];
    const c = new ByteLru<number, string>(
      10,
      (v) => v.length,
      (v) => evicted.push(v),
    );
    c.set(1, "aaaa");
    c.set(2, "bbbb");
    c.get(1);
    c.set(3, "cc"); // 4 + 4 + 2 = 10: all fit
    expect(evicted).toEqual([]);
    c.set(4, "dddd"); // 14 bytes: the least recently used (2) goes
    expect(evicted).toEqual(["bbbb"]);
    expect([c.get(1), c.get(2), c.get(3), c.get(4)]).toEqual(["aaaa", undefined, "cc", "dddd"]);
    expect(c.bytes).toBe(10);
    c.set(3, "e"); // a replaced value is reported too
    expect(evicted).toEqual(["bbbb", "cc"]);
    expect(c.set(5, "x".repeat(11))).toBe(false); // larger than the whole budget: not kept, nothing evicted
    expect([c.get(5), c.bytes, evicted.length]).toEqual([undefined, 9, 2]);
  });
});
