// The rolling-origin evaluation: Diebold-Mariano and the conformal quantile against numpy/scipy
// (test/fixtures/models/make-dm-fixture.py), coverage counted on a series of known variance, fits that
// never see their test block, and no look-ahead: changing every candle after hour T changes nothing
// forecast or scored before it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Candle } from "../../core/candles/types";
import { conformalQuantile, dieboldMariano } from "../../core/models/diebold-mariano";
import type { ModelKind } from "../../core/models/kinds/types";
import { INTERVAL_Z } from "../../core/models/model-config";
import { mulberry32 } from "../../core/models/net-train";
import { MODEL_KINDS } from "../../core/models/registry";
import { foldPlan, rollingEvaluation, scoreFolds } from "../../core/models/rolling";

const HOUR = 3600;
const fixture = JSON.parse(readFileSync(new URL("../fixtures/models/dm.json", import.meta.url), "utf8"));

/** Hourly candles with iid N(drift, sd^2) log returns (sd may vary by index). */
function gaussCandles(n: number, sd: (i: number) => number, seed: number, drift = 0): Candle[] {
  const random = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  let close = 100;
  return Array.from({ length: n }, (_, i) => {
    const open = close;
    if (i > 0) close = open * Math.exp(drift + sd(i) * gauss());
    return {
      time: 1_700_000_000 + i * HOUR,
      open,
      high: Math.max(open, close),
      low: Math.min(open, close),
      close,
      volume: 1,
    };
  });
}

describe("dieboldMariano", () => {
  for (const c of fixture.cases) {
    it(`matches numpy/scipy: ${c.name}`, () => {
      const r = dieboldMariano(c.model_loss, c.bench_loss, c.lags ?? undefined);
      expect(r).not.toBeNull();
      expect(r?.n).toBe(c.expected.n);
      expect(r?.lags).toBe(c.expected.lags);
      expect(r?.mean).toBeCloseTo(c.expected.mean, 12);
      expect(r?.statistic).toBeCloseTo(c.expected.statistic, 9);
      expect(Math.abs((r?.p_value ?? -1) - c.expected.p_value)).toBeLessThan(2e-7);
    });
  }

  it("is null for too few pairs or a constant differential, and refuses unequal lengths", () => {
    expect(dieboldMariano([1, 2, 3], [1, 2, 3])).toBeNull();
    expect(dieboldMariano(new Array(20).fill(1), new Array(20).fill(2))).toBeNull();
    expect(() => dieboldMariano([1], [1, 2])).toThrow(/length/);
  });
});

describe("conformalQuantile", () => {
  it("is the ceil((n + 1) level)-th smallest score, as numpy sorts it", () => {
    for (const q of fixture.conformal.quantiles)
      expect(conformalQuantile(fixture.conformal.scores, q.level)).toBe(q.expected);
    expect(conformalQuantile([1, 2, 3], 0.95)).toBe(Number.POSITIVE_INFINITY); // rank 4 of 3
  });
});

/** A kind that knows the truth: mean 0 and the true sd; it records what each fit saw. */
function oracle(sd: (i: number) => number, seen: number[]): ModelKind<null> {
  return {
    label: "oracle",
    direction: true,
    volatility: false,
    tfjs: false,
    folds: 6,
    fit: async (candles) => {
      seen.push(candles.length);
      return null;
    },
    parameters: () => ({}),
    encode: async () => new Uint8Array(),
    decode: async () => ({ model: null, bandZ: INTERVAL_Z }),
    dispose() {},
    oneStep(_, candles, first) {
      const mean = new Float64Array(candles.length).fill(Number.NaN);
      const sigma = new Float64Array(candles.length).fill(Number.NaN);
      for (let i = first; i < candles.length - 1; i++) {
        mean[i] = 0;
        sigma[i] = sd(i + 1);
      }
      return { mean, sigma };
    },
    forecast: () => ({ forecast: [], expectedReturn: 0, sigma: 0 }),
  };
}

describe("rolling evaluation", () => {
  it("cuts the last 36% into equal blocks and fits each fold only on the candles before its block", async () => {
    expect(foldPlan(1000, 6).map((f) => [f.start, f.end])).toEqual([
      [640, 700],
      [700, 760],
      [760, 820],
      [820, 880],
      [880, 940],
      [940, 1000],
    ]);
    expect(foldPlan(1000, 3).map((f) => [f.start, f.end])).toEqual([
      [640, 760],
      [760, 880],
      [880, 1000],
    ]);
    expect(() => foldPlan(1000, 4)).toThrow(/divide/);
    expect(() => foldPlan(300, 6)).toThrow(/too few/);
    const seen: number[] = [];
    const candles = gaussCandles(1000, () => 0.01, 1);
    const r = await rollingEvaluation(
      oracle(() => 0.01, seen),
      candles,
      async () => {},
    );
    expect(seen).toEqual([640, 700, 760, 820, 880, 940]);
    expect(r.metrics.folds.map((f) => [f.test_from, f.trained_to])).toEqual(
      [640, 700, 760, 820, 880, 940].map((s) => [candles[s].time, candles[s - 1].time]),
    );
    expect(r.metrics.n).toBe(360);
  });

  it("counts coverage exactly, and the true sd covers ~95% with the normal and the calibrated band", async () => {
    // Variance that changes regime: a band from the true sd is still exact; 6,000 hours.
    const sd = (i: number) => (Math.floor(i / 700) % 2 ? 0.02 : 0.005);
    const candles = gaussCandles(6000, sd, 7);
    const r = await rollingEvaluation(oracle(sd, []), candles, async () => {});
    const folds = foldPlan(candles.length, 6);
    const u = (j: number) => Math.abs(Math.log(candles[j].close / candles[j - 1].close)) / sd(j);
    let normal = 0;
    let n = 0;
    const earlier: number[] = [];
    folds.forEach(({ start, end }, f) => {
      const z = f === 0 ? INTERVAL_Z : conformalQuantile(earlier, 0.95);
      let inside = 0;
      for (let j = start; j < end; j++) {
        if (u(j) <= z) inside++;
        if (u(j) <= INTERVAL_Z) normal++;
        n++;
      }
      expect(r.metrics.folds[f].band_z).toBe(z);
      expect(r.metrics.folds[f].coverage_95).toBe(inside / (end - start));
      for (let j = start; j < end; j++) earlier.push(u(j));
    });
    expect(r.metrics.coverage_95_normal).toBe(normal / n);
    expect(r.metrics.coverage_95_last).toBe(r.metrics.folds[5].coverage_95);
    // 2,160 pooled targets: the binomial sd of a 95% coverage is 0.47 points.
    expect(Math.abs((r.metrics.coverage_95_normal as number) - 0.95)).toBeLessThan(0.015);
    expect(Math.abs((r.metrics.coverage_95 as number) - 0.95)).toBeLessThan(0.015);
    // The oracle's mean is the random walk's forecast: zero skill, no significance.
    expect(r.metrics.skill).toBeCloseTo(0, 12);
  });

  it("scores a model that knows the drift better than the random walk, significantly", () => {
    const candles = gaussCandles(3000, () => 0.002, 3, 0.001);
    const folds = foldPlan(candles.length, 6);
    const mean = new Float64Array(candles.length).fill(0.001);
    const sigma = new Float64Array(candles.length).fill(0.002);
    const r = scoreFolds(candles, folds, { mean, sigma }, false);
    expect(r.metrics.skill).toBeGreaterThan(0);
    expect(r.metrics.dm_pvalue).toBeLessThan(0.01);
  });

  it.each(["arima", "garch"] as const)(
    "%s: no look-ahead: candles after hour T change nothing before T",
    async (type) => {
      const kind = MODEL_KINDS[type];
      const a = gaussCandles(900, (i) => 0.004 + 0.003 * Math.sin(i / 50), 11);
      const T = foldPlan(a.length, kind.folds)[3].start; // three folds score before T, three after
      const b = a.map((c, i) => (i <= T ? c : { ...c, close: c.close * (1 + 0.05 * Math.sin(i)) }));
      const [ra, rb] = await Promise.all([
        rollingEvaluation(kind, a, async () => {}),
        rollingEvaluation(kind, b, async () => {}),
      ]);
      for (let i = 0; i < T; i++) {
        expect(rb.oos.mean[i]).toBe(ra.oos.mean[i]);
        expect(rb.oos.sigma[i]).toBe(ra.oos.sigma[i]);
      }
      expect(rb.metrics.folds.slice(0, 3)).toEqual(ra.metrics.folds.slice(0, 3));
      expect(rb.metrics.folds[3]).not.toEqual(ra.metrics.folds[3]);
    },
  );
});
