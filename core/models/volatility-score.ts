// How a volatility model is judged (DESIGN.md "Models", garch): its one-step variance forecasts
// against RiskMetrics' EWMA (core/models/volatility.ts) by QLIKE, with a one-sided Diebold-Mariano test
// of "its QLIKE is lower", and the coverage of the multi-hour range it implies (the dashboard's
// expected 24 h range). Returns are in percent (100 x log return), as GARCH fits them.
import { conformalQuantile, dieboldMariano } from "./diebold-mariano";
import { BAND_LEVEL } from "./model-config";
import { ewmaSigmas } from "./volatility";

/** The hours of the range the dashboard shows: one day ahead. */
export const RANGE_HOURS = 24;
/** Name of the QLIKE benchmark in the metrics. */
export const QLIKE_BENCHMARK = "ewma_0.94";

/** QLIKE loss of variance forecast h for return r (log h + r^2 / h: lower is better). */
export const qlikeLoss = (h: number, r: number) => Math.log(h) + (r * r) / h;

export interface QlikeScore {
  qlike: number;
  /** The same loss of the EWMA variance forecast on the same targets. */
  naive_qlike: number;
  qlike_benchmark: string;
  /** One-sided DM p-value of "the model's QLIKE is lower than the EWMA's" (null: fewer than 10 targets). */
  qlike_dm_pvalue: number | null;
  qlike_dm_statistic: number | null;
}

/**
 * `variances[j]` forecasts r_j^2 (r_j = 100 ln(close_j / close_{j-1}), made at j - 1) for the targets
 * j in [from, to); the EWMA of the closes up to j - 1 is the benchmark.
 */
export function qlikeVsEwma(
  closes: readonly number[],
  variances: ArrayLike<number>,
  from: number,
  to: number,
  ewma: Float64Array = ewmaSigmas(closes),
): QlikeScore {
  const model: number[] = [];
  const bench: number[] = [];
  for (let j = from; j < to; j++) {
    const r = 100 * Math.log(closes[j] / closes[j - 1]);
    const e = (100 * ewma[j - 1]) ** 2;
    if (!(variances[j] > 0) || !(e > 0)) throw new Error(`no variance forecast for target index ${j}`);
    model.push(qlikeLoss(variances[j], r));
    bench.push(qlikeLoss(e, r));
  }
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  const dm = dieboldMariano(model, bench);
  return {
    qlike: mean(model),
    naive_qlike: mean(bench),
    qlike_benchmark: QLIKE_BENCHMARK,
    qlike_dm_pvalue: dm?.p_value ?? null,
    qlike_dm_statistic: dm?.statistic ?? null,
  };
}

/** |ln(close[i + hours] / close[i])| / sd[i] for the origins i in [from, to) whose later close is known. */
function rangeScores(
  closes: readonly number[],
  sd: ArrayLike<number>,
  from: number,
  to: number,
  hours: number,
) {
  const out: { target: number; score: number }[] = [];
  for (let i = from; i < to && i + hours < closes.length; i++)
    if (sd[i] > 0)
      out.push({ target: i + hours, score: Math.abs(Math.log(closes[i + hours] / closes[i])) / sd[i] });
  return out;
}

/**
 * The range's multiplier calibrated like the one-step band (split conformal): block f (origins
 * [start - 1, end - 1) of each fold) uses the quantile of the scores of earlier origins whose close
 * `hours` later was known before the block began, and its coverage is counted (blocks with such
 * scores only). `band_z` is the multiplier from every origin, for the model fitted on all candles.
 */
export function rangeCalibration(
  closes: readonly number[],
  sd: ArrayLike<number>,
  folds: readonly { start: number; end: number }[],
  hours = RANGE_HOURS,
): { coverage: number | null; n: number; band_z: number | null } {
  const seen: { target: number; score: number }[] = [];
  let n = 0;
  let inside = 0;
  for (const { start, end } of folds) {
    const block = rangeScores(closes, sd, start - 1, end - 1, hours);
    const known = seen.filter((s) => s.target < start).map((s) => s.score);
    if (known.length > 0) {
      const z = conformalQuantile(known, BAND_LEVEL);
      n += block.length;
      inside += block.filter((s) => s.score <= z).length;
    }
    seen.push(...block);
  }
  return {
    coverage: n > 0 ? inside / n : null,
    n,
    band_z:
      seen.length > 0
        ? conformalQuantile(
            seen.map((s) => s.score),
            BAND_LEVEL,
          )
        : null,
  };
}
