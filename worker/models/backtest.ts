// Out-of-sample backtest of an instrument's signals: every model's one-step forecasts at every hour
// after the candles it was fitted on, replayed through the same signal rule as /signals.
import type { Candle } from "../../core/candles/types";
import { MODEL_TIMEFRAME } from "../../core/models/model-config";
import { DIRECTION_TYPES, isModelType, MODEL_KINDS } from "../../core/models/registry";
import type { Db } from "../db/client";
import { activeModels, type ModelRow } from "../db/models";
import { ApiError } from "../errors";
import { readChart } from "../market/chart";
import type { StoredProfile } from "../market/store";
import { replay } from "./backtest-replay";
import {
  FEE_BPS,
  INSIGHT_CACHE_SIZE,
  MODEL_HISTORY_PERIODS,
  MODEL_PERIOD_SECONDS,
  PERIODS_PER_YEAR,
  REALIZED_VOL_PERIODS,
} from "./insight-config";
import { type LoadedModel, LruCache, loadModel } from "./model-cache";
import { mayVote, voteOf } from "./signals";

export const DIRECTION_MODELS = DIRECTION_TYPES;
export type DirectionModel = (typeof DIRECTION_MODELS)[number];

/** Predicted next log return at every origin index of `candles` (NaN where the model has none). */
export const predictedReturns = (m: LoadedModel, candles: readonly Candle[]) =>
  m.kind.oneStep(m.model, candles, 0).mean;

/** Next-period sd of the log return at every origin: the volatility model's, else last week's returns. */
export function originSigmas(volatility: LoadedModel | null, candles: readonly Candle[]): Float64Array {
  if (volatility) return volatility.kind.oneStep(volatility.model, candles, 0).sigma;
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

const isVolatility = (row: ModelRow) => isModelType(row.modelType) && MODEL_KINDS[row.modelType].volatility;
const voteFields = (row: ModelRow) => {
  const { skill, pValue } = voteOf(row.modelType, 0, row.metrics ?? null);
  return { skill, pValue };
};
const trainedTo = (row: ModelRow) => {
  const to = row.trainedOn?.to;
  return typeof to === "number" ? to : Number.POSITIVE_INFINITY;
};

const cache = new LruCache<string, { key: string; value: ReturnType<typeof replay> }>(INSIGHT_CACHE_SIZE);

/**
 * The signal ensemble (or one model, `only`, on its own forecasts whatever its skill) replayed over the
 * hours after the latest candle any of its models was fitted on (the shipped models are fitted on every
 * candle the trainer read, so this span starts at the training and grows by an hour each hour). The
 * vote rule and weights are /signals': pooled rolling skill > 0 and DM p < 0.10, weighted by skill.
 */
export async function backtestInstrument(
  bucket: R2Bucket,
  db: Db,
  profile: StoredProfile & { profileType: keyof typeof PERIODS_PER_YEAR },
  only?: DirectionModel,
) {
  const [rows, [minute]] = await Promise.all([
    activeModels(db, profile.id),
    readChart(bucket, db, profile, "1m", 1),
  ]);
  const direction = rows.filter((r) =>
    only ? r.modelType === only : (DIRECTION_MODELS as readonly string[]).includes(r.modelType),
  );
  if (direction.length === 0) {
    const what = only ? `no active ${only} model` : "no active model that forecasts the direction";
    throw new ApiError(404, "model_not_found", `${profile.symbol} has ${what}`);
  }
  // Models that may not vote (as in /signals) need not run.
  const voting = only ? direction : direction.filter((r) => mayVote(voteFields(r)));
  const garchRow = rows.find(isVolatility) ?? null;
  const used = garchRow ? [...voting, garchRow] : voting;
  const key = `${rows.map((r) => r.id).join(",")}|${minute?.time ?? "-"}`;
  const hit = cache.get(`${profile.id}|${only ?? "ensemble"}`);
  if (hit?.key === key) return { symbol: profile.symbol, ...hit.value };

  const candles = await readChart(bucket, db, profile, MODEL_TIMEFRAME, MODEL_HISTORY_PERIODS);
  const fittedUpTo = Math.max(...used.map(trainedTo));
  const start = candles.findIndex((c) => c.time > fittedUpTo);
  if (start < 0 || start >= candles.length - 1) {
    throw new ApiError(
      409,
      "no_out_of_sample_data",
      "No hour after the models' training window has closed yet",
    );
  }
  const [loaded, garch] = await Promise.all([
    Promise.all(voting.map((r) => loadModel(bucket, r))),
    garchRow ? loadModel(bucket, garchRow) : null,
  ]);
  const models = voting.map((r, k) => ({
    model: r.modelType,
    predicted: predictedReturns(loaded[k], candles),
    ...(only ? { skill: 1, pValue: 0 } : voteFields(r)),
  }));
  const value = replay({
    candles,
    start,
    models,
    sigma: originSigmas(garch, candles),
    feeBps: FEE_BPS,
    periodsPerYear: (PERIODS_PER_YEAR[profile.profileType] * 86_400) / MODEL_PERIOD_SECONDS,
  });
  cache.set(`${profile.id}|${only ?? "ensemble"}`, { key, value });
  return { symbol: profile.symbol, ...value };
}
