// Exact Gaussian likelihood and forecasts of ARMA(p, q) through the Kalman filter, in Harvey's
// state-space form (the one statsmodels' SARIMAX uses): state dimension r = max(p, q + 1),
// transition T with the AR coefficients in its first column and ones above the diagonal,
// selection R = [1, theta_1, ..., theta_{r-1}], observation Z = [1, 0, ..., 0], no measurement noise.
// Everything runs with unit innovation variance; sigma2 multiplies variances afterwards.
import { solveLinear } from "./optimize";

export interface ArmaStateSpace {
  r: number;
  /** AR coefficients padded with zeros to length r (y_t = phi_1 y_{t-1} + ... + e_t + theta_1 e_{t-1}). */
  phi: Float64Array;
  /** Selection vector R = [1, theta_1, ..., theta_{r-1}]. */
  R: Float64Array;
}

/** Below this largest change of the (unit-scale) covariance the filter is steady: K and F stop changing. */
const STEADY_TOL = 1e-13;
const LOG_2PI = Math.log(2 * Math.PI);

export function armaStateSpace(ar: readonly number[], ma: readonly number[]): ArmaStateSpace {
  const r = Math.max(ar.length, ma.length + 1);
  const phi = new Float64Array(r);
  const R = new Float64Array(r);
  ar.forEach((v, i) => {
    phi[i] = v;
  });
  R[0] = 1;
  ma.forEach((v, i) => {
    R[i + 1] = v;
  });
  return { r, phi, R };
}

/** The stationary state covariance P = T P T' + R R' (unit innovation variance), by a Kronecker solve. */
export function stationaryCovariance(ss: ArmaStateSpace): Float64Array {
  const { r, phi, R } = ss;
  if (r === 1) return Float64Array.of(1 / (1 - phi[0] * phi[0]));
  const T = (i: number, j: number) => (j === 0 ? phi[i] : j === i + 1 ? 1 : 0);
  const n = r * r;
  const A: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < r; j++) {
      // Row (i, j) of (I - T kron T) vec(P) = vec(R R').
      const row = new Array<number>(n).fill(0);
      row[i * r + j] += 1;
      for (let k = 0; k < r; k++) {
        const tik = T(i, k);
        if (tik === 0) continue;
        for (let l = 0; l < r; l++) row[k * r + l] -= tik * T(j, l);
      }
      A.push(row);
      b.push(R[i] * R[j]);
    }
  }
  return Float64Array.from(solveLinear(A, b));
}

export interface FilterOutput {
  /** Predicted state mean for the period after the last observation, per data column. */
  a: Float64Array[];
  /** Its covariance (unit innovation variance), row-major r x r. */
  P: Float64Array;
  /** Sum over t of v_t^2 / F_t for each pair of columns (i, j): the GLS cross-products. */
  cross: number[][];
  sumLogF: number;
  nobs: number;
}

/**
 * Runs the filter over one or more data columns at once (they share gains: K and F do not depend on
 * the data). `visit(t, a, P)` sees the state predicted for t + 1 after observing t (column 0).
 */
export function kalmanFilter(
  ss: ArmaStateSpace,
  columns: ArrayLike<number>[],
  visit?: (t: number, a: Float64Array, P: Float64Array) => void,
): FilterOutput {
  const { r, phi, R } = ss;
  const m = columns.length;
  const n = columns[0].length;
  const P = stationaryCovariance(ss);
  const Pn = new Float64Array(r * r);
  const K = new Float64Array(r);
  const a = columns.map(() => new Float64Array(r));
  const v = new Float64Array(m);
  const cross = columns.map(() => new Array<number>(m).fill(0));
  let sumLogF = 0;
  let F = 1;
  let logF = 0;
  let steady = false;
  for (let t = 0; t < n; t++) {
    if (!steady) {
      F = P[0];
      if (!(F > 0)) throw new Error("non-positive prediction variance");
      logF = Math.log(F);
      for (let i = 0; i < r; i++) K[i] = (phi[i] * P[0] + (i + 1 < r ? P[(i + 1) * r] : 0)) / F;
    }
    sumLogF += logF;
    for (let c = 0; c < m; c++) {
      const ac = a[c];
      v[c] = columns[c][t] - ac[0];
      const a0 = ac[0];
      for (let i = 0; i < r - 1; i++) ac[i] = phi[i] * a0 + ac[i + 1] + K[i] * v[c];
      ac[r - 1] = phi[r - 1] * a0 + K[r - 1] * v[c];
    }
    for (let i = 0; i < m; i++) for (let j = 0; j <= i; j++) cross[i][j] += (v[i] * v[j]) / F;
    if (!steady) {
      let change = 0;
      for (let i = 0; i < r; i++) {
        // (T P T')_{ij} with (T P)_{ik} = phi_i P_{0k} + P_{i+1,k}; (T P)_{i0} = F K_i. Symmetric: j <= i.
        const below = i + 1 < r ? (i + 1) * r : -1;
        for (let j = 0; j <= i; j++) {
          const mj = j + 1 < r ? phi[i] * P[j + 1] + (below >= 0 ? P[below + j + 1] : 0) : 0;
          const value = F * K[i] * phi[j] + mj + R[i] * R[j] - F * K[i] * K[j];
          change = Math.max(change, Math.abs(value - P[i * r + j]));
          Pn[i * r + j] = value;
          Pn[j * r + i] = value;
        }
      }
      P.set(Pn);
      steady = change < STEADY_TOL;
    }
    visit?.(t, a[0], P);
  }
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) cross[i][j] = cross[j][i];
  return { a, P, cross, sumLogF, nobs: n };
}

export interface ProfileLikelihood {
  loglik: number;
  sigma2: number;
  /** GLS coefficient of the constant column (mean for d = 0, drift for d = 1), 0 without one. */
  beta: number;
  nobs: number;
}

/**
 * Exact log-likelihood of y = beta * 1 + ARMA noise, maximised over beta (GLS) and sigma2 (closed form):
 * the profile likelihood has the same maximum, at the same point, as the joint MLE, with two fewer
 * parameters for the optimiser. This is the optimiser's inner loop, so it is kalmanFilter specialised
 * to the data column and the constant column, with a cheaper loop once the gain is steady.
 */
export function profileLoglik(ss: ArmaStateSpace, y: Float64Array, withConstant: boolean): ProfileLikelihood {
  const { r, phi, R } = ss;
  const n = y.length;
  const P = stationaryCovariance(ss);
  const Pn = new Float64Array(r * r);
  const K = new Float64Array(r);
  const ay = new Float64Array(r);
  const ax = new Float64Array(r);
  let syy = 0;
  let sxy = 0;
  let sxx = 0;
  let sumLogF = 0;
  let invF = 1;
  let F = 0;
  // Once the gain is steady, K, F and P stay put: only the two state vectors move.
  let steady = false;
  let steadySteps = 0;
  let steadyLogF = 0;
  for (let t = 0; t < n; t++) {
    if (steady) steadySteps++;
    else {
      F = P[0];
      if (!(F > 0)) throw new Error("non-positive prediction variance");
      invF = 1 / F;
      sumLogF += Math.log(F);
      for (let i = 0; i < r; i++) K[i] = (phi[i] * P[0] + (i + 1 < r ? P[(i + 1) * r] : 0)) * invF;
    }
    const vy = y[t] - ay[0];
    const vx = 1 - ax[0];
    syy += vy * vy * invF;
    sxy += vx * vy * invF;
    sxx += vx * vx * invF;
    const y0 = ay[0];
    const x0 = ax[0];
    for (let i = 0; i < r - 1; i++) {
      ay[i] = phi[i] * y0 + ay[i + 1] + K[i] * vy;
      ax[i] = phi[i] * x0 + ax[i + 1] + K[i] * vx;
    }
    ay[r - 1] = phi[r - 1] * y0 + K[r - 1] * vy;
    ax[r - 1] = phi[r - 1] * x0 + K[r - 1] * vx;
    if (steady) continue;
    let change = 0;
    for (let i = 0; i < r; i++) {
      const below = i + 1 < r ? (i + 1) * r : -1;
      for (let j = 0; j <= i; j++) {
        const mj = j + 1 < r ? phi[i] * P[j + 1] + (below >= 0 ? P[below + j + 1] : 0) : 0;
        const value = F * K[i] * (phi[j] - K[j]) + mj + R[i] * R[j];
        change = Math.max(change, Math.abs(value - P[i * r + j]));
        Pn[i * r + j] = value;
        Pn[j * r + i] = value;
      }
    }
    P.set(Pn);
    steady = change < STEADY_TOL;
    if (steady) {
      steadyLogF = Math.log(P[0]);
      invF = 1 / P[0];
    }
  }
  if (steadySteps) sumLogF += steadySteps * steadyLogF;
  let ssr = syy;
  let beta = 0;
  if (withConstant) {
    beta = sxy / sxx;
    ssr -= beta * sxy;
  }
  const sigma2 = ssr / n;
  const loglik = -0.5 * n * (LOG_2PI + Math.log(sigma2) + 1) - 0.5 * sumLogF;
  return { loglik, sigma2, beta, nobs: n };
}
