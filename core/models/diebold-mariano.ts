// The Diebold-Mariano test (Diebold & Mariano 1995) of "the model's expected loss is lower than the
// benchmark's", with a Newey-West (Bartlett kernel) HAC variance of the loss differential, and the
// split-conformal quantile used to calibrate forecast bands.

/** Bartlett lags of the HAC variance: floor(n^(1/3)), at least horizon - 1 (0 for one-step forecasts). */
export const dmLags = (n: number, horizon = 1) => Math.max(horizon - 1, Math.floor(Math.cbrt(n)));

export interface DmResult {
  n: number;
  /** Mean of d_t = loss(model)_t - loss(benchmark)_t: negative when the model does better. */
  mean: number;
  lags: number;
  statistic: number;
  /** One-sided p-value of H1 "E[d] < 0" under the asymptotic normal law: Phi(statistic). */
  p_value: number;
}

/**
 * d_t = modelLoss[t] - benchLoss[t]; V = g0 + 2 sum_{k=1..L} (1 - k/(L+1)) g_k with
 * g_k = (1/n) sum_{t=k}^{n-1} (d_t - dbar)(d_{t-k} - dbar); statistic = dbar / sqrt(V / n).
 * Null when fewer than 10 pairs or the differential has no variance.
 */
export function dieboldMariano(
  modelLoss: ArrayLike<number>,
  benchLoss: ArrayLike<number>,
  lags?: number,
): DmResult | null {
  const n = modelLoss.length;
  if (n !== benchLoss.length) throw new Error("loss series differ in length");
  if (n < 10) return null;
  const d = new Float64Array(n);
  let mean = 0;
  for (let t = 0; t < n; t++) {
    d[t] = modelLoss[t] - benchLoss[t];
    mean += d[t];
  }
  mean /= n;
  const L = Math.min(n - 1, lags ?? dmLags(n));
  let v = 0;
  for (let k = 0; k <= L; k++) {
    let g = 0;
    for (let t = k; t < n; t++) g += (d[t] - mean) * (d[t - k] - mean);
    g /= n;
    v += k === 0 ? g : 2 * (1 - k / (L + 1)) * g;
  }
  if (!(v > 0)) return null;
  const statistic = mean / Math.sqrt(v / n);
  return { n, mean, lags: L, statistic, p_value: normalCdf(statistic) };
}

/** Standard normal CDF via erfc (Numerical Recipes' Chebyshev fit, |relative error| < 1.2e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
}

/**
 * Split-conformal quantile of calibration scores for coverage `level`: the ceil((n + 1) level)-th
 * smallest score (Infinity when that rank exceeds n). A new exchangeable score falls at or below it
 * with probability >= level.
 */
export function conformalQuantile(scores: readonly number[], level = 0.95): number {
  const sorted = scores.filter(Number.isFinite).sort((a, b) => a - b);
  const rank = Math.ceil((sorted.length + 1) * level);
  return rank > sorted.length ? Number.POSITIVE_INFINITY : sorted[rank - 1];
}
