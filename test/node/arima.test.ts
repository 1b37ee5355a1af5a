// ARIMA against statsmodels 0.13 (test/fixtures/models/make-fixtures.py) on 3,000 real BTCUSDT 1h log closes.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type ArimaOrder, fitArima, selectArima } from "../../core/models/arima";
import { arimaParameters, arimaWalkForward, forecastArima } from "../../core/models/arima-forecast";
import { constrainStationary, kpss, unconstrainStationary } from "../../core/models/arima-init";
import { armaStateSpace, kalmanFilter } from "../../core/models/kalman";

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/models/${name}`, import.meta.url), "utf8"));
const series = fixture("btc-1h.json");
const ref = fixture("arima.json");
const y: number[] = series.closes.map(Math.log);

interface RefFit {
  order: ArimaOrder;
  trend: "c" | "t";
  const: number;
  ar: number[];
  ma: number[];
  sigma2: number;
  llf: number;
  aic: number;
  forecast_mean: number[];
  forecast_var: number[];
}
const fits: RefFit[] = ref.fits;
const refFit = (order: string) => fits.find((f) => f.order.join(",") === order)!;
const asFit = (f: RefFit) => ({ ...f, logLikelihood: f.llf, nobs: y.length, converged: true });
const relDiff = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** Exact log-likelihood at given parameters (not profiled), as statsmodels evaluates it. */
function loglikAt(f: RefFit): number {
  const w = f.order[1] === 1 ? y.slice(1).map((v, i) => v - y[i]) : y;
  const out = kalmanFilter(armaStateSpace(f.ar, f.ma), [w.map((v) => v - f.const)]);
  return -0.5 * (out.nobs * Math.log(2 * Math.PI * f.sigma2) + out.sumLogF + out.cross[0][0] / f.sigma2);
}

describe("ARIMA likelihood and fit vs statsmodels", () => {
  const orders = fits.map((f) => f.order.join(","));

  it.each(orders)("(%s) filter reproduces statsmodels' llf at its parameters", (order) => {
    const f = refFit(order);
    expect(relDiff(loglikAt(f), f.llf)).toBeLessThan(1e-8);
  });

  it.each(orders)("(%s) fitted llf within 0.5 percent of statsmodels, never below", (order) => {
    const f = refFit(order);
    const fit = fitArima(y, f.order);
    expect(relDiff(fit.logLikelihood, f.llf)).toBeLessThan(0.005);
    expect(fit.logLikelihood).toBeGreaterThan(f.llf - 1e-3);
    expect(fit.aic).toBeCloseTo(-2 * fit.logLikelihood + 2 * (f.order[0] + f.order[2] + 2), 8);
  });

  it.each(["2,1,0", "0,1,2", "0,1,0"])("(%s) parameters match statsmodels", (order) => {
    const f = refFit(order);
    const fit = fitArima(y, f.order);
    fit.ar.forEach((v, i) => {
      expect(Math.abs(v - f.ar[i])).toBeLessThan(2e-3);
    });
    fit.ma.forEach((v, i) => {
      expect(Math.abs(v - f.ma[i])).toBeLessThan(2e-3);
    });
    expect(relDiff(fit.const, f.const)).toBeLessThan(1e-2);
    expect(relDiff(fit.sigma2, f.sigma2)).toBeLessThan(1e-3);
  });

  it("ARIMA(0,1,0) with drift is the closed-form MLE: mean and variance of the differences", () => {
    const dy = y.slice(1).map((v, i) => v - y[i]);
    const mean = dy.reduce((s, v) => s + v, 0) / dy.length;
    const variance = dy.reduce((s, v) => s + (v - mean) ** 2, 0) / dy.length;
    const fit = fitArima(y, [0, 1, 0]);
    expect(relDiff(fit.const, mean)).toBeLessThan(1e-12);
    expect(relDiff(fit.sigma2, variance)).toBeLessThan(1e-12);
  });

  it("order chosen by AIC matches statsmodels' best AIC over p, q in 0..3 (d = 1 by KPSS)", () => {
    const sel = selectArima(y);
    expect(sel.fit.order).toEqual(ref.grid_best);
    expect(sel.candidates).toHaveLength(16);
    for (const c of sel.candidates) {
      const g = ref.grid.find((r: { order: number[] }) => r.order.join() === c.order.join());
      expect(c.logLikelihood).toBeGreaterThan(g.llf - 1e-3);
    }
  });
});

describe("ARIMA forecasts vs statsmodels get_forecast", () => {
  it.each(fits.map((f) => f.order.join(",")))("(%s) mean and variance at statsmodels' params", (order) => {
    const f = refFit(order);
    const fc = forecastArima(asFit(f), y, 24);
    fc.mean.forEach((m, h) => {
      expect(Math.abs(m - f.forecast_mean[h])).toBeLessThan(1e-9);
    });
    fc.variance.forEach((v, h) => {
      expect(relDiff(v, f.forecast_var[h])).toBeLessThan(1e-6);
    });
    fc.lower.forEach((l, h) => {
      expect(l).toBeCloseTo(fc.mean[h] - 1.959964 * Math.sqrt(fc.variance[h]), 12);
    });
  });

  it("own ARIMA(2,1,0) fit forecasts like statsmodels' fit", () => {
    const f = refFit("2,1,0");
    const fc = forecastArima(fitArima(y, f.order), y, 24);
    fc.mean.forEach((m, h) => {
      expect(Math.abs(m - f.forecast_mean[h])).toBeLessThan(1e-5);
    });
    fc.variance.forEach((v, h) => {
      expect(relDiff(v, f.forecast_var[h])).toBeLessThan(1e-3);
    });
  });

  it("forecasts the same from the stored parameter record", () => {
    const fit = fitArima(y, [2, 1, 0]);
    const record = arimaParameters(fit);
    expect(record.series).toBe("log_close");
    expect(forecastArima(record, y, 24)).toEqual(forecastArima(fit, y, 24));
  });

  it("walk-forward one-step forecasts equal statsmodels' apply + get_prediction", () => {
    const wf = ref.walk_forward;
    const out = arimaWalkForward(asFit(wf.train), y, wf.n_train, 1);
    expect(out.mean).toHaveLength(wf.mean.length);
    out.mean.forEach((m, i) => {
      expect(Math.abs(m - wf.mean[i])).toBeLessThan(1e-9);
    });
    out.variance.forEach((v, i) => {
      expect(relDiff(v, wf.var[i])).toBeLessThan(1e-6);
    });
  });
});

describe("ARIMA helpers vs statsmodels", () => {
  it("KPSS statistic and automatic lags", () => {
    const dy = y.slice(1).map((v, i) => v - y[i]);
    for (const [x, r] of [
      [y, ref.kpss.level],
      [dy, ref.kpss.diff],
    ] as const) {
      const k = kpss(x);
      expect(k.lags).toBe(r.lags);
      expect(relDiff(k.stat, r.stat)).toBeLessThan(1e-10);
    }
  });

  it("stationarity transform equals constrain_stationary_univariate and inverts", () => {
    for (const t of ref.transform as { unconstrained: number[]; constrained: number[] }[]) {
      const c = constrainStationary(t.unconstrained);
      c.forEach((v, i) => {
        expect(v).toBeCloseTo(t.constrained[i], 12);
      });
      unconstrainStationary(c)!.forEach((v, i) => {
        expect(v).toBeCloseTo(t.unconstrained[i], 9);
      });
    }
    expect(unconstrainStationary([1.2])).toBeNull();
  });
});
