// ARIMA helpers around the fit: the stationarity transform, start values, and the KPSS test for d.
import { leastSquares } from "./optimize";

/**
 * Monahan (1984) / Jones (1980) map from R^n to the coefficients of a stationary AR polynomial,
 * exactly statsmodels' `constrain_stationary_univariate` (partial autocorrelations r = x / sqrt(1 + x^2),
 * then the Durbin-Levinson recursion). MA coefficients use the negated result, as SARIMAX does.
 */
export function constrainStationary(x: readonly number[]): number[] {
  const n = x.length;
  if (n === 0) return [];
  let prev: number[] = [];
  for (let k = 0; k < n; k++) {
    const rk = x[k] / Math.sqrt(1 + x[k] * x[k]);
    const row = new Array<number>(k + 1);
    for (let i = 0; i < k; i++) row[i] = prev[i] + rk * prev[k - i - 1];
    row[k] = rk;
    prev = row;
  }
  return prev.map((v) => -v);
}

/** Inverse of constrainStationary; null when the coefficients are not stationary (|pacf| >= 1). */
export function unconstrainStationary(c: readonly number[]): number[] | null {
  const n = c.length;
  if (n === 0) return [];
  let row = c.map((v) => -v);
  const r = new Array<number>(n);
  for (let k = n - 1; k >= 0; k--) {
    r[k] = row[k];
    if (!(Math.abs(r[k]) < 1)) return null;
    const next = new Array<number>(k);
    for (let i = 0; i < k; i++) next[i] = (row[i] - row[k] * row[k - i - 1]) / (1 - row[k] * row[k]);
    row = next;
  }
  return r.map((v) => v / Math.sqrt(1 - v * v));
}

/**
 * Start values like statsmodels' SARIMAX (conditional sum of squares / Hannan-Rissanen): residuals of
 * a long AR(2q) fit stand in for the innovations, then one OLS of y on its p lags and q residual lags.
 * Non-stationary AR or non-invertible MA starts fall back to zeros, as statsmodels does.
 */
export function startValues(y: readonly number[], p: number, q: number): { ar: number[]; ma: number[] } {
  const zeros = { ar: new Array<number>(p).fill(0), ma: new Array<number>(q).fill(0) };
  const k = 2 * q;
  const r0 = Math.max(k + q, p);
  if (p + q === 0 || y.length < r0 + 2 * (p + q) + 10) return zeros;
  let resid: number[] = [];
  if (q > 0) {
    const X = [];
    for (let t = k; t < y.length; t++) X.push(Array.from({ length: k }, (_, j) => y[t - j - 1]));
    const b = leastSquares(X, y.slice(k));
    resid = X.map((row, i) => y[i + k] - row.reduce((s, v, j) => s + v * b[j], 0));
  }
  const X = [];
  for (let t = r0; t < y.length; t++) {
    const row: number[] = [];
    for (let j = 1; j <= p; j++) row.push(y[t - j]);
    for (let j = 1; j <= q; j++) row.push(resid[t - k - j]);
    X.push(row);
  }
  let b: number[];
  try {
    b = leastSquares(X, y.slice(r0));
  } catch {
    return zeros;
  }
  const ar = b.slice(0, p);
  const ma = b.slice(p);
  return {
    ar: unconstrainStationary(ar) ? ar : zeros.ar,
    ma: unconstrainStationary(ma.map((v) => -v)) ? ma : zeros.ma,
  };
}

export interface KpssResult {
  stat: number;
  lags: number;
}

/**
 * KPSS statistic for level stationarity (regression "c"), lags by Hobijn et al. (1998) as statsmodels'
 * `kpss(x, "c", nlags="auto")`. Large values reject stationarity: the series needs differencing.
 */
export function kpss(x: readonly number[]): KpssResult {
  const n = x.length;
  const mean = x.reduce((s, v) => s + v, 0) / n;
  const e = x.map((v) => v - mean);
  const lagDot = (i: number) => {
    let s = 0;
    for (let t = i; t < n; t++) s += e[t] * e[t - i];
    return s;
  };
  const covLags = Math.floor(n ** (2 / 9));
  let s0 = lagDot(0) / n;
  let s1 = 0;
  for (let i = 1; i <= covLags; i++) {
    const prod = lagDot(i) / (n / 2);
    s0 += prod;
    s1 += i * prod;
  }
  const gamma = 1.1447 * ((s1 / s0) * (s1 / s0)) ** (1 / 3);
  const lags = Math.min(Math.floor(gamma * n ** (1 / 3)), n - 1);
  let longRun = lagDot(0);
  for (let i = 1; i <= lags; i++) longRun += 2 * lagDot(i) * (1 - i / (lags + 1));
  longRun /= n;
  let cum = 0;
  let eta = 0;
  for (const v of e) {
    cum += v;
    eta += cum * cum;
  }
  return { stat: eta / (n * n) / longRun, lags };
}

/** The series differenced d times (d in {0, 1}). */
export function differenced(series: readonly number[], d: number): number[] {
  if (d === 0) return series.slice();
  if (d !== 1) throw new Error("only d = 0 or d = 1 is supported");
  return series.slice(1).map((v, i) => v - series[i]);
}
