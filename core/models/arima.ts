// ARIMA(p, d, q) for d in {0, 1} by exact Gaussian MLE (Kalman filter), order chosen by AIC.
//
// Model, as statsmodels' `ARIMA(y, order, trend)` writes it: y_t = beta * x_t + w_t, where w is
// ARIMA(p, d, q). Trend "c" (x_t = 1, allowed for d = 0) makes beta the mean of y; trend "t"
// (x_t = t, for d = 1) makes beta the drift, the mean of the differences; "n" has no trend.
// For d = 1 we filter the differenced series exactly: that is statsmodels' likelihood, which
// initialises the level approximately diffusely (variance 1e6) and burns the first observation;
// the two agree to ~1e-9 relative on real data. Stationarity and invertibility
// hold by construction (the PACF transform), the mean/drift and sigma2 are profiled out (GLS and
// closed form), so the optimiser (BFGS) only sees the p + q ARMA coefficients.
import {
  constrainStationary,
  differenced,
  type KpssResult,
  kpss,
  startValues,
  unconstrainStationary,
} from "./arima-init";
import { armaStateSpace, profileLoglik } from "./kalman";
import { ARIMA_GRID, KPSS_CRITICAL_5PCT } from "./model-config";
import { minimizeBfgs } from "./optimize";

export type ArimaOrder = [p: number, d: number, q: number];
export type ArimaTrend = "n" | "c" | "t";

export interface ArimaFit {
  order: ArimaOrder;
  trend: ArimaTrend;
  ar: number[];
  ma: number[];
  /** Mean of the series (trend "c"), drift per period (trend "t"), or 0 (trend "n"). */
  const: number;
  sigma2: number;
  logLikelihood: number;
  /** -2 loglik + 2 k, k = p + q + (trend ? 1 : 0) + 1 (sigma2): statsmodels' count. */
  aic: number;
  /** Length of the series fitted (statsmodels' nobs); the likelihood covers its last nobs - d values. */
  nobs: number;
  converged: boolean;
}

export interface ArimaFitOptions {
  trend?: ArimaTrend;
  maxIter?: number;
  /** Start coefficients to try besides Hannan-Rissanen and zeros (stationary, invertible); best wins. */
  extraStarts?: { ar: number[]; ma: number[] }[];
}

/**
 * Our default trend: a constant (the mean) without differencing, as statsmodels; with d = 1 a drift
 * (trend "t"), where statsmodels defaults to none: log prices trend, and the drift is estimated (it is
 * about 1e-4 per hour on BTCUSDT, small beside the 24-step interval) rather than assumed zero.
 */
export function defaultTrend(d: number): ArimaTrend {
  return d === 0 ? "c" : "t";
}

/** Loose stopping rule for the first pass from each start (per-observation objective). */
const SCOUT_TOL = { fTol: 1e-10, gradTol: 1e-6 };

const isZero = (s: { ar: number[]; ma: number[] }) => [...s.ar, ...s.ma].every((v) => v === 0);

export function fitArima(series: readonly number[], order: ArimaOrder, opts: ArimaFitOptions = {}): ArimaFit {
  const [p, d, q] = order;
  const trend = opts.trend ?? defaultTrend(d);
  if (d === 1 && trend === "c") throw new Error('a constant is differenced away when d = 1: use trend "t"');
  if (d === 0 && trend === "t") throw new Error('trend "t" is for d = 1 (drift); use "c" when d = 0');
  const w = differenced(series, d);
  if (w.length < p + q + 10) throw new Error(`too few observations (${series.length}) for ARIMA${order}`);
  const withConstant = trend !== "n";
  const ybar = withConstant ? w.reduce((s, v) => s + v, 0) / w.length : 0;
  const yArr = Float64Array.from(w);
  const unpack = (x: readonly number[]) => ({
    ar: constrainStationary(x.slice(0, p)),
    ma: constrainStationary(x.slice(p)).map((v) => -v),
  });
  const profile = (x: readonly number[]) => {
    const { ar, ma } = unpack(x);
    return profileLoglik(armaStateSpace(ar, ma), yArr, withConstant);
  };
  // Near-cancelling AR and MA roots make these likelihoods multimodal: BFGS runs from the
  // Hannan-Rissanen start (as statsmodels) and from zeros, and keeps the higher maximum.
  const hr = startValues(
    w.map((v) => v - ybar),
    p,
    q,
  );
  const zeros = { ar: new Array<number>(p).fill(0), ma: new Array<number>(q).fill(0) };
  const starts = [hr, ...(isZero(hr) ? [] : [zeros]), ...(opts.extraStarts ?? [])];
  let x: number[] = [];
  let bestF = Number.POSITIVE_INFINITY;
  let converged = true;
  const n = w.length;
  const objective = (z: number[]) => {
    try {
      return -profile(z).loglik / n;
    } catch {
      return Number.NaN;
    }
  };
  for (const start of p + q > 0 ? starts : []) {
    const x0 = [
      ...(unconstrainStationary(start.ar) ?? []),
      ...(unconstrainStationary(start.ma.map((v) => -v)) ?? []),
    ];
    if (x0.length !== p + q || !Number.isFinite(objective(x0))) continue;
    const result = minimizeBfgs(objective, x0, { maxIter: opts.maxIter ?? 200, ...SCOUT_TOL });
    if (result.f < bestF) {
      bestF = result.f;
      x = result.x;
    }
  }
  if (x.length !== p + q) throw new Error(`no start value of ARIMA${order} could be evaluated`);
  if (p + q > 0) {
    // Only the winning start is polished to full precision.
    const polished = minimizeBfgs(objective, x, { maxIter: opts.maxIter ?? 200 });
    x = polished.x;
    converged = polished.converged;
  }
  const best = profile(x);
  const { ar, ma } = unpack(x);
  const k = p + q + (withConstant ? 1 : 0) + 1;
  return {
    order: [p, d, q],
    trend,
    ar,
    ma,
    const: best.beta,
    sigma2: best.sigma2,
    logLikelihood: best.loglik,
    aic: -2 * best.loglik + 2 * k,
    nobs: series.length,
    converged,
  };
}

export interface ArimaGrid {
  p: readonly number[];
  d: readonly number[];
  q: readonly number[];
}

export interface ArimaSelection {
  fit: ArimaFit;
  /** KPSS on the level; d = 0 only when it is allowed and the test does not reject stationarity. */
  kpss: KpssResult;
  candidates: { order: ArimaOrder; aic: number; logLikelihood: number }[];
}

/**
 * Chooses d by the KPSS test (likelihoods of differenced and undifferenced data are of different data,
 * so AIC cannot compare them), then (p, q) by AIC among the grid. Each order is fitted from the
 * usual starts and from its best nested neighbour ((p-1, q) or (p, q-1) with a zero added), so a
 * larger model never scores below a model it contains. Orders whose fit fails are skipped.
 */
export function selectArima(series: readonly number[], grid: ArimaGrid = ARIMA_GRID): ArimaSelection {
  const test = kpss(series);
  const d = grid.d.includes(0) && (test.stat < KPSS_CRITICAL_5PCT || !grid.d.includes(1)) ? 0 : 1;
  if (!grid.d.includes(d)) throw new Error("the grid allows neither d = 0 nor d = 1");
  const candidates: ArimaSelection["candidates"] = [];
  const fits = new Map<string, ArimaFit>();
  let best: ArimaFit | null = null;
  for (const p of grid.p) {
    for (const q of grid.q) {
      const fit = fitNested(series, [p, d, q], fits);
      if (!fit) continue;
      fits.set(`${p},${q}`, fit);
      candidates.push({ order: fit.order, aic: fit.aic, logLikelihood: fit.logLikelihood });
      if (!best || fit.aic < best.aic) best = fit;
    }
  }
  if (!best) throw new Error("no ARIMA order could be fitted");
  return { fit: best, kpss: test, candidates };
}

function fitNested(
  series: readonly number[],
  order: ArimaOrder,
  fits: Map<string, ArimaFit>,
): ArimaFit | null {
  const [p, , q] = order;
  const nested = [fits.get(`${p - 1},${q}`), fits.get(`${p},${q - 1}`)]
    .filter((f): f is ArimaFit => f !== undefined)
    .sort((a, b) => b.logLikelihood - a.logLikelihood)[0];
  const extraStarts = nested
    ? [
        {
          ar: [...nested.ar, ...new Array<number>(p - nested.ar.length).fill(0)],
          ma: [...nested.ma, ...new Array<number>(q - nested.ma.length).fill(0)],
        },
      ]
    : [];
  try {
    return fitArima(series, order, { extraStarts });
  } catch {
    return null;
  }
}
