// GARCH(1, 1) with a constant mean on percent log returns, by Gaussian MLE.
//
//   r_t = mu + e_t,   s2_t = omega + alpha * e_{t-1}^2 + beta * s2_{t-1}
//
// The variance before the first return is arch's backcast: an exponentially weighted (0.94) mean of
// the first 75 squared residuals around the sample mean, computed once from the data and kept in the
// fit, so anyone re-running the filter gets the same numbers: s2_0 = omega + (alpha + beta) * backcast.
// Constraints hold by construction: omega = exp(.), persistence alpha + beta = MAX * logistic(.) with
// MAX = GARCH_PERSISTENCE_MAX < 1, alpha = persistence * logistic(.), beta = persistence - alpha.
import {
  GARCH_BACKCAST_DECAY,
  GARCH_BACKCAST_SPAN,
  GARCH_PERSISTENCE_MAX,
  GARCH_RETURNS,
} from "./model-config";
import { minimizeBfgs } from "./optimize";

export interface GarchParams {
  mu: number;
  omega: number;
  alpha: number;
  beta: number;
}

export interface GarchFit extends GarchParams {
  returns: typeof GARCH_RETURNS;
  log_likelihood: number;
  /** Initial variance proxy (percent^2) used by the filter; part of the model's definition. */
  backcast: number;
  nobs: number;
  converged: boolean;
}

const LOG_2PI = Math.log(2 * Math.PI);
/** arch's starting grid: alpha and persistence values; the best by likelihood starts BFGS. */
const START_ALPHA = [0.01, 0.05, 0.1, 0.2];
const START_PERSISTENCE = [0.5, 0.7, 0.9, 0.98];

/** 100 * ln(close_t / close_{t-1}) for t = 1..n-1 (one fewer than the closes). */
export function logReturnsPct(closes: readonly number[]): number[] {
  return closes.slice(1).map((c, i) => 100 * Math.log(c / closes[i]));
}

export function garchBackcast(returns: readonly number[]): number {
  const mean = returns.reduce((s, v) => s + v, 0) / returns.length;
  const tau = Math.min(GARCH_BACKCAST_SPAN, returns.length);
  let num = 0;
  let den = 0;
  for (let i = 0; i < tau; i++) {
    const w = GARCH_BACKCAST_DECAY ** i;
    num += w * (returns[i] - mean) ** 2;
    den += w;
  }
  return num / den;
}

/** s2_t for t = 0..n: the variance of every return given the ones before it, plus the next one (index n). */
export function garchVariances(p: GarchParams, returns: readonly number[], backcast: number): Float64Array {
  const n = returns.length;
  const s2 = new Float64Array(n + 1);
  s2[0] = p.omega + (p.alpha + p.beta) * backcast;
  for (let t = 1; t <= n; t++) {
    const e = returns[t - 1] - p.mu;
    s2[t] = p.omega + p.alpha * e * e + p.beta * s2[t - 1];
  }
  return s2;
}

export function garchLoglik(p: GarchParams, returns: readonly number[], backcast: number): number {
  let s2 = p.omega + (p.alpha + p.beta) * backcast;
  let sum = 0;
  for (let t = 0; t < returns.length; t++) {
    const e = returns[t] - p.mu;
    sum += Math.log(s2) + (e * e) / s2;
    s2 = p.omega + p.alpha * e * e + p.beta * s2;
  }
  return -0.5 * (returns.length * LOG_2PI + sum);
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const logit = (p: number) => Math.log(p / (1 - p));

function unpack(x: readonly number[]): GarchParams {
  const persistence = GARCH_PERSISTENCE_MAX * logistic(x[2]);
  const alpha = persistence * logistic(x[3]);
  return { mu: x[0], omega: Math.exp(x[1]), alpha, beta: persistence - alpha };
}

function pack(p: GarchParams): number[] {
  const persistence = p.alpha + p.beta;
  return [p.mu, Math.log(p.omega), logit(persistence / GARCH_PERSISTENCE_MAX), logit(p.alpha / persistence)];
}

/**
 * Gradient of the log-likelihood in the optimiser's coordinates [mu, ln omega, u, v], from the
 * derivative recursions d s2_t = d omega + e_{t-1}^2 d alpha + s2_{t-1} d beta - 2 alpha e_{t-1} d mu
 * + beta d s2_{t-1}, chained through the transforms of unpack().
 */
export function garchGradient(x: readonly number[], returns: readonly number[], backcast: number): number[] {
  const { mu, omega, alpha, beta } = unpack(x);
  // Derivatives of s2 with respect to mu, omega, alpha, beta; s2_0 = omega + (alpha + beta) * backcast.
  let s2 = omega + (alpha + beta) * backcast;
  let dMu = 0;
  let dOm = 1;
  let dAl = backcast;
  let dBe = backcast;
  let gMu = 0;
  let gOm = 0;
  let gAl = 0;
  let gBe = 0;
  for (let t = 0; t < returns.length; t++) {
    const e = returns[t] - mu;
    const e2 = e * e;
    const w = -0.5 * (1 / s2 - e2 / (s2 * s2));
    gMu += w * dMu + e / s2;
    gOm += w * dOm;
    gAl += w * dAl;
    gBe += w * dBe;
    dMu = -2 * alpha * e + beta * dMu;
    dOm = 1 + beta * dOm;
    dAl = e2 + beta * dAl;
    dBe = s2 + beta * dBe;
    s2 = omega + alpha * e2 + beta * s2;
  }
  const persistence = alpha + beta;
  const su = logistic(x[2]);
  const sv = logistic(x[3]);
  const dU = persistence * (1 - su);
  const dV = persistence * sv * (1 - sv);
  return [gMu, gOm * omega, gAl * dU * sv + gBe * dU * (1 - sv), (gAl - gBe) * dV];
}

export function fitGarch(returns: readonly number[]): GarchFit {
  const n = returns.length;
  if (n < 50) throw new Error(`too few returns (${n}) for GARCH(1, 1)`);
  const mean = returns.reduce((s, v) => s + v, 0) / n;
  const variance = returns.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  if (!(variance > 0)) throw new Error("returns have no variance");
  const backcast = garchBackcast(returns);
  let start: GarchParams | null = null;
  let startLl = Number.NEGATIVE_INFINITY;
  for (const alpha of START_ALPHA) {
    for (const persistence of START_PERSISTENCE) {
      if (alpha >= persistence) continue;
      const p = { mu: mean, omega: variance * (1 - persistence), alpha, beta: persistence - alpha };
      const ll = garchLoglik(p, returns, backcast);
      if (ll > startLl) {
        startLl = ll;
        start = p;
      }
    }
  }
  const result = minimizeBfgs((x) => -garchLoglik(unpack(x), returns, backcast) / n, pack(start!), {
    maxIter: 300,
    gradient: (x) => garchGradient(x, returns, backcast).map((g) => -g / n),
  });
  const params = unpack(result.x);
  return {
    returns: GARCH_RETURNS,
    ...params,
    log_likelihood: garchLoglik(params, returns, backcast),
    backcast,
    nobs: n,
    converged: result.converged,
  };
}

/** What filtering needs: a fit, or the stored parameter record (then the backcast is recomputed). */
export type GarchModel = GarchParams & { backcast?: number };

/**
 * Variance (percent^2) of each of the next `steps` returns after `returns`, filtered with the fit's
 * parameters and backcast: s2_{n+1} from the last return, then omega + (alpha + beta) * s2_{n+h-1}.
 * Without a stored backcast it is recomputed from `returns`; its weight fades as beta^t.
 */
export function forecastGarch(fit: GarchModel, returns: readonly number[], steps: number): number[] {
  const s2 = garchVariances(fit, returns, fit.backcast ?? garchBackcast(returns));
  const path = [s2[returns.length]];
  for (let h = 1; h < steps; h++) path.push(fit.omega + (fit.alpha + fit.beta) * path[h - 1]);
  return path;
}

/** The parameter record of DESIGN.md "Models". */
export function garchParameters(fit: GarchFit) {
  const { returns, mu, omega, alpha, beta, log_likelihood } = fit;
  return { returns, mu, omega, alpha, beta, log_likelihood };
}
