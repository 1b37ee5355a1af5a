// The hourly signals the active models would have given at past hours, each from candles up to its
// hour only. Hours inside the set's rolling evaluation come from the stored backtest (fold models
// fitted before each hour's block, votes from evidence on hours already closed: the decisions the
// backtest traded on). Hours after every model's training window come from the active models
// themselves, through the registry's one-step forecasts, voting by their training evaluation's pooled
// skill and p-value as the live signal does. Hours before the evaluation have no signal.
import type { Candle } from "../../core/candles/types";
import type { ProfileType } from "../../core/instruments";
import { probabilityOf } from "../../core/models/calibration";
import { MODEL_TIMEFRAME } from "../../core/models/model-config";
import { getBacktest, modelSetKey } from "../db/backtests";
import type { Db } from "../db/client";
import { activeModelsMemo, type ModelRow } from "../db/models";
import { readChart } from "../market/chart";
import type { StoredProfile } from "../market/store";
import { ByteLru, bytesOfJson, CACHE_BYTES } from "../memory";
import { refreshBacktest, SIGNALS_ROW, unpackSignals } from "./backtest";
import { realizedSigmas } from "./backtest-build";
import { decisionsOf, type HourSignal } from "./backtest-replay";
import { storedCalibration } from "./calibration-store";
import { MODEL_HISTORY_PERIODS, MODEL_PERIOD_SECONDS } from "./insight-config";
import { loadModel } from "./model-cache";

const HOUR = MODEL_PERIOD_SECONDS;

export interface HistoryPoint extends HourSignal {
  source: "backtest" | "live";
}

type Profile = StoredProfile & { profileType: ProfileType };

// A set's stored signals never change (a new version is a new set key); live hours change only with
// a new closed hour, which is part of their key.
const stored = new ByteLru<string, HourSignal[]>(CACHE_BYTES.signalHistory / 2, bytesOfJson);
const live = new ByteLru<string, HourSignal[]>(CACHE_BYTES.signalHistory / 2, bytesOfJson);

/** The stored backtest's hourly signals of the set; a set stored before they were kept is rebuilt once. */
async function storedSignals(bucket: R2Bucket, db: Db, profile: Profile, key: string) {
  const cacheKey = `${profile.id}|${key}`;
  const hit = stored.get(cacheKey);
  if (hit) return hit;
  const read = async () => {
    const row = await getBacktest(db, profile.id, key, ...SIGNALS_ROW);
    return unpackSignals(row?.body);
  };
  let signals = await read();
  if (!signals) {
    await refreshBacktest(bucket, db, profile);
    signals = (await read()) ?? [];
  }
  stored.set(cacheKey, signals);
  return signals;
}

/** Open of the first hour no active model was fitted on or evaluated through: the live models' turn. */
function liveFrom(rows: readonly ModelRow[], backtest: readonly HourSignal[]) {
  const seen = rows.map((r) =>
    r.trainedOn ? r.trainedOn.to : r.trainedAt ? Math.floor(r.trainedAt.getTime() / 1000 / HOUR) * HOUR : 0,
  );
  const last = backtest.at(-1);
  return Math.max(last ? last.time + HOUR : 0, ...seen);
}

const constant = (n: number, v: unknown) =>
  new Float64Array(n).fill(typeof v === "number" && Number.isFinite(v) ? v : Number.NaN);

/**
 * The active models' signals at the closed hours `start`..`end` (period opens): each hour's forecasts
 * come from the candles up to its close, after MODEL_HISTORY_PERIODS hours of history.
 */
async function liveSignals(
  bucket: R2Bucket,
  db: Db,
  profile: Profile,
  rows: readonly ModelRow[],
  start: number,
  end: number,
) {
  const key = `${profile.id}|${modelSetKey(rows.map((r) => r.id))}|${start}|${end}`;
  const hit = live.get(key);
  if (hit) return hit;
  const limit = Math.round((end - start) / HOUR) + 1 + MODEL_HISTORY_PERIODS;
  const candles = (await readChart(bucket, db, profile, MODEL_TIMEFRAME, limit, end)).filter(
    (c) => c.time <= end,
  );
  const first = candles.findIndex((c) => c.time >= start);
  if (first < 0) return [];
  // One-step forecasts are NaN at the last index (no next close to score); a placeholder next candle
  // lets the models forecast from the last closed hour. By the OneStep contract, the forecast at i
  // reads candles[0..i] only, so the placeholder never enters a signal.
  const last = candles[candles.length - 1];
  const padded: Candle[] = [...candles, { ...last, time: last.time + HOUR }];
  let sigma = realizedSigmas(padded);
  const models = [];
  for (const row of rows) {
    let loaded: Awaited<ReturnType<typeof loadModel>>;
    try {
      loaded = await loadModel(bucket, row);
    } catch (err) {
      console.error(`model ${row.id} skipped in the signal history: ${(err as Error).message}`);
      continue;
    }
    const f = loaded.kind.oneStep(loaded.model, padded, first);
    if (loaded.kind.volatility) {
      const realized = sigma;
      sigma = f.sigma.map((s, i) => (Number.isFinite(s) ? s : realized[i]));
    }
    if (loaded.kind.direction) {
      const n = padded.length;
      models.push({
        model: row.modelType,
        predicted: f.mean,
        skill: constant(n, row.metrics?.skill),
        pValue: constant(n, row.metrics?.dm_pvalue),
      });
    }
  }
  const fit = (await storedCalibration(bucket, db, profile, rows))?.fit ?? null;
  const signals = decisionsOf({ candles: padded, models, sigma }, first, candles.length).map((d) => ({
    time: d.time,
    signal: d.signal,
    confidence: fit && d.score !== null ? Math.round(probabilityOf(fit, d.score) * 1e4) / 1e4 : null,
  }));
  live.set(key, signals);
  return signals;
}

/** Signals of the hours whose candles open in [from, to], oldest first, and where the live part starts. */
export async function signalHistory(bucket: R2Bucket, db: Db, profile: Profile, from: number, to: number) {
  const rows = await activeModelsMemo(db, profile.id);
  const backtest = await storedSignals(bucket, db, profile, modelSetKey(rows.map((r) => r.id)));
  const boundary = liveFrom(rows, backtest);
  const points: HistoryPoint[] = backtest
    .filter((s) => s.time >= from && s.time <= to && s.time < boundary)
    .map((s) => ({ ...s, source: "backtest" }));
  // Only closed hours: the one still forming has no close to decide at.
  const [minute] = await readChart(bucket, db, profile, "1m", 1);
  const lastClosed = minute ? Math.floor((minute.time + 60) / HOUR) * HOUR - HOUR : null;
  const start = Math.ceil(Math.max(from, boundary) / HOUR) * HOUR;
  const end = lastClosed === null ? null : Math.min(to, lastClosed);
  if (end !== null && start <= end && rows.length > 0) {
    for (const s of await liveSignals(bucket, db, profile, rows, start, end))
      points.push({ ...s, source: "live" });
  }
  return { points, liveFrom: boundary };
}
