// The out-of-sample backtest of an instrument's active model set, computed once when a version becomes
// active (in the trainer's completion request) and stored; the route only reads it. It replays the
// rolling evaluation's forecasts: at each hour every model's forecast comes from its fold model fitted
// before that hour's block, and whether it may vote (and its weight) from its skill and Diebold-Mariano
// p-value on the hours already closed, refreshed daily: nothing after the hour is used.
import type { Candle } from "../../core/candles/types";
import { dieboldMariano } from "../../core/models/diebold-mariano";
import { MODEL_TIMEFRAME } from "../../core/models/model-config";
import { DIRECTION_TYPES, isModelType, MODEL_KINDS } from "../../core/models/registry";
import { evaluationsOf, getBacktest, modelSetKey, saveBacktests } from "../db/backtests";
import type { Db } from "../db/client";
import { activeModels } from "../db/models";
import { ApiError } from "../errors";
import { readChart } from "../market/chart";
import type { StoredProfile } from "../market/store";
import { type ReplayResult, replay } from "./backtest-replay";
import {
  EVIDENCE_MIN_HOURS,
  EVIDENCE_REFRESH_HOURS,
  FEE_BPS,
  INSIGHT_CACHE_SIZE,
  MODEL_PERIOD_SECONDS,
  PERIODS_PER_YEAR,
  REALIZED_VOL_PERIODS,
} from "./insight-config";
import { LruCache } from "./model-cache";

export const DIRECTION_MODELS = DIRECTION_TYPES;
export type DirectionModel = (typeof DIRECTION_MODELS)[number];

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

export const BACKTEST_MODES = ["long_flat", "long_short"] as const;
export type BacktestMode = (typeof BACKTEST_MODES)[number];

export interface BacktestRuns {
  ensemble: ReplayResult | null;
  models: Record<string, ReplayResult>;
}
export type BacktestSet = Record<BacktestMode, BacktestRuns>;

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
  const run = (
    models: Forecasts[],
    evidence: (p: Float64Array) => ReturnType<typeof evidenceAt>,
    allowShort: boolean,
  ) => {
    const starts = models.map((m) => firstForecast(m.predicted)).filter((s) => s >= 0);
    if (starts.length === 0) return null;
    const start = Math.min(...starts);
    if (start >= candles.length - 1) return null;
    const voters = models.map((m) => ({ ...m, ...evidence(m.predicted) }));
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
  return { long_flat: runs(false), long_short: runs(true) };
}

const hourlyPerYear = (profile: { profileType: keyof typeof PERIODS_PER_YEAR }) =>
  (PERIODS_PER_YEAR[profile.profileType] * 86_400) / MODEL_PERIOD_SECONDS;

/** Recomputes and stores the backtest of the profile's active set; called when a version is activated. */
export async function refreshBacktest(
  bucket: R2Bucket,
  db: Db,
  profile: StoredProfile & { profileType: keyof typeof PERIODS_PER_YEAR },
): Promise<void> {
  const rows = await activeModels(db, profile.id);
  const evaluations = await evaluationsOf(
    db,
    rows.map((r) => r.id),
  );
  const key = modelSetKey(rows.map((r) => r.id));
  const typeOf = new Map(rows.map((r) => [r.id, r.modelType]));
  const evaluated = evaluations.map((e) => ({ model: typeOf.get(e.modelId) as string, ...e }));
  const times = evaluated.flatMap((e) => [e.times[0], e.times[e.times.length - 1]]).filter(Number.isFinite);
  if (times.length === 0) return saveBacktests(db, profile.id, key, []);
  const from = Math.min(...times);
  const to = Math.max(...times) + MODEL_PERIOD_SECONDS; // the last forecast's target hour
  const limit = Math.round((to - from) / MODEL_PERIOD_SECONDS) + 1 + REALIZED_VOL_PERIODS;
  const candles = await readChart(bucket, db, profile, MODEL_TIMEFRAME, limit, to);
  const set = buildBacktests(candles, evaluated, hourlyPerYear(profile));
  const rowsOf = (mode: BacktestMode) => {
    const { ensemble, models } = set[mode];
    const runs = Object.entries(models).map(([run, r]) => [mode, run, r] as const);
    return ensemble ? [[mode, "ensemble", ensemble] as const, ...runs] : runs;
  };
  const runs = BACKTEST_MODES.flatMap(rowsOf).map(
    ([mode, run, r]) =>
      [mode, run, r as unknown as Record<string, unknown>] as [string, string, Record<string, unknown>],
  );
  await saveBacktests(db, profile.id, key, runs);
}

// Stored answers by profile, model set, mode and run: a set's backtest is computed once, so an entry
// never goes stale (a new version changes the set's key).
const answers = new LruCache<string, ReplayResult & { symbol: string; computed_at: string }>(
  INSIGHT_CACHE_SIZE,
);

/** The stored backtest of the active set: the ensemble, or one model's own forecasts (`only`). */
export async function storedBacktest(
  db: Db,
  profile: StoredProfile,
  only?: DirectionModel,
  mode: BacktestMode = "long_flat",
) {
  const rows = await activeModels(db, profile.id);
  const direction = rows.filter((r) =>
    only ? r.modelType === only : (DIRECTION_MODELS as readonly string[]).includes(r.modelType),
  );
  if (direction.length === 0) {
    const what = only ? `no active ${only} model` : "no active model that forecasts the direction";
    throw new ApiError(404, "model_not_found", `${profile.symbol} has ${what}`);
  }
  const key = modelSetKey(rows.map((r) => r.id));
  const cacheKey = `${profile.id}|${key}|${mode}|${only ?? "ensemble"}`;
  const hit = answers.get(cacheKey);
  if (hit) return hit;
  const stored = await getBacktest(db, profile.id, key, mode, only ?? "ensemble");
  if (!stored) {
    throw new ApiError(
      409,
      "no_out_of_sample_data",
      "No backtest of the active models is stored: it is computed from their rolling evaluation when a version is trained",
    );
  }
  const answer = {
    symbol: profile.symbol,
    ...(stored.body as unknown as ReplayResult),
    computed_at: stored.computedAt.toISOString(),
  };
  answers.set(cacheKey, answer);
  return answer;
}
