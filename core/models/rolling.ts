// Rolling-origin evaluation (DESIGN.md "Rolling evaluation"): at each origin the model is fitted afresh
// on every candle before its test block and scored on that block only; the blocks' one-step forecasts
// are pooled. Against the random walk ("the close stays"): MAE, skill, directional accuracy and a
// one-sided Diebold-Mariano test on absolute errors; the 95% band of each block is calibrated on the
// earlier blocks' standardised residuals (split conformal) and its coverage counted. A volatility model
// is scored against the EWMA by QLIKE (volatility-score.ts), and its 24 h range's coverage counted.
import type { Candle } from "../candles/types";
import { conformalQuantile, dieboldMariano } from "./diebold-mariano";
import { pointMetrics } from "./evaluate";
import { type Fold, foldPlan } from "./fold-plan";

export { type Fold, foldPlan };

import type { ModelKind, Progress } from "./kinds/types";
import { BAND_LEVEL, INTERVAL_Z, MODEL_TIMEFRAME } from "./model-config";
import { ewmaSigmas } from "./volatility";
import { type QlikeScore, qlikeVsEwma, RANGE_HOURS, rangeCalibration } from "./volatility-score";

// A type alias (not an interface) so it fits the contract's open metrics object.
export type FoldMetrics = {
  test_from: number;
  test_to: number;
  /** Period open of the last candle the fold's model was fitted on. */
  trained_to: number;
  n: number;
  mae: number;
  naive_mae: number;
  skill: number | null;
  directional_accuracy: number;
  dm_pvalue: number | null;
  /** Band multiplier used on this block (from earlier blocks; the normal 1.96 for the first) and its coverage. */
  band_z: number;
  coverage_95: number;
} & Partial<QlikeScore>;

/** One-step forecasts at every origin of the evaluated candles (NaN outside the test blocks). */
export interface OutOfSample {
  mean: Float64Array;
  sigma: Float64Array;
  /** A volatility model's sd of the RANGE_HOURS log return at each origin (ModelKind.rangeSigma). */
  range?: Float64Array;
}

export interface RollingResult {
  metrics: Record<string, unknown> & {
    folds: FoldMetrics[];
    mae: number;
    naive_mae: number;
    skill: number | null;
    n: number;
    dm_pvalue: number | null;
  };
  oos: OutOfSample;
  /** Band multiplier calibrated on every block's residuals: for the model fitted on all candles. */
  bandZ: number;
}

/** |log return - forecast| / sigma at target j (origin j - 1). */
const score = (closes: readonly number[], oos: OutOfSample, j: number) =>
  Math.abs(Math.log(closes[j] / closes[j - 1]) - oos.mean[j - 1]) / oos.sigma[j - 1];

/** Scores the out-of-sample forecasts of the blocks `folds` of `candles`. */
export function scoreFolds(
  candles: readonly Candle[],
  folds: readonly Fold[],
  oos: OutOfSample,
  volatility: boolean,
): RollingResult {
  const times = candles.map((c) => c.time);
  const closes = candles.map((c) => c.close);
  const predictions = new Float64Array(closes.length).fill(Number.NaN);
  const variances = new Float64Array(closes.length).fill(Number.NaN);
  for (const { start, end } of folds) {
    for (let j = start; j < end; j++) {
      const m = oos.mean[j - 1];
      const s = oos.sigma[j - 1];
      if (!Number.isFinite(m) || !(s > 0)) throw new Error(`no one-step forecast for index ${j}`);
      predictions[j] = closes[j - 1] * Math.exp(m);
      variances[j] = (100 * s) ** 2 + (100 * m) ** 2;
    }
  }
  const model: number[] = [];
  const naive: number[] = [];
  const span = (from: number, to: number) => ({
    times,
    closes,
    testFrom: times[from],
    testTo: times[to - 1],
    horizon: 1,
  });
  const dm = (from: number, to: number) => {
    const a: number[] = [];
    const b: number[] = [];
    for (let j = from; j < to; j++) {
      a.push(Math.abs(predictions[j] - closes[j]));
      b.push(Math.abs(closes[j - 1] - closes[j]));
    }
    return dieboldMariano(a, b);
  };
  const ewma = volatility ? ewmaSigmas(closes) : null;
  const scores: number[] = [];
  let covered = 0;
  let calibrated = 0;
  let normalCovered = 0;
  const foldMetrics: FoldMetrics[] = folds.map(({ start, end }, f) => {
    const p = pointMetrics({ ...span(start, end), timeframe: MODEL_TIMEFRAME, predictions });
    const bandZ = f === 0 ? INTERVAL_Z : conformalQuantile(scores, BAND_LEVEL);
    let inside = 0;
    const blockScores: number[] = [];
    for (let j = start; j < end; j++) {
      const u = score(closes, oos, j);
      blockScores.push(u);
      if (u <= bandZ) inside++;
      if (u <= INTERVAL_Z) normalCovered++;
      model.push(Math.abs(predictions[j] - closes[j]));
      naive.push(Math.abs(closes[j - 1] - closes[j]));
    }
    if (f > 0) {
      covered += inside;
      calibrated += end - start;
    }
    scores.push(...blockScores);
    const fold: FoldMetrics = {
      test_from: p.test_from,
      test_to: p.test_to,
      trained_to: times[start - 1],
      n: p.n,
      mae: p.mae,
      naive_mae: p.naive_mae,
      skill: p.skill,
      directional_accuracy: p.directional_accuracy,
      dm_pvalue: dm(start, end)?.p_value ?? null,
      band_z: bandZ,
      coverage_95: inside / (end - start),
    };
    if (ewma) Object.assign(fold, qlikeVsEwma(closes, variances, start, end, ewma));
    return fold;
  });
  const first = folds[0].start;
  const last = folds[folds.length - 1].end;
  const pooled = pointMetrics({ ...span(first, last), timeframe: MODEL_TIMEFRAME, predictions });
  const test = dieboldMariano(model, naive);
  const metrics = {
    ...pooled,
    evaluation: "rolling_origin",
    folds: foldMetrics,
    dm_pvalue: test?.p_value ?? null,
    dm_statistic: test?.statistic ?? null,
    dm_loss: "absolute_error",
    dm_lags: test?.lags ?? null,
    coverage_95: calibrated > 0 ? covered / calibrated : null,
    coverage_95_last: foldMetrics[foldMetrics.length - 1].coverage_95,
    coverage_95_normal: normalCovered / pooled.n,
    band_z: conformalQuantile(scores, BAND_LEVEL),
    ...(ewma ? qlikeVsEwma(closes, variances, first, last, ewma) : {}),
    ...(oos.range ? rangeMetrics(closes, oos.range, folds) : {}),
  };
  return { metrics, oos, bandZ: metrics.band_z };
}

function rangeMetrics(closes: readonly number[], sd: Float64Array, folds: readonly Fold[]) {
  const r = rangeCalibration(closes, sd, folds);
  return { range_hours: RANGE_HOURS, range_coverage: r.coverage, range_n: r.n, range_band_z: r.band_z };
}

/** One origin: `kind` fitted on the candles before `fold`'s block, forecasting the block one step at a
 * time. `mean[k]` and `sigma[k]` are the forecasts made at origin `fold.start - 1 + k`. */
export async function foldForecasts(
  kind: ModelKind<unknown>,
  candles: readonly Candle[],
  fold: Fold,
  progress: Progress,
): Promise<OutOfSample> {
  const model = await kind.fit(candles.slice(0, fold.start), progress);
  try {
    const seen = candles.slice(0, fold.end);
    const step = kind.oneStep(model, seen, fold.start - 1);
    const block = (a: Float64Array) => Float64Array.from(a.slice(fold.start - 1, fold.end - 1));
    const range = kind.rangeSigma?.(model, seen, fold.start - 1, RANGE_HOURS);
    return { mean: block(step.mean), sigma: block(step.sigma), ...(range ? { range: block(range) } : {}) };
  } finally {
    kind.dispose(model);
  }
}

/** Runs the folds' `foldForecasts` elsewhere (the trainer's threads), all at once. */
export type FoldRunner = (fold: Fold, index: number) => Promise<OutOfSample>;

/**
 * Fits `kind` at each of its origins on the candles before the block and forecasts the block one step
 * at a time (the forecast at origin i sees candles[0..i] only), then scores the pooled forecasts. The
 * folds run one after another here, or all at once through `runFold`.
 */
export async function rollingEvaluation(
  kind: ModelKind<unknown>,
  candles: readonly Candle[],
  progress: Progress,
  runFold?: FoldRunner,
): Promise<RollingResult> {
  const folds = foldPlan(candles.length, kind.folds);
  const oos: OutOfSample = {
    mean: new Float64Array(candles.length).fill(Number.NaN),
    sigma: new Float64Array(candles.length).fill(Number.NaN),
    ...(kind.rangeSigma ? { range: new Float64Array(candles.length).fill(Number.NaN) } : {}),
  };
  const blocks: OutOfSample[] = [];
  if (runFold) blocks.push(...(await Promise.all(folds.map(runFold))));
  else
    for (const [f, fold] of folds.entries()) {
      const at = `origin ${f + 1}/${folds.length}`;
      blocks.push(
        await foldForecasts(kind, candles, fold, (x, m) => progress((f + x) / folds.length, `${at}: ${m}`)),
      );
    }
  folds.forEach(({ start }, f) => {
    oos.mean.set(blocks[f].mean, start - 1);
    oos.sigma.set(blocks[f].sigma, start - 1);
    const range = blocks[f].range;
    if (oos.range && range) oos.range.set(range, start - 1);
  });
  return scoreFolds(candles, folds, oos, kind.volatility);
}
