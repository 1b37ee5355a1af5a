// Out-of-sample metrics: hand-computed toy cases, and the same numbers as the pandas/numpy recompute in
// test/fixtures/models/make-fixtures.py on statsmodels' and scipy's walk-forward forecasts.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  evaluateArima,
  evaluateGarch,
  pointMetrics,
  qlikeMetrics,
  testStartIndex,
} from "../../core/models/evaluate";

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/models/${name}`, import.meta.url), "utf8"));

const H = 3600;
const times = [0, 1, 2, 3, 4, 5].map((i) => i * H);
const closes = [100, 101, 103, 103, 102, 104];

describe("pointMetrics on toy arrays", () => {
  it("computes MAE, naive MAE, skill and directional accuracy by hand", () => {
    // Targets j = 2..5 (times 2h..5h). Forecasts made at j - 1.
    const predictions = [Number.NaN, Number.NaN, 102, 104, 103, 102];
    const m = pointMetrics({
      timeframe: "1h",
      horizon: 1,
      times,
      closes,
      predictions,
      testFrom: 2 * H,
      testTo: 5 * H,
    });
    // |102-103| + |104-103| + |103-102| + |102-104| = 1 + 1 + 1 + 2 = 5 -> 1.25
    // naive: |101-103| + |103-103| + |103-102| + |102-104| = 2 + 0 + 1 + 2 = 5 -> 1.25
    // direction: j=2 up/up hit; j=3 up vs flat miss; j=4 flat vs down miss; j=5 flat vs up miss -> 1/4
    expect(m).toEqual({
      timeframe: "1h",
      horizon: 1,
      test_from: 2 * H,
      test_to: 5 * H,
      n: 4,
      mae: 1.25,
      naive_mae: 1.25,
      skill: 0,
      directional_accuracy: 0.25,
    });
  });

  it("horizon 2 compares with the close two periods earlier", () => {
    const predictions = [Number.NaN, Number.NaN, 102, 102, 104, 101];
    const m = pointMetrics({
      timeframe: "1h",
      horizon: 2,
      times,
      closes,
      predictions,
      testFrom: 3 * H,
      testTo: 5 * H,
    });
    // j=3: |102-103|=1, naive |101-103|=2, dir +1/+1 hit; j=4: |104-102|=2, naive |103-102|=1, +1/-1 miss
    // j=5: |101-104|=3, naive |103-104|=1, -1/+1 miss
    expect(m.n).toBe(3);
    expect(m.mae).toBeCloseTo(2, 12);
    expect(m.naive_mae).toBeCloseTo(4 / 3, 12);
    expect(m.skill).toBeCloseTo(1 - 2 / (4 / 3), 12);
    expect(m.directional_accuracy).toBeCloseTo(1 / 3, 12);
  });

  it("the naive forecast itself has skill 0, and a flat close counts as a hit only for it", () => {
    const predictions = closes.map((_, j) => (j === 0 ? Number.NaN : closes[j - 1]));
    const m = pointMetrics({
      timeframe: "1h",
      horizon: 1,
      times,
      closes,
      predictions,
      testFrom: 0,
      testTo: 5 * H,
    });
    expect(m.n).toBe(5);
    expect(m.mae).toBe(m.naive_mae);
    expect(m.skill).toBe(0);
    expect(m.directional_accuracy).toBeCloseTo(1 / 5, 12); // only j = 3 (103 -> 103) matches sign 0
  });

  it("refuses a missing prediction and an empty test window", () => {
    const predictions = [Number.NaN, Number.NaN, 102, Number.NaN, 103, 102];
    const base = { timeframe: "1h", horizon: 1, times, closes, predictions };
    expect(() => pointMetrics({ ...base, testFrom: 2 * H, testTo: 5 * H })).toThrow(/no prediction/);
    expect(() => pointMetrics({ ...base, testFrom: 9 * H, testTo: 10 * H })).toThrow(/no target/);
  });

  it("skill is null when the naive error is zero", () => {
    const flat = [5, 5, 5];
    const m = pointMetrics({
      timeframe: "1h",
      horizon: 1,
      times: [0, H, 2 * H],
      closes: flat,
      predictions: [Number.NaN, 6, 5],
      testFrom: H,
      testTo: 2 * H,
    });
    expect(m.skill).toBeNull();
    expect(m.mae).toBe(0.5);
  });
});

describe("qlikeMetrics on toy arrays", () => {
  it("uses log(h) + r^2 / h and the rolling mean of squared returns as the naive forecast", () => {
    const c = [100, 100 * Math.exp(0.01), 100 * Math.exp(0.03), 100 * Math.exp(0.02), 100 * Math.exp(0.04)];
    const t = c.map((_, i) => i * H);
    // returns in percent: r1 = 1, r2 = 2, r3 = -1, r4 = 2. Window 2, targets j = 3, 4.
    const variances = [Number.NaN, Number.NaN, Number.NaN, 2, 4];
    const q = qlikeMetrics({
      times: t,
      closes: c,
      variances,
      testFrom: 3 * H,
      testTo: 4 * H,
      horizon: 1,
      window: 2,
    });
    const naive3 = (1 + 4) / 2; // r1, r2
    const naive4 = (4 + 1) / 2; // r2, r3
    expect(q.n).toBe(2);
    expect(q.qlike).toBeCloseTo((Math.log(2) + 1 / 2 + Math.log(4) + 4 / 4) / 2, 10);
    expect(q.naive_qlike).toBeCloseTo(
      (Math.log(naive3) + 1 / naive3 + Math.log(naive4) + 4 / naive4) / 2,
      10,
    );
    expect(() =>
      qlikeMetrics({ times: t, closes: c, variances, testFrom: 2 * H, testTo: 4 * H, horizon: 1, window: 2 }),
    ).toThrow(/fewer than 2 returns/);
  });
});

describe("walk-forward metrics vs the Python recompute", () => {
  const series = fixture("btc-1h.json");
  const arima = fixture("arima.json").walk_forward;
  const garch = fixture("garch.json");

  it("splits the last 20% off as the test part", () => {
    expect(testStartIndex(series.closes.length)).toBe(arima.n_train);
  });

  it("pointMetrics on statsmodels' one-step forecasts equals numpy's numbers", () => {
    const predictions = new Float64Array(series.closes.length).fill(Number.NaN);
    arima.mean.forEach((m: number, i: number) => {
      predictions[arima.n_train + i] = Math.exp(m);
    });
    const m = pointMetrics({
      timeframe: "1h",
      horizon: 1,
      times: series.times,
      closes: series.closes,
      predictions,
      testFrom: arima.metrics.test_from,
      testTo: arima.metrics.test_to,
    });
    for (const k of ["test_from", "test_to", "n", "directional_accuracy"] as const)
      expect(m[k]).toBe(arima.metrics[k]);
    for (const k of ["mae", "naive_mae", "skill"] as const) expect(m[k]).toBeCloseTo(arima.metrics[k], 9);
  });

  it("evaluateArima with statsmodels' training parameters gives the same metrics", () => {
    const fit = { ...arima.train, logLikelihood: arima.train.llf, nobs: arima.n_train, converged: true };
    const m = evaluateArima(fit, series.times, series.closes, arima.n_train);
    expect(m.n).toBe(arima.metrics.n);
    expect(m.mae).toBeCloseTo(arima.metrics.mae, 6);
    expect(m.naive_mae).toBeCloseTo(arima.metrics.naive_mae, 9);
    expect(m.directional_accuracy).toBe(arima.metrics.directional_accuracy);
  });

  it("evaluateGarch with scipy's training parameters gives numpy's QLIKE and naive QLIKE", () => {
    const fit = { ...garch.btc_train, returns: "log_return_pct" as const, nobs: 0, converged: true };
    const m = evaluateGarch(fit, series.times, series.closes, arima.n_train);
    expect(m.n).toBe(garch.walk_forward.n);
    expect(m.qlike).toBeCloseTo(garch.walk_forward.qlike, 10);
    expect(m.naive_qlike).toBeCloseTo(garch.walk_forward.naive_qlike, 10);
    expect(m.horizon).toBe(1);
    expect(m.timeframe).toBe("1h");
  });
});
