// The out-of-sample backtest of an instrument's active model set, computed once after a version becomes
// active (off the request: models/activation.ts) and stored; the route only reads it. The arithmetic is
// in backtest-build.ts.
import { modelPeriodsPerYear, type ProfileType } from "../../core/instruments";
import { MODEL_TIMEFRAME } from "../../core/models/model-config";
import { DIRECTION_TYPES } from "../../core/models/registry";
import { evaluationsOf, getBacktest, modelSetKey, saveBacktests } from "../db/backtests";
import type { Db } from "../db/client";
import { activeModels } from "../db/models";
import { ApiError } from "../errors";
import { readChart } from "../market/chart";
import type { StoredProfile } from "../market/store";
import { ByteLru, bytesOfJson, CACHE_BYTES } from "../memory";
import { BACKTEST_MODES, type BacktestMode, buildBacktests } from "./backtest-build";
import type { HourSignal, ReplayResult } from "./backtest-replay";
import { MODEL_PERIOD_SECONDS, REALIZED_VOL_PERIODS } from "./insight-config";

export const DIRECTION_MODELS = DIRECTION_TYPES;
export type DirectionModel = (typeof DIRECTION_MODELS)[number];
export { BACKTEST_MODES, type BacktestMode };

/** Recomputes and stores the backtest of the profile's active set (models/activation.ts, after a version
 * became active; the signal history when it finds none). */
export async function refreshBacktest(
  bucket: R2Bucket,
  db: Db,
  profile: StoredProfile & { profileType: ProfileType },
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
  // A set without evaluation forecasts has no backtest: its row of hourly signals is empty.
  if (times.length === 0) return saveIfCurrent(db, profile.id, key, [[...SIGNALS_ROW, packSignals([])]]);
  const from = Math.min(...times);
  const to = Math.max(...times) + MODEL_PERIOD_SECONDS; // the last forecast's target hour
  const limit = Math.round((to - from) / MODEL_PERIOD_SECONDS) + 1 + REALIZED_VOL_PERIODS;
  const candles = await readChart(bucket, db, profile, MODEL_TIMEFRAME, limit, to);
  const set = buildBacktests(candles, evaluated, modelPeriodsPerYear(profile.profileType));
  const rowsOf = (mode: BacktestMode) => {
    const { ensemble, models } = set[mode];
    const runs = Object.entries(models).map(([run, r]) => [mode, run, r] as const);
    return ensemble ? [[mode, "ensemble", ensemble] as const, ...runs] : runs;
  };
  const runs = BACKTEST_MODES.flatMap(rowsOf).map(
    ([mode, run, r]) =>
      [mode, run, r as unknown as Record<string, unknown>] as [string, string, Record<string, unknown>],
  );
  // The ensemble's hourly signals, kept beside the runs for the signal history (one row, any mode), and
  // the calibration of its confidence for the live signal.
  runs.push([...SIGNALS_ROW, packSignals(set.signals)]);
  runs.push([...CALIBRATION_ROW, set.calibration as unknown as Record<string, unknown>]);
  await saveIfCurrent(db, profile.id, key, runs);
}

/** Stores a set's runs unless another set became active while they were computed (its own rebuild
 * follows that activation; an older set's runs must not replace it). */
async function saveIfCurrent(
  db: Db,
  profileId: number,
  key: string,
  runs: Parameters<typeof saveBacktests>[3],
) {
  const now = modelSetKey((await activeModels(db, profileId)).map((r) => r.id));
  if (now === key) await saveBacktests(db, profileId, key, runs);
}

/** Where refreshBacktest keeps the ensemble's hourly signals: [mode, run] of model_backtests. */
export const SIGNALS_ROW = ["signals", "ensemble"] as const;
/** ... and the calibration of the signal's confidence. */
export const CALIBRATION_ROW = ["calibration", "ensemble"] as const;

// Stored as columns (a year-sized set of ~3,200 hours is ~35 KB instead of ~160 KB as objects).
const CODE = { buy: "b", sell: "s", hold: "h" } as const;
const KIND = { b: "buy", s: "sell", h: "hold" } as const;

// Format 2: confidences are calibrated probabilities (null without voters); rows of format 1 held the
// older evidence score and are rebuilt, never shown as a confidence.
const SIGNALS_FORMAT = 2;

function packSignals(signals: readonly HourSignal[]): Record<string, unknown> {
  return {
    format: SIGNALS_FORMAT,
    time: signals.map((s, i) => (i === 0 ? s.time : s.time - signals[i - 1].time)),
    signal: signals.map((s) => CODE[s.signal]).join(""),
    confidence: signals.map((s) => s.confidence),
  };
}

/** The hourly signals of a stored row, or null when the row is missing or not in this shape. */
export function unpackSignals(body: Record<string, unknown> | undefined): HourSignal[] | null {
  const { format, time, signal, confidence } = (body ?? {}) as {
    format?: number;
    time?: number[];
    signal?: string;
    confidence?: (number | null)[];
  };
  if (format !== SIGNALS_FORMAT) return null;
  if (!Array.isArray(time) || typeof signal !== "string" || !Array.isArray(confidence)) return null;
  let t = 0;
  return time.map((d, i) => {
    t = i === 0 ? d : t + d;
    return { time: t, signal: KIND[signal[i] as keyof typeof KIND], confidence: confidence[i] };
  });
}

// Stored answers by profile, model set, mode and run: a set's backtest is computed once, so an entry
// never goes stale (a new version changes the set's key).
const answers = new ByteLru<string, ReplayResult & { symbol: string; computed_at: string }>(
  CACHE_BYTES.backtests,
  bytesOfJson,
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
      "No backtest of the active models is stored: it is computed from their rolling evaluation in the seconds after a version becomes active",
    );
  }
  const body = stored.body as unknown as ReplayResult;
  const answer = {
    symbol: profile.symbol,
    ...body,
    fills: body.fills ?? [], // rows stored before fills were recorded
    computed_at: stored.computedAt.toISOString(),
  };
  answers.set(cacheKey, answer);
  return answer;
}
