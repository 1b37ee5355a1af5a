// GARCH(1,1) against an independent scipy MLE (test/fixtures/models/garch_scipy.py) on real BTCUSDT 1h returns.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  fitGarch,
  forecastGarch,
  garchBackcast,
  garchGradient,
  garchLoglik,
  garchParameters,
  garchVariances,
  logReturnsPct,
} from "../../core/models/garch";
import { GARCH_PERSISTENCE_MAX } from "../../core/models/model-config";
import { numericGradient } from "../../core/models/optimize";

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/models/${name}`, import.meta.url), "utf8"));
const closes: number[] = fixture("btc-1h.json").closes;
const ref = fixture("garch.json");
const returns = logReturnsPct(closes);
const relDiff = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("GARCH(1,1) vs the scipy MLE", () => {
  const cases = [
    ["BTCUSDT 1h, 2,999 returns", returns, ref.btc],
    ["BTCUSDT 1h, training part", returns.slice(0, ref.walk_forward.n_train_returns), ref.btc_train],
    ["variance level shift (pushes alpha + beta to 1)", ref.level_shift.returns, ref.level_shift.fit],
  ] as const;

  it.each(cases)("%s: log-likelihood and parameters", (_, data, r) => {
    const fit = fitGarch(data);
    expect(relDiff(fit.log_likelihood, r.log_likelihood)).toBeLessThan(0.005);
    expect(Math.abs(fit.log_likelihood - r.log_likelihood)).toBeLessThan(1e-4);
    expect(relDiff(fit.backcast, r.backcast)).toBeLessThan(1e-12);
    for (const k of ["mu", "omega", "alpha", "beta"] as const)
      expect(relDiff(fit[k], r[k])).toBeLessThan(1e-3);
    expect(fit.returns).toBe("log_return_pct");
  });

  it.each(cases)("%s: our likelihood at scipy's parameters equals scipy's", (_, data, r) => {
    expect(relDiff(garchLoglik(r, data, garchBackcast(data)), r.log_likelihood)).toBeLessThan(1e-12);
  });

  it("keeps alpha + beta below 1 when the data push persistence to 1", () => {
    const fit = fitGarch(ref.level_shift.returns);
    expect(fit.alpha + fit.beta).toBeLessThan(1);
    expect(fit.alpha + fit.beta).toBeLessThanOrEqual(GARCH_PERSISTENCE_MAX);
    expect(fit.alpha + fit.beta).toBeGreaterThan(0.9999);
    expect(fit.alpha).toBeGreaterThan(0);
    expect(fit.beta).toBeGreaterThan(0);
    // Still mean-reverting: the forecast converges to omega / (1 - alpha - beta), never explodes.
    const path = forecastGarch(fit, ref.level_shift.returns, 24);
    expect(path.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
  });

  it("variance forecast path equals the reference recursion", () => {
    const fit = { ...ref.btc, returns: "log_return_pct" as const, nobs: returns.length, converged: true };
    const path = forecastGarch(fit, returns, 24);
    path.forEach((v, h) => {
      expect(relDiff(v, ref.btc.forecast_var[h])).toBeLessThan(1e-12);
    });
  });

  it("walk-forward variances with fixed training parameters equal scipy's filter", () => {
    const p = ref.btc_train;
    const s2 = garchVariances(p, returns, p.backcast);
    const off = ref.walk_forward.n_train_returns;
    ref.walk_forward.var_head.forEach((v: number, i: number) => {
      expect(relDiff(s2[off + i], v)).toBeLessThan(1e-12);
    });
  });

  it("analytic gradient equals central differences of the likelihood", () => {
    const bc = garchBackcast(returns);
    const logistic = (v: number) => 1 / (1 + Math.exp(-v));
    const at = (x: number[]) => {
      const persistence = GARCH_PERSISTENCE_MAX * logistic(x[2]);
      const alpha = persistence * logistic(x[3]);
      return { mu: x[0], omega: Math.exp(x[1]), alpha, beta: persistence - alpha };
    };
    for (const x of [
      [0.02, Math.log(0.03), 1.5, -1.2],
      [-0.1, Math.log(0.2), 4, 0.3],
    ]) {
      const analytic = garchGradient(x, returns, bc);
      const numeric = numericGradient((z) => garchLoglik(at(z), returns, bc), x);
      analytic.forEach((g, i) => {
        expect(Math.abs(g - numeric[i])).toBeLessThan(1e-5 * (1 + Math.abs(numeric[i])));
      });
    }
  });

  it("forecasts from the stored parameter record alone (backcast recomputed)", () => {
    const fit = fitGarch(returns);
    const record = garchParameters(fit);
    expect(Object.keys(record).sort()).toEqual(["alpha", "beta", "log_likelihood", "mu", "omega", "returns"]);
    const a = forecastGarch(fit, returns, 24);
    const b = forecastGarch(record, returns, 24);
    b.forEach((v, h) => {
      expect(relDiff(v, a[h])).toBeLessThan(1e-9);
    });
  });
});
