// The Diebold-Mariano test of core/models/diebold-mariano.ts, kept up to date one loss pair at a time:
// the ledger adds a few scores an hour to series that grow for years, so it keeps sums instead of the
// series. With the sums of lagged products S_k = sum_{t>=k} d_t d_{t-k} (k <= DM_MAX_LAGS) and the first
// and last DM_MAX_LAGS differentials, the mean-centred autocovariances are exact:
// n g_k = S_k - dbar (sum_{t>=k} d_t + sum_{t<n-k} d_t) + (n - k) dbar^2.
import { dmLags, normalCdf } from "../models/diebold-mariano";

/** Most Bartlett lags kept: floor(n^(1/3)) reaches it after 110,592 hours (12.6 years); lags stop there. */
export const DM_MAX_LAGS = 48;

export interface DmAccumulator {
  n: number;
  sum: number;
  /** S_0 .. S_K. */
  lagged: number[];
  head: number[];
  /** The last (up to) DM_MAX_LAGS differentials, oldest first. */
  tail: number[];
}

export const newDm = (): DmAccumulator => ({
  n: 0,
  sum: 0,
  lagged: new Array(DM_MAX_LAGS + 1).fill(0),
  head: [],
  tail: [],
});

/** Adds d_t = modelLoss - benchLoss (in time order). */
export function addDm(acc: DmAccumulator, modelLoss: number, benchLoss: number): void {
  const d = modelLoss - benchLoss;
  acc.lagged[0] += d * d;
  for (let k = 1; k <= DM_MAX_LAGS && k <= acc.tail.length; k++)
    acc.lagged[k] += d * acc.tail[acc.tail.length - k];
  acc.n++;
  acc.sum += d;
  if (acc.head.length < DM_MAX_LAGS) acc.head.push(d);
  acc.tail.push(d);
  if (acc.tail.length > DM_MAX_LAGS) acc.tail.shift();
}

/** The one-sided p-value of "the model's loss is lower" (null: fewer than 10 pairs or no variance). */
export function dmPValue(
  acc: DmAccumulator,
  horizon = 1,
): { statistic: number; p_value: number; lags: number } | null {
  const { n, sum } = acc;
  if (n < 10) return null;
  const mean = sum / n;
  const L = Math.min(n - 1, dmLags(n, horizon), DM_MAX_LAGS);
  let headSum = 0;
  let tailSum = 0;
  let v = 0;
  for (let k = 0; k <= L; k++) {
    if (k > 0) {
      headSum += acc.head[k - 1];
      tailSum += acc.tail[acc.tail.length - k];
    }
    const g = (acc.lagged[k] - mean * (sum - headSum + (sum - tailSum)) + (n - k) * mean * mean) / n;
    v += k === 0 ? g : 2 * (1 - k / (L + 1)) * g;
  }
  if (!(v > 0)) return null;
  const statistic = mean / Math.sqrt(v / n);
  return { statistic, p_value: normalCdf(statistic), lags: L };
}
