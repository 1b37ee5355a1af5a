// The backtest arithmetic over a model set's rolling-evaluation forecasts: each hour's forecast comes
// from a fold model fitted before that hour's block, and a model's vote (and weight) from its skill and
// Diebold-Mariano p-value on the hours already closed, refreshed daily: nothing after the hour is used.
import type { Candle } from "../../core/candles/types";
import type { SignalCalibration } from "../../core/models/calibration";
import { dieboldMariano } from "../../core/models/diebold-mariano";
import { isModelType, MODEL_KINDS } from "../../core/models/registry";
import { FEE_BPS } from "../../core/models/vote";
import { BACKTEST_MODES, type BacktestMode } from "../contract/insights";
import { decisionsOf, type HourSignal, type ReplayResult, replay } from "./backtest-replay";
import { EVIDENCE_MIN_HOURS, EVIDENCE_REFRESH_HOURS, REALIZED_VOL_PERIODS } from "./insight-config";
import { calibrateHours } from "./signal-calibration";

export { BACKTEST_MODES, type BacktestMode };

/** A version's evaluation forecasts: origin period opens, forecast log returns and their sd. */
export interface EvaluatedModel {
  model: string;
  times: readonly number[];
  mean: readonly number[];
  sigma: readonly number[];
}

/** Sample sd of the last week's hourly log returns at every origin: the volatility without GARCH. */
export function realizedSigmas(candles: readonly Candle[]): Float64Array {
  const closes = candles.map((c) => c.close);
  const out = new Float64Array(candles.length).fill(Number.NaN);
  for (let i = 2; i < closes.length; i++) {
    const from = Math.max(1, i - REALIZED_VOL_PERIODS + 1);
    const r: number[] = [];
    for (let k = from; k <= i; k++) r.push(Math.log(closes[k] / closes[k - 1]));
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    out[i] = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1));
  }
  return out;
}

/** `values` of a model placed at the indices of `candles` with the same period open (NaN elsewhere). */
function align(candles: readonly Candle[], times: readonly number[], values: readonly number[]) {
  const index = new Map(candles.map((c, i) => [c.time, i]));
  const out = new Float64Array(candles.length).fill(Number.NaN);
  times.forEach((t, k) => {
    const i = index.get(t);
    if (i !== undefined && Number.isFinite(values[k])) out[i] = values[k];
  });
  return out;
}

/**
 * Skill and DM p-value known at each origin i: over the forecasts whose target closed by i (origins
 * k <= i - 1), recomputed every EVIDENCE_REFRESH_HOURS; NaN until EVIDENCE_MIN_HOURS are scored.
 */
export function evidenceAt(candles: readonly Candle[], predicted: ArrayLike<number>) {
  const n = candles.length;
  const skill = new Float64Array(n).fill(Number.NaN);
  const pValue = new Float64Array(n).fill(Number.NaN);
  const model: number[] = [];
  const naive: number[] = [];
  let current = { skill: Number.NaN, p: Number.NaN };
  let sinceRefresh = Number.POSITIVE_INFINITY;
  for (let i = 1; i < n; i++) {
    const k = i - 1; // the forecast made at k has just been scored by close i
    if (Number.isFinite(predicted[k])) {
      model.push(Math.abs(candles[k].close * Math.exp(predicted[k]) - candles[i].close));
      naive.push(Math.abs(candles[k].close - candles[i].close));
    }
    if (++sinceRefresh >= EVIDENCE_REFRESH_HOURS && model.length >= EVIDENCE_MIN_HOURS) {
      const a = model.reduce((s, v) => s + v, 0);
      const b = naive.reduce((s, v) => s + v, 0);
      const dm = dieboldMariano(model, naive);
      current = { skill: b > 0 ? 1 - a / b : Number.NaN, p: dm?.p_value ?? Number.NaN };
      sinceRefresh = 0;
    }
    skill[i] = current.skill;
    pValue[i] = current.p;
  }
  return { skill, pValue };
}

export interface BacktestRuns {
  ensemble: ReplayResult | null;
  models: Record<string, ReplayResult>;
}
/** Both modes' runs, and the ensemble's signal at every replayed hour (the same in both modes). */
export type BacktestSet = Record<BacktestMode, BacktestRuns> & {
  signals: HourSignal[];
  calibration: SignalCalibration;
};

/**
 * The ensemble and each direction model on its own, long-or-flat and long/short, replayed over the
 * evaluated hours of `candles`.
 */
export function buildBacktests(
  candles: readonly Candle[],
  evaluated: readonly EvaluatedModel[],
  periodsPerYear: number,
): BacktestSet {
  const kindOf = (m: string) => (isModelType(m) ? MODEL_KINDS[m] : null);
  const volatility = evaluated.find((e) => kindOf(e.model)?.volatility);
  const realized = realizedSigmas(candles);
  const sigma = volatility ? align(candles, volatility.times, volatility.sigma) : realized;
  for (let i = 0; i < sigma.length; i++) if (!Number.isFinite(sigma[i])) sigma[i] = realized[i];
  const direction = evaluated
    .filter((e) => kindOf(e.model)?.direction)
    .map((e) => ({ model: e.model, predicted: align(candles, e.times, e.mean) }));
  type Forecasts = { model: string; predicted: Float64Array };
  const firstForecast = (p: Float64Array) => p.findIndex(Number.isFinite);
  const inputs = (models: Forecasts[], evidence: (p: Float64Array) => ReturnType<typeof evidenceAt>) => {
    const starts = models.map((m) => firstForecast(m.predicted)).filter((s) => s >= 0);
    if (starts.length === 0) return null;
    const start = Math.min(...starts);
    if (start >= candles.length - 1) return null;
    const voters = models.map((m) => ({ ...m, ...evidence(m.predicted) }));
    return { start, voters };
  };
  const run = (
    models: Forecasts[],
    evidence: (p: Float64Array) => ReturnType<typeof evidenceAt>,
    allowShort: boolean,
  ) => {
    const r = inputs(models, evidence);
    if (!r) return null;
    const { start, voters } = r;
    return replay({ candles, start, models: voters, sigma, feeBps: FEE_BPS, periodsPerYear, allowShort });
  };
  const always = (p: Float64Array) => ({
    skill: new Float64Array(p.length).fill(1),
    pValue: new Float64Array(p.length).fill(0),
  });
  const evidence = new Map<Float64Array, ReturnType<typeof evidenceAt>>(
    direction.map((m) => [m.predicted, evidenceAt(candles, m.predicted)]),
  );
  const runs = (allowShort: boolean): BacktestRuns => {
    const models: Record<string, ReplayResult> = {};
    for (const m of direction) {
      const r = run([m], always, allowShort);
      if (r) models[m.model] = r;
    }
    const ensemble = run(direction, (p) => evidence.get(p) as ReturnType<typeof evidenceAt>, allowShort);
    return { ensemble, models };
  };
  const ensemble = inputs(direction, (p) => evidence.get(p) as ReturnType<typeof evidenceAt>);
  const decided = ensemble
    ? decisionsOf({ candles, sigma, models: ensemble.voters }, ensemble.start, candles.length - 1)
    : [];
  const { signals, calibration } = calibrateHours(candles, ensemble?.start ?? 0, decided);
  return { long_flat: runs(false), long_short: runs(true), signals, calibration };
}
