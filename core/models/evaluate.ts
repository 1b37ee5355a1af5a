// Out-of-sample metrics (DESIGN.md "Models"), as pure functions of candle arrays so anyone can
// recompute them from the candles, and walk-forward helpers for the fitted ARIMA and GARCH models.
//
// Conventions: `predictions[j]` forecasts closes[j] and was made at index j - horizon, using closes up
// to and including that index only. Targets are the indices j >= horizon whose times[j] lie in
// [testFrom, testTo]. Directional accuracy compares sign(pred - close[j-h]) with
// sign(close[j] - close[j-h]) where sign(0) = 0: an unchanged close counts as a hit only for a
// forecast of exactly no change, and a forecast of no change misses whenever the close moved.
import { type ArimaModel, arimaWalkForward } from "./arima-forecast";
import { type GarchModel, garchBackcast, garchVariances, logReturnsPct } from "./garch";
import { EVAL_HORIZON, MODEL_TIMEFRAME, NAIVE_VARIANCE_WINDOW, TEST_FRACTION } from "./model-config";

export interface PointMetrics {
  timeframe: string;
  horizon: number;
  /** Times of the first and last target candle. */
  test_from: number;
  test_to: number;
  n: number;
  mae: number;
  naive_mae: number;
  /** 1 - mae / naive_mae; null when naive_mae is 0 (a flat test window). */
  skill: number | null;
  directional_accuracy: number;
}

export interface GarchMetrics extends PointMetrics {
  /** Mean of log(h) + r^2 / h (QLIKE up to a forecast-free constant), r in percent log return. */
  qlike: number;
  /** The same for h = mean r^2 over the previous NAIVE_VARIANCE_WINDOW returns. */
  naive_qlike: number;
}

export interface SeriesInput {
  times: readonly number[];
  closes: readonly number[];
  testFrom: number;
  testTo: number;
  horizon: number;
}

function targets({ times, closes, testFrom, testTo, horizon }: SeriesInput): number[] {
  if (times.length !== closes.length) throw new Error("times and closes differ in length");
  if (!(Number.isInteger(horizon) && horizon >= 1)) throw new Error("horizon must be a positive integer");
  const out: number[] = [];
  for (let j = horizon; j < times.length; j++) if (times[j] >= testFrom && times[j] <= testTo) out.push(j);
  if (out.length === 0) throw new Error("no target candle in the test window");
  return out;
}

export function pointMetrics(
  input: SeriesInput & { timeframe: string; predictions: ArrayLike<number> },
): PointMetrics {
  const { closes, predictions, horizon } = input;
  const js = targets(input);
  let absErr = 0;
  let naiveErr = 0;
  let hits = 0;
  for (const j of js) {
    const pred = predictions[j];
    if (!Number.isFinite(pred)) throw new Error(`no prediction for target index ${j}`);
    const base = closes[j - horizon];
    absErr += Math.abs(pred - closes[j]);
    naiveErr += Math.abs(base - closes[j]);
    if (Math.sign(pred - base) === Math.sign(closes[j] - base)) hits++;
  }
  const n = js.length;
  const mae = absErr / n;
  const naive_mae = naiveErr / n;
  return {
    timeframe: input.timeframe,
    horizon,
    test_from: input.times[js[0]],
    test_to: input.times[js[n - 1]],
    n,
    mae,
    naive_mae,
    skill: naive_mae > 0 ? 1 - mae / naive_mae : null,
    directional_accuracy: hits / n,
  };
}

/**
 * QLIKE of variance forecasts: `variances[j]` forecasts E[r_j^2] for r_j = 100 ln(close_j / close_{j-1}),
 * made at j - horizon. The naive forecast is the mean r^2 of the `window` returns up to j - horizon.
 */
export function qlikeMetrics(input: SeriesInput & { variances: ArrayLike<number>; window?: number }): {
  n: number;
  qlike: number;
  naive_qlike: number;
} {
  const { closes, variances, horizon, window = NAIVE_VARIANCE_WINDOW } = input;
  const js = targets(input);
  const r = (j: number) => 100 * Math.log(closes[j] / closes[j - 1]);
  let q = 0;
  let qn = 0;
  for (const j of js) {
    const origin = j - horizon;
    if (origin - window < 0)
      throw new Error(`target ${j} has fewer than ${window} returns before its origin`);
    const h = variances[j];
    if (!(h > 0)) throw new Error(`no positive variance forecast for target index ${j}`);
    let naive = 0;
    for (let k = origin - window + 1; k <= origin; k++) naive += r(k) ** 2;
    naive /= window;
    const r2 = r(j) ** 2;
    q += Math.log(h) + r2 / h;
    qn += Math.log(naive) + r2 / naive;
  }
  return { n: js.length, qlike: q / js.length, naive_qlike: qn / js.length };
}

/** Index of the first test candle: the last `fraction` of the window is held out. */
export function testStartIndex(length: number, fraction: number = TEST_FRACTION): number {
  return Math.round(length * (1 - fraction));
}

/**
 * ARIMA fitted on ln(closes[0..testStart-1]), rolled through the rest with actual closes and fixed
 * parameters. The point forecast is exp(mean of the log forecast): the median of the lognormal, which
 * is what minimises absolute error.
 */
export function evaluateArima(
  fit: ArimaModel,
  times: readonly number[],
  closes: readonly number[],
  testStart: number,
  horizon: number = EVAL_HORIZON,
): PointMetrics {
  const wf = arimaWalkForward(fit, closes.map(Math.log), testStart, horizon);
  const predictions = new Float64Array(closes.length).fill(Number.NaN);
  wf.mean.forEach((m, i) => {
    predictions[testStart + i] = Math.exp(m);
  });
  const span = { times, closes, testFrom: times[testStart], testTo: times[times.length - 1], horizon };
  return pointMetrics({ ...span, timeframe: MODEL_TIMEFRAME, predictions });
}

/**
 * GARCH fitted on the returns of closes[0..testStart-1], filtered through the rest without refitting.
 * Point forecast: the close grows by the mean return, close[j-h] * exp(h * mu / 100). Variance forecast
 * of r_j made at j - h: omega * (1 + p + ... + p^(h-2)) + p^(h-1) * s2 (p = alpha + beta), plus mu^2.
 */
export function evaluateGarch(
  fit: GarchModel,
  times: readonly number[],
  closes: readonly number[],
  testStart: number,
  horizon: number = EVAL_HORIZON,
): GarchMetrics {
  const returns = logReturnsPct(closes);
  // s2[i] is the variance of the return into candle i + 1; the backcast defaults to the training part's.
  const s2 = garchVariances(fit, returns, fit.backcast ?? garchBackcast(returns.slice(0, testStart - 1)));
  const persistence = fit.alpha + fit.beta;
  const predictions = new Float64Array(closes.length).fill(Number.NaN);
  const variances = new Float64Array(closes.length).fill(Number.NaN);
  for (let j = Math.max(testStart, horizon); j < closes.length; j++) {
    predictions[j] = closes[j - horizon] * Math.exp((horizon * fit.mu) / 100);
    let v = s2[j - horizon];
    for (let k = 1; k < horizon; k++) v = fit.omega + persistence * v;
    variances[j] = v + fit.mu * fit.mu;
  }
  const span = { times, closes, testFrom: times[testStart], testTo: times[times.length - 1], horizon };
  const point = pointMetrics({ ...span, timeframe: MODEL_TIMEFRAME, predictions });
  const { qlike, naive_qlike } = qlikeMetrics({ ...span, variances });
  return { ...point, qlike, naive_qlike };
}
