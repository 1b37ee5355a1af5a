// The signal's confidence calibration: the logistic fit against a brute-force likelihood maximum, the
// Brier score and reliability table by hand, and the rolling (held-out) walk's lack of look-ahead.
import { describe, expect, it } from "vitest";
import {
  brierScore,
  CALIBRATION_MIN_SAMPLES,
  type CalibrationSample,
  fitCalibration,
  probabilityOf,
  reliabilityTable,
  rollingCalibration,
} from "../../core/models/calibration";

function lcg(seed: number) {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

/** Samples whose hit probability is the logistic of a + b score. */
function simulate(n: number, a: number, b: number, seed = 7): CalibrationSample[] {
  const u = lcg(seed);
  return Array.from({ length: n }, () => {
    const score = 2 * u();
    return { score, hit: u() < 1 / (1 + Math.exp(-(a + b * score))) };
  });
}

const logLik = (samples: CalibrationSample[], a: number, b: number) =>
  samples.reduce((s, x) => {
    const p = 1 / (1 + Math.exp(-(a + b * x.score)));
    return s + Math.log(x.hit ? p : 1 - p);
  }, 0);

describe("fitCalibration", () => {
  it("finds the likelihood's maximum (no grid point does better) and recovers the parameters", () => {
    const samples = simulate(4000, -0.2, 0.9);
    const fit = fitCalibration(samples);
    expect(fit).not.toBeNull();
    const best = logLik(samples, fit!.a, fit!.b);
    for (const da of [-0.01, 0, 0.01])
      for (const db of [-0.01, 0, 0.01])
        expect(logLik(samples, fit!.a + da, fit!.b + db)).toBeLessThanOrEqual(best + 1e-9);
    expect(fit!.a).toBeCloseTo(-0.2, 0);
    expect(fit!.b).toBeCloseTo(0.9, 0);
    expect(fit!.n).toBe(4000);
    expect(fit!.hits).toBe(samples.filter((s) => s.hit).length);
  });

  it("never lets leaning further lower the probability: a falling fit becomes the base rate", () => {
    const fit = fitCalibration(simulate(2000, 0.5, -0.8, 3))!;
    expect(fit.b).toBe(0);
    expect(probabilityOf(fit, 0)).toBeCloseTo((fit.hits + 1) / (fit.n + 2), 12);
    expect(probabilityOf(fit, 5)).toBe(probabilityOf(fit, 0));
  });

  it("gives no calibration below the minimum sample", () => {
    expect(fitCalibration(simulate(CALIBRATION_MIN_SAMPLES - 1, 0, 1))).toBeNull();
    expect(fitCalibration(simulate(CALIBRATION_MIN_SAMPLES, 0, 1))).not.toBeNull();
  });
});

describe("Brier score and reliability", () => {
  it("are computed as defined", () => {
    expect(brierScore([0.8, 0.3, 0.5], [true, false, false])).toBeCloseTo((0.04 + 0.09 + 0.25) / 3, 15);
    const table = reliabilityTable([0.52, 0.54, 0.61, 0.99], [true, false, true, true], 0.05);
    expect(table).toEqual([
      { from: 0.5, to: 0.55, n: 2, predicted: 0.53, observed: 0.5 },
      { from: 0.6000000000000001, to: 0.65, n: 1, predicted: 0.61, observed: 1 },
      { from: 0.9500000000000001, to: 1, n: 1, predicted: 0.99, observed: 1 },
    ]);
  });
});

describe("rollingCalibration", () => {
  it("predicts each sample from earlier ones only: later outcomes change nothing before them", () => {
    const a = simulate(600, 0, 0.8, 11);
    const b = a.map((s, i) => (i >= 400 ? { ...s, hit: !s.hit } : s));
    const ra = rollingCalibration(a).probabilities;
    const rb = rollingCalibration(b).probabilities;
    expect(ra.slice(0, 401)).toEqual(rb.slice(0, 401));
    expect(ra.slice(0, CALIBRATION_MIN_SAMPLES).every((p) => p === null)).toBe(true);
    expect(ra.slice(CALIBRATION_MIN_SAMPLES).every((p) => p !== null)).toBe(true);
  });

  it("beats the base rate on held-out samples when the lean carries information, and not otherwise", () => {
    const informative = rollingCalibration(simulate(3000, -0.3, 0.8, 5)).check!;
    expect(informative.n).toBe(3000 - CALIBRATION_MIN_SAMPLES);
    expect(informative.brier).toBeLessThan(informative.brier_base_rate);
    const noise = rollingCalibration(simulate(3000, 0, 0, 5)).check!;
    expect(noise.brier).toBeGreaterThan(noise.brier_base_rate - 0.002);
    expect(informative.reliability.reduce((s, r) => s + r.n, 0)).toBe(informative.n);
  });
});
