// Forecast paths of an instrument's active models from its latest hourly candles, cached until a
// new 1m candle (or a new model version) arrives.
import type { Candle } from "../../core/candles/types";
import { forecastArima } from "../../core/models/arima-forecast";
import { forecastGarch, logReturnsPct } from "../../core/models/garch";
import { INTERVAL_Z, MODEL_TIMEFRAME } from "../../core/models/model-config";
import { netForecast } from "../../core/models/nets";
import type { ForecastPoint } from "../contract";
import type { Db } from "../db/client";
import { activeModels, type ModelRow } from "../db/models";
import { readChart } from "../market/chart";
import type { StoredProfile } from "../market/store";
import {
  FORECAST_STEPS,
  INSIGHT_CACHE_SIZE,
  MODEL_HISTORY_PERIODS,
  MODEL_PERIOD_SECONDS,
  REALIZED_VOL_PERIODS,
} from "./insight-config";
import { type LoadedModel, LruCache, loadModel } from "./model-cache";

export interface ModelOutlook {
  forecast: ForecastPoint[];
  /** Log return from the last close to the next period's forecast value; null for a volatility model. */
  expectedReturn: number | null;
  /** Standard deviation of the next period's log return as the model sees it. */
  sigma: number;
}

export interface ModelPrediction extends ModelOutlook {
  model_type: string;
  version: number;
  trained_at: string | null;
  metrics: ModelRow["metrics"];
}

export interface InstrumentPrediction {
  symbol: string;
  generated_at: string;
  /** Open time and close of the last hourly candle the forecasts start after. */
  last: { time: number; close: number } | null;
  /** Std of the last week's hourly log returns: the volatility when no GARCH model is active. */
  realizedSigma: number | null;
  models: ModelPrediction[];
}

const times = (last: number, steps: number) =>
  Array.from({ length: steps }, (_, k) => last + (k + 1) * MODEL_PERIOD_SECONDS);

/**
 * The next `steps` periods after the last of `candles` (hourly, oldest first; the last one may be the
 * hour in progress, as in training). ARIMA: the median exp(mean) with exp(mean +- z sd) in log space.
 * GARCH forecasts volatility, not direction: the value stays at the last close and the interval widens
 * with the cumulative variance. Nets: their one-step forecast, then a random walk (see netForecast).
 */
export function forecastModel(model: LoadedModel, candles: readonly Candle[], steps: number): ModelOutlook {
  const last = candles[candles.length - 1];
  const closes = candles.map((c) => c.close);
  const at = times(last.time, steps);
  if (model.kind === "arima") {
    const f = forecastArima(model.artifact, closes.map(Math.log), steps);
    return {
      forecast: at.map((time, k) => ({
        time,
        value: Math.exp(f.mean[k]),
        lower: Math.exp(f.lower[k]),
        upper: Math.exp(f.upper[k]),
      })),
      expectedReturn: f.mean[0] - Math.log(last.close),
      sigma: Math.sqrt(f.variance[0]),
    };
  }
  if (model.kind === "garch") {
    const path = forecastGarch(model.artifact, logReturnsPct(closes), steps);
    let cumulative = 0;
    const forecast = at.map((time, k) => {
      cumulative += path[k];
      const half = (INTERVAL_Z * Math.sqrt(cumulative)) / 100;
      return {
        time,
        value: last.close,
        lower: last.close * Math.exp(-half),
        upper: last.close * Math.exp(half),
      };
    });
    return { forecast, expectedReturn: null, sigma: Math.sqrt(path[0]) / 100 };
  }
  const f = netForecast(model.net, candles, steps);
  return { forecast: f.points, expectedReturn: f.logReturn, sigma: model.net.meta.residualStd };
}

/** Sample standard deviation of the last `n` log returns of `closes`, or null with fewer than two. */
export function realizedSigma(closes: readonly number[], n: number): number | null {
  const r = closes.slice(-(n + 1)).flatMap((c, i, a) => (i === 0 ? [] : [Math.log(c / a[i - 1])]));
  if (r.length < 2) return null;
  const mean = r.reduce((s, v) => s + v, 0) / r.length;
  return Math.sqrt(r.reduce((s, v) => s + (v - mean) ** 2, 0) / (r.length - 1));
}

const cache = new LruCache<number, { key: string; value: InstrumentPrediction }>(INSIGHT_CACHE_SIZE);

async function predictOne(bucket: R2Bucket, row: ModelRow, candles: readonly Candle[]) {
  try {
    const outlook = forecastModel(await loadModel(bucket, row), candles, FORECAST_STEPS);
    return {
      model_type: row.modelType,
      version: row.version,
      trained_at: row.trainedAt ? row.trainedAt.toISOString() : null,
      metrics: row.metrics ?? null,
      ...outlook,
    };
  } catch (err) {
    // One unreadable artifact or too short a history must not hide the other models.
    console.error(`model ${row.id} (${row.modelType} v${row.version}) skipped: ${(err as Error).message}`);
    return null;
  }
}

/** Forecasts of every active model of `profile`; recomputed only when a candle or a version changed. */
export async function predictInstrument(
  bucket: R2Bucket,
  db: Db,
  profile: StoredProfile,
): Promise<InstrumentPrediction> {
  const [rows, [minute]] = await Promise.all([
    activeModels(db, profile.id),
    readChart(bucket, db, profile, "1m", 1),
  ]);
  const key = `${profile.symbol}|${rows.map((r) => `${r.id}:${r.version}`).join(",")}|${minute?.time ?? "-"}`;
  const hit = cache.get(profile.id);
  if (hit?.key === key) return hit.value;

  const candles = await readChart(bucket, db, profile, MODEL_TIMEFRAME, MODEL_HISTORY_PERIODS);
  const last = candles.at(-1);
  const models = last ? await Promise.all(rows.map((r) => predictOne(bucket, r, candles))) : [];
  const value: InstrumentPrediction = {
    symbol: profile.symbol,
    generated_at: new Date().toISOString(),
    last: last ? { time: last.time, close: last.close } : null,
    realizedSigma: realizedSigma(
      candles.map((c) => c.close),
      REALIZED_VOL_PERIODS,
    ),
    models: models.filter((m): m is ModelPrediction => m !== null),
  };
  cache.set(profile.id, { key, value });
  return value;
}
