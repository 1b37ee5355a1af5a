// A volatility model's scores: QLIKE against RiskMetrics' EWMA on the same targets, and the 24 h range's
// calibration, which may only use ranges whose close was known before the block they calibrate.
import { describe, expect, it } from "vitest";
import { qlikeVsEwma, rangeCalibration } from "../../core/models/volatility-score";

function walk(n: number, seed = 1) {
  let s = seed;
  const closes = [100];
  for (let i = 1; i < n; i++) {
    s = (s * 16807) % 2147483647;
    closes.push(closes[i - 1] * Math.exp(0.01 * (s / 2147483647 - 0.5)));
  }
  return closes;
}

describe("qlikeVsEwma", () => {
  it("is the mean of log h + r^2 / h for the model and for the 0.94 EWMA, r in percent", () => {
    const closes = walk(80);
    const r = closes.map((c, i) => (i === 0 ? Number.NaN : 100 * Math.log(c / closes[i - 1])));
    // The EWMA written out: the first 24 returns' mean square, then v = 0.94 v + 0.06 r^2.
    let v = r.slice(1, 25).reduce((a, x) => a + x * x, 0) / 24;
    const ewma = [Number.NaN];
    for (let i = 1; i < closes.length; i++) {
      v = 0.94 * v + 0.06 * r[i] ** 2;
      ewma.push(v);
    }
    const variances = closes.map(() => 0.2);
    const got = qlikeVsEwma(closes, variances, 40, 80);
    let model = 0;
    let bench = 0;
    for (let j = 40; j < 80; j++) {
      model += Math.log(0.2) + r[j] ** 2 / 0.2;
      bench += Math.log(ewma[j - 1]) + r[j] ** 2 / ewma[j - 1];
    }
    expect(got.qlike).toBeCloseTo(model / 40, 12);
    expect(got.naive_qlike).toBeCloseTo(bench / 40, 12);
    expect(got.qlike_benchmark).toBe("ewma_0.94");
    expect(got.qlike_dm_pvalue).toBeGreaterThan(0);
  });
});

describe("rangeCalibration", () => {
  it("calibrates each block on ranges already closed before it and counts its coverage", () => {
    const closes = walk(400, 3);
    const sd = closes.map(() => 0.02);
    const folds = [
      { start: 200, end: 250 },
      { start: 250, end: 300 },
      { start: 300, end: 350 },
    ];
    const r = rangeCalibration(closes, sd, folds, 24);
    // Block 1 has nothing closed before it; blocks 2 and 3 count their origins whose close 24 h later exists.
    expect(r.n).toBe(100);
    expect(r.coverage).toBeGreaterThan(0.5);
    // Ranges of zero width cover nothing, and infinitely wide ones everything.
    expect(
      rangeCalibration(
        closes,
        closes.map(() => 1e9),
        folds,
        24,
      ).coverage,
    ).toBe(1);
    // Changing closes after the last block's ranges changes nothing about the blocks' calibration.
    const later = [...closes.slice(0, 374), ...closes.slice(374).map((c) => c * 1.5)];
    expect(rangeCalibration(later, sd, folds.slice(0, 2), 24)).toEqual(
      rangeCalibration(closes, sd, folds.slice(0, 2), 24),
    );
  });
});
