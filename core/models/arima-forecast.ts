// ARIMA forecasts from a fit: the 24-step path with its interval, and the walk-forward used by evaluate.
import type { ArimaFit } from "./arima";
import { differenced } from "./arima-init";
import { type ArmaStateSpace, armaStateSpace, kalmanFilter } from "./kalman";
import { ARIMA_SERIES, INTERVAL_Z } from "./model-config";

/** What forecasting needs: a fit, or the stored parameter record of DESIGN.md. */
export type ArimaModel = Pick<ArimaFit, "order" | "ar" | "ma" | "const" | "sigma2">;

export interface ArimaForecast {
  mean: number[];
  variance: number[];
  lower: number[];
  upper: number[];
}

/** Runs the fitted model's filter over `history` (the same kind of series it was fitted on). */
function filterHistory(
  fit: ArimaModel,
  history: readonly number[],
  visit?: Parameters<typeof kalmanFilter>[2],
) {
  const w = differenced(history, fit.order[1]).map((v) => v - fit.const);
  const ss = armaStateSpace(fit.ar, fit.ma);
  return { ss, out: kalmanFilter(ss, [w], visit) };
}

function toForecast(fit: ArimaModel, last: number, mean: number[], unitVar: number[]): ArimaForecast {
  const integrated = fit.order[1] === 1;
  const m = mean.map((v, h) => (integrated ? last + fit.const * (h + 1) + v : fit.const + v));
  const variance = unitVar.map((v) => v * fit.sigma2);
  const half = variance.map((v) => INTERVAL_Z * Math.sqrt(v));
  return { mean: m, variance, lower: m.map((v, i) => v - half[i]), upper: m.map((v, i) => v + half[i]) };
}

/** Mean, variance and 95% bounds of the next `steps` values after `history`, in the series' units (log). */
export function forecastArima(fit: ArimaModel, history: readonly number[], steps: number): ArimaForecast {
  const { ss, out } = filterHistory(fit, history);
  const f = forecastState(ss, out.a[0], out.P, steps, fit.order[1] === 1);
  return toForecast(fit, history[history.length - 1], f.mean, f.variance);
}

/**
 * Walk-forward without refitting: for every target index j >= testStart, the forecast of series[j]
 * made at j - horizon from the filter that has seen series[0..j - horizon] (the actual values).
 */
export function arimaWalkForward(
  fit: ArimaModel,
  series: readonly number[],
  testStart: number,
  horizon: number,
): { mean: number[]; variance: number[] } {
  if (testStart - horizon < 1)
    throw new Error("the first forecast origin must leave at least one observation");
  const d = fit.order[1];
  const mean: number[] = [];
  const variance: number[] = [];
  const integrated = d === 1;
  const ss = armaStateSpace(fit.ar, fit.ma);
  filterHistory(fit, series, (t, a, P) => {
    const origin = t + d; // the series index just observed
    if (origin + horizon < testStart || origin + horizon >= series.length) return;
    const f = forecastState(ss, a, P, horizon, integrated);
    const out = toForecast(fit, series[origin], f.mean, f.variance);
    mean.push(out.mean[horizon - 1]);
    variance.push(out.variance[horizon - 1]);
  });
  return { mean, variance };
}

/** The parameter record of DESIGN.md "Models" for a fit on the log close. */
export function arimaParameters(fit: ArimaFit) {
  return {
    order: fit.order,
    series: ARIMA_SERIES,
    ar: fit.ar,
    ma: fit.ma,
    const: fit.const,
    sigma2: fit.sigma2,
    log_likelihood: fit.logLikelihood,
    aic: fit.aic,
  };
}

/**
 * Forecasts `steps` periods from a predicted state (a, P) for the first of them. With `integrate`, the
 * output is the cumulative sum of the ARMA values (the d = 1 level path, relative to the last level),
 * through the augmented state [running sum, state]. Variances are for unit innovation variance.
 */
function forecastState(
  ss: ArmaStateSpace,
  a: Float64Array,
  P: Float64Array,
  steps: number,
  integrate: boolean,
): { mean: number[]; variance: number[] } {
  const { r, phi, R } = ss;
  const k = r + 1;
  // Augmented transition A = [[1, Z T], [0, T]] and noise loading G = [1; R] (Z R = 1).
  const A = (i: number, j: number): number => {
    if (i === 0) return j === 0 ? 1 : j === 1 ? phi[0] : j === 2 && r > 1 ? 1 : 0;
    const si = i - 1;
    const sj = j - 1;
    if (sj < 0) return 0;
    return sj === 0 ? phi[si] : sj === si + 1 ? 1 : 0;
  };
  const G = Float64Array.from({ length: k }, (_, i) => (i === 0 ? 1 : R[i - 1]));
  let s = Float64Array.from({ length: k }, (_, i) => (i === 0 ? a[0] : a[i - 1]));
  let S = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) S[i * k + j] = P[(i === 0 ? 0 : i - 1) * r + (j === 0 ? 0 : j - 1)];
  }
  const mean: number[] = [];
  const variance: number[] = [];
  for (let h = 0; h < steps; h++) {
    mean.push(integrate ? s[0] : s[1]);
    variance.push(integrate ? S[0] : S[k + 1]);
    const s2 = new Float64Array(k);
    const AS = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const aij = A(i, j);
        if (aij === 0) continue;
        s2[i] += aij * s[j];
        for (let l = 0; l < k; l++) AS[i * k + l] += aij * S[j * k + l];
      }
    }
    const S2 = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let acc = G[i] * G[j];
        for (let l = 0; l < k; l++) acc += AS[i * k + l] * A(j, l);
        S2[i * k + j] = acc;
      }
    }
    s = s2;
    S = S2;
  }
  return { mean, variance };
}
