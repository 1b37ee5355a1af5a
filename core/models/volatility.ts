// The price models' one-step volatility: RiskMetrics' exponentially weighted variance of hourly log
// returns. ARIMA's own variance and the nets' validation residual sd are constants, so a band built on
// them is too wide in calm weeks and too narrow in wild ones; scaled by this running volatility (and
// its multiplier calibrated by split conformal in rolling.ts) the band follows the market's regime.

/** RiskMetrics (J.P. Morgan 1996) decay for daily data; hourly returns cluster at least as strongly. */
export const EWMA_DECAY = 0.94;
/** The variance starts as the mean squared return of the first returns (at most this many). */
const EWMA_WARMUP = 24;

/**
 * sd[i] = the sd of ln(close[i + 1] / close[i]) forecast at origin i from closes[0..i]:
 * v_i = decay v_{i-1} + (1 - decay) r_i^2 with r_i = ln(close[i] / close[i - 1]). NaN at index 0.
 */
export function ewmaSigmas(closes: readonly number[], decay = EWMA_DECAY): Float64Array {
  const out = new Float64Array(closes.length).fill(Number.NaN);
  const warm = Math.min(EWMA_WARMUP, closes.length - 1);
  if (warm < 1) return out;
  let v = 0;
  for (let i = 1; i <= warm; i++) v += Math.log(closes[i] / closes[i - 1]) ** 2;
  v /= warm;
  for (let i = 1; i < closes.length; i++) {
    const r = Math.log(closes[i] / closes[i - 1]);
    v = decay * v + (1 - decay) * r * r;
    out[i] = Math.sqrt(v);
  }
  return out;
}
