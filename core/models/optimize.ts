// Small dense numerics for the model fits: a BFGS minimiser with central-difference gradients and
// linear solves. Dimensions here are tiny (<= 8), so plain arrays beat any clever layout.

export interface MinimizeOptions {
  /** Most BFGS iterations (each costs 2 * dim + a few evaluations). */
  maxIter?: number;
  /** Stop when every gradient component is below this (objectives here are per-observation). */
  gradTol?: number;
  /** Stop when an iteration improves f by less than this, relative to 1 + |f|. */
  fTol?: number;
  /** Analytic gradient of f; central differences of f when absent. */
  gradient?: (x: number[]) => number[];
}

export interface MinimizeResult {
  x: number[];
  f: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

const ARMIJO_C1 = 1e-4;
const MAX_BACKTRACKS = 40;

/** Central-difference gradient; the step scales with |x_i| so large and small parameters both work. */
export function numericGradient(f: (x: number[]) => number, x: number[]): number[] {
  const g = new Array<number>(x.length);
  const xs = x.slice();
  for (let i = 0; i < x.length; i++) {
    const h = 1e-5 * Math.max(1, Math.abs(x[i]));
    xs[i] = x[i] + h;
    const up = f(xs);
    xs[i] = x[i] - h;
    const down = f(xs);
    xs[i] = x[i];
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

/**
 * Quasi-Newton (BFGS, inverse-Hessian form) with Armijo backtracking. Non-finite objective values
 * (e.g. a variance that became negative) are treated as "too far" and the step is shortened.
 */
export function minimizeBfgs(
  f: (x: number[]) => number,
  x0: number[],
  opts: MinimizeOptions = {},
): MinimizeResult {
  const { maxIter = 200, gradTol = 1e-8, fTol = 1e-14 } = opts;
  const grad = opts.gradient ?? ((z: number[]) => numericGradient(fn, z));
  const n = x0.length;
  let evaluations = 0;
  const fn = (x: number[]) => {
    evaluations++;
    return f(x);
  };
  let x = x0.slice();
  let fx = fn(x);
  if (!Number.isFinite(fx)) throw new Error("objective is not finite at the start point");
  let g = grad(x);
  let H = identity(n);
  let firstStep = true;
  let converged = false;
  let iter = 0;
  for (; iter < maxIter; iter++) {
    if (maxAbs(g) < gradTol) {
      converged = true;
      break;
    }
    let d = matVec(H, g).map((v) => -v);
    let slope = dot(g, d);
    if (slope >= 0) {
      // H lost positive definiteness through rounding: restart from steepest descent.
      H = identity(n);
      d = g.map((v) => -v);
      slope = dot(g, d);
    }
    let t = 1;
    let xNew = x;
    let fNew = Number.NaN;
    for (let k = 0; k < MAX_BACKTRACKS; k++) {
      xNew = x.map((v, i) => v + t * d[i]);
      fNew = fn(xNew);
      if (Number.isFinite(fNew) && fNew <= fx + ARMIJO_C1 * t * slope) break;
      t *= 0.5;
    }
    if (!(Number.isFinite(fNew) && fNew <= fx)) {
      converged = maxAbs(g) < gradTol * 1e3;
      break;
    }
    const gNew = grad(xNew);
    const s = xNew.map((v, i) => v - x[i]);
    const y = gNew.map((v, i) => v - g[i]);
    const sy = dot(s, y);
    const improvement = fx - fNew;
    x = xNew;
    fx = fNew;
    g = gNew;
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (firstStep) {
        // Nocedal & Wright (6.20): scale the initial inverse Hessian to the observed curvature.
        H = identity(n).map((row) => row.map((v) => (v * sy) / dot(y, y)));
        firstStep = false;
      }
      bfgsUpdate(H, s, y, sy);
    }
    if (improvement < fTol * (1 + Math.abs(fx))) {
      converged = true;
      iter++;
      break;
    }
  }
  return { x, f: fx, iterations: iter, evaluations, converged };
}

function bfgsUpdate(H: number[][], s: number[], y: number[], sy: number): void {
  const n = s.length;
  const rho = 1 / sy;
  const Hy = matVec(H, y);
  const yHy = dot(y, Hy);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      H[i][j] += -rho * (Hy[i] * s[j] + s[i] * Hy[j]) + (rho * rho * yHy + rho) * s[i] * s[j];
    }
  }
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is copied, not modified). */
export function solveLinear(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[pivot][c])) pivot = r;
    if (M[pivot][c] === 0) throw new Error("singular linear system");
    [M[c], M[pivot]] = [M[pivot], M[c]];
    for (let r = c + 1; r < n; r++) {
      const k = M[r][c] / M[c][c];
      if (k !== 0) for (let j = c; j <= n; j++) M[r][j] -= k * M[c][j];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let acc = M[r][n];
    for (let j = r + 1; j < n; j++) acc -= M[r][j] * x[j];
    x[r] = acc / M[r][r];
  }
  return x;
}

/** Ordinary least squares of y on the columns of X (rows = observations), by the normal equations. */
export function leastSquares(X: number[][], y: number[]): number[] {
  const k = X[0]?.length ?? 0;
  const XtX = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const Xty = new Array<number>(k).fill(0);
  for (let t = 0; t < y.length; t++) {
    const row = X[t];
    for (let i = 0; i < k; i++) {
      Xty[i] += row[i] * y[t];
      for (let j = 0; j <= i; j++) XtX[i][j] += row[i] * row[j];
    }
  }
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) XtX[i][j] = XtX[j][i];
  return solveLinear(XtX, Xty);
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

function matVec(A: number[][], v: number[]): number[] {
  return A.map((row) => dot(row, v));
}

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(v: number[]): number {
  return v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
}
