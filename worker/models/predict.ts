// Forecast paths of an instrument's active models from its hourly candles up to the last CLOSED hour
// (a forecast is made at an hour's close, never from a half-formed hour), so they change once an hour
// or with a new model version: keyed by both. The ledger (worker/ledger/) records them before serving.
import type { Candle } from "../../core/candles/types";
import type { ForecastPoint, ModelOutlook } from "../../core/models/kinds/types";
import { MODEL_TIMEFRAME } from "../../core/models/model-config";
import { ewmaSigmas } from "../../core/models/volatility";
import { untilAdmitted } from "../admission";
import type { Db } from "../db/client";
import type { ModelRow } from "../db/models";
import { readChart } from "../market/chart";
import { dataVersion } from "../market/chart-cache";
import type { StoredProfile } from "../market/store";
import { ByteLru, bytesOfJson, CACHE_BYTES } from "../memory";
import { FORECAST_STEPS, MODEL_HISTORY_PERIODS, REALIZED_VOL_PERIODS } from "./insight-config";
import { type LoadedModel, loadModel } from "./model-cache";

export type { ForecastPoint, ModelOutlook };

export interface ModelPrediction extends ModelOutlook {
  model_type: string;
  version: number;
  trained_at: string | null;
  metrics: ModelRow["metrics"];
  artifact_sha256: string | null;
}

export interface InstrumentPrediction {
  symbol: string;
  generated_at: string;
  /** Open time and close of the last closed hourly candle the forecasts start after. */
  last: { time: number; close: number } | null;
  /** Std of the last week's hourly log returns: the volatility when no GARCH model is active. */
  realizedSigma: number | null;
  /** RiskMetrics' EWMA sd of the next hourly log return: a volatility model's benchmark. */
  ewmaSigma: number | null;
  models: ModelPrediction[];
}

/** The next `steps` periods after the last of `candles` (hourly, oldest first), by the model's kind. */
export const forecastModel = (m: LoadedModel, candles: readonly Candle[], steps: number): ModelOutlook =>
  m.kind.forecast(m.model, candles, steps, m.bandZ);

/** Sample standard deviation of the last `n` log returns of `closes`, or null with fewer than two. */
export function realizedSigma(closes: readonly number[], n: number): number | null {
  const r = closes.slice(-(n + 1)).flatMap((c, i, a) => (i === 0 ? [] : [Math.log(c / a[i - 1])]));
  if (r.length < 2) return null;
  const mean = r.reduce((s, v) => s + v, 0) / r.length;
  return Math.sqrt(r.reduce((s, v) => s + (v - mean) ** 2, 0) / (r.length - 1));
}

const cache = new ByteLru<number, { key: string; value: InstrumentPrediction }>(
  CACHE_BYTES.forecasts,
  bytesOfJson,
);

async function predictOne(bucket: R2Bucket, row: ModelRow, candles: readonly Candle[]) {
  try {
    const outlook = forecastModel(await loadModel(bucket, row), candles, FORECAST_STEPS);
    return {
      model_type: row.modelType,
      version: row.version,
      trained_at: row.trainedAt ? row.trainedAt.toISOString() : null,
      metrics: row.metrics ?? null,
      artifact_sha256: row.artifactSha256,
      ...outlook,
    };
  } catch (err) {
    // One unreadable artifact or too short a history must not hide the other models.
    console.error(`model ${row.id} (${row.modelType} v${row.version}) skipped: ${(err as Error).message}`);
    return null;
  }
}

const SHARED_ORIGIN = "https://predictions.moneymoney.internal";
const sharedUrl = (key: string) => `${SHARED_ORIGIN}/${encodeURIComponent(key)}`;

/** The newest stored minute of `profile` (D1's recent rows, else the archive), or null with none. */
export async function newestMinute(bucket: R2Bucket, db: Db, profile: StoredProfile): Promise<number | null> {
  const v = await dataVersion(db.$client, profile.symbol);
  if (v.recent.last !== null) return v.recent.last;
  const [minute] = await readChart(bucket, db, profile, "1m", 1);
  return minute?.time ?? null;
}

/**
 * Forecasts of the active models `rows` of `profile` made at the close of hour `origin` (its open):
 * kept per isolate and in the Cache API under the set and the hour, so a new isolate (a cold start)
 * answers from the location's cache without loading a model when any isolate already forecast it.
 */
export async function predictInstrument(
  bucket: R2Bucket,
  db: Db,
  profile: StoredProfile,
  rows: readonly ModelRow[],
  origin: number,
  waitUntil: (p: Promise<unknown>) => void = () => {},
): Promise<InstrumentPrediction> {
  const key = `${profile.symbol}|${rows.map((r) => `${r.id}:${r.version}`).join(",")}|${origin}`;
  const hit = cache.get(profile.id);
  if (hit?.key === key) return hit.value;
  await untilAdmitted(); // what follows reads the Cache API or runs the models
  const shared = await caches.default.match(sharedUrl(key)).catch(() => undefined);
  if (shared) {
    const value = (await shared.json()) as InstrumentPrediction;
    cache.set(profile.id, { key, value });
    return value;
  }

  const candles = await readChart(bucket, db, profile, MODEL_TIMEFRAME, MODEL_HISTORY_PERIODS, origin);
  const last = candles.at(-1);
  const models = last ? await Promise.all(rows.map((r) => predictOne(bucket, r, candles))) : [];
  const closes = candles.map((c) => c.close);
  const ewma = ewmaSigmas(closes).at(-1);
  const value: InstrumentPrediction = {
    symbol: profile.symbol,
    generated_at: new Date().toISOString(),
    last: last ? { time: last.time, close: last.close } : null,
    realizedSigma: realizedSigma(closes, REALIZED_VOL_PERIODS),
    ewmaSigma: ewma !== undefined && ewma > 0 ? ewma : null,
    models: models.filter((m): m is ModelPrediction => m !== null),
  };
  cache.set(profile.id, { key, value });
  const res = new Response(JSON.stringify(value), {
    headers: { "content-type": "application/json", "cache-control": "public, max-age=3600" },
  });
  waitUntil(caches.default.put(sharedUrl(key), res).catch(() => {}));
  return value;
}
