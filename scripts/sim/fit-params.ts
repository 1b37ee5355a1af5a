// `npx tsx scripts/sim/fit-params.ts [DIR]`: fits the simulated market's parameters to the real BTCUSDT
// year (data.binance.vision 1m files) and prints them as JSON; scripts/sim/params.ts holds the result.
//   returns: first GARCH(1,1) by Gaussian quasi-MLE (core/models/garch.ts), for the record: at 1m it is
//            integrated (alpha + beta at the 1 - 1e-6 bound), so it has no unconditional variance and
//            cannot drive a generator. Then GARCH(1,1)-t by MLE with variance targeting (omega =
//            sample variance x (1 - alpha - beta)) and alpha + beta capped at PERSISTENCE_CAP.
//   volumes: ln(volume) = hour-of-day level + b * |z_t| + noise, by least squares (z: standardised return).
import { fitGarch, logReturnsPct } from "../../core/models/garch";
import { minimizeBfgs } from "../../core/models/optimize";
import { loadCandles, sampleDataDir } from "../lib/binance-files";

/** Half-life of a variance shock ln(0.5)/ln(0.995) = 138 minutes: long memory, but stationary. */
const PERSISTENCE_CAP = 0.995;

const dir = process.argv[2] ?? sampleDataDir();
if (!dir) throw new Error("no data folder: pass one or set MONEYMONEY_SAMPLE_DATA");
const candles = loadCandles(dir, /^BTCUSDT-1m-.*\.(csv|csv\.gz|zip)$/);
const closes = candles.map((c) => c.close);
const returns = logReturnsPct(closes);
const t0 = performance.now();
const gaussian = fitGarch(returns);
const mu = returns.reduce((a, b) => a + b, 0) / returns.length;
const resid = returns.map((r) => r - mu);
const variance = resid.reduce((a, e) => a + e * e, 0) / resid.length;

function lgamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for x > 0.5.
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const y = x - 1;
  let a = g[0];
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += g[i] / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}
const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const unpack = (x: number[]) => {
  const persistence = PERSISTENCE_CAP * logistic(x[0]);
  const alpha = persistence * logistic(x[1]);
  return { alpha, beta: persistence - alpha, nu: 2.01 + Math.exp(x[2]) };
};
/** Mean negative log-likelihood of GARCH(1,1) with unit-variance Student-t innovations. */
const negLogLik = (x: number[]) => {
  const { alpha, beta, nu } = unpack(x);
  const omega = variance * (1 - alpha - beta);
  const c = lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * Math.log(Math.PI * (nu - 2));
  let h = variance;
  let sum = 0;
  for (const e of resid) {
    sum += c - 0.5 * Math.log(h) - ((nu + 1) / 2) * Math.log(1 + (e * e) / (h * (nu - 2)));
    h = omega + alpha * e * e + beta * h;
  }
  return -sum / resid.length;
};
const best = minimizeBfgs(negLogLik, [2, -2, Math.log(2)], { maxIter: 200 });
const { alpha, beta, nu } = unpack(best.x);
const omega = variance * (1 - alpha - beta);
const z: number[] = [];
{
  let h = variance;
  for (const e of resid) {
    z.push(e / Math.sqrt(h));
    h = omega + alpha * e * e + beta * h;
  }
}

// Volumes: hour-of-day mean of ln(volume), then the slope on |z| of what is left.
const hourSum = new Float64Array(24);
const hourN = new Float64Array(24);
const logV: number[] = [];
for (let i = 1; i < candles.length; i++) {
  const v = Math.log(Math.max(candles[i].volume, 1e-5));
  logV.push(v);
  const h = new Date(candles[i].time * 1000).getUTCHours();
  hourSum[h] += v;
  hourN[h]++;
}
const hourMean = [...hourSum].map((s, h) => s / hourN[h]);
const level = hourMean.reduce((s, v) => s + v, 0) / 24;
let sx = 0;
let sy = 0;
let sxx = 0;
let sxy = 0;
const n = z.length;
const volResid = logV.map((v, i) => v - hourMean[new Date(candles[i + 1].time * 1000).getUTCHours()]);
for (let i = 0; i < n; i++) {
  const x = Math.abs(z[i]);
  sx += x;
  sy += volResid[i];
  sxx += x * x;
  sxy += x * volResid[i];
}
const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
const icpt = (sy - slope * sx) / n;
let sse = 0;
for (let i = 0; i < n; i++) sse += (volResid[i] - icpt - slope * Math.abs(z[i])) ** 2;

console.log(
  JSON.stringify(
    {
      source: `${candles.length} BTCUSDT 1m candles ${new Date(candles[0].time * 1000).toISOString()} .. ${new Date(candles[candles.length - 1].time * 1000).toISOString()}`,
      gaussian_qmle: {
        mu: gaussian.mu,
        omega: gaussian.omega,
        alpha: gaussian.alpha,
        beta: gaussian.beta,
        persistence: gaussian.alpha + gaussian.beta,
      },
      garch_t: { mu, omega, alpha, beta, nu, sample_variance: variance, converged: best.converged },
      volume: {
        log_level: level + icpt,
        hour_offsets: hourMean.map((v) => v - level),
        abs_z_slope: slope,
        noise_sd: Math.sqrt(sse / n),
      },
      last_close: closes[closes.length - 1],
      fit_seconds: (performance.now() - t0) / 1000,
    },
    null,
    2,
  ),
);
