// One model type from hourly candles to what the Worker stores: the rolling-origin evaluation (the
// kind refitted at each origin), then the model fitted on every candle with its band calibrated on the
// evaluation's residuals, its artifact, parameters and metrics. The kind's module does the modelling.
import { createHash } from "node:crypto";
import type { Candle } from "../core/candles/types";
import { MODEL_TIMEFRAME } from "../core/models/model-config";
import type { NetKind } from "../core/models/net-config";
import { kindOf, type ModelType } from "../core/models/registry";
import { type OutOfSample, type RollingResult, rollingEvaluation } from "../core/models/rolling";
import { backendForNet } from "./backend";
import { FitPool, fitThreads } from "./fit-pool";

export interface TrainedModel {
  artifact: Uint8Array;
  sha256: string;
  trained_on: { timeframe: string; from: number; to: number };
  parameters: Record<string, unknown>;
  metrics: RollingResult["metrics"];
  /** The evaluation's one-step forecasts: origin period opens, log returns and sds (9 digits). */
  evaluation: { times: number[]; mean: number[]; sigma: number[] };
}

export type Progress = (fraction: number, message: string) => Promise<void>;

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

const digits = (x: number) => Number(x.toPrecision(9));

function evaluationForecasts(candles: readonly Candle[], oos: OutOfSample) {
  const out = { times: [] as number[], mean: [] as number[], sigma: [] as number[] };
  oos.mean.forEach((m, i) => {
    if (!Number.isFinite(m) || !(oos.sigma[i] > 0)) return;
    out.times.push(candles[i].time);
    out.mean.push(digits(m));
    out.sigma.push(digits(oos.sigma[i]));
  });
  return out;
}

/** Kinds whose fits take seconds each: their origins run on the fit threads. GARCH's take ~20 ms. */
const PARALLEL_KINDS: readonly ModelType[] = ["arima", "gru_attention", "cnn_pattern"];

/** Share of the progress bar the rolling evaluation takes; the final fit takes the rest. */
const EVAL_SHARE = 0.75;

export async function trainModel(
  type: ModelType,
  candles: readonly Candle[],
  progress: Progress,
): Promise<TrainedModel> {
  const kind = kindOf(type);
  const backend = kind.tfjs ? await backendForNet(type as NetKind) : null;
  if (backend) await progress(0.01, `training ${type} on the ${backend} backend`);
  const threads = PARALLEL_KINDS.includes(type) ? fitThreads() : 0;
  const { evaluation, model } = threads
    ? await fitInParallel(type, candles, progress, threads)
    : await fitInTurn(type, candles, progress);
  try {
    const artifact = await kind.encode(model, evaluation.bandZ);
    return {
      artifact,
      sha256: sha256(artifact),
      trained_on: { timeframe: MODEL_TIMEFRAME, from: candles[0].time, to: candles[candles.length - 1].time },
      parameters: { ...kind.parameters(model), band_z: evaluation.bandZ },
      metrics: evaluation.metrics,
      evaluation: evaluationForecasts(candles, evaluation.oos),
    };
  } finally {
    kind.dispose(model);
  }
}

type Fitted = { evaluation: RollingResult; model: unknown };

/** The origins one after another, then the shipped model, all on this thread. */
async function fitInTurn(type: ModelType, candles: readonly Candle[], progress: Progress): Promise<Fitted> {
  const kind = kindOf(type);
  const evaluation = await rollingEvaluation(kind, candles, (f, m) =>
    progress(0.02 + EVAL_SHARE * f, `evaluation ${m}`),
  );
  const { skill, dm_pvalue } = evaluation.metrics;
  await progress(
    0.02 + EVAL_SHARE,
    `evaluated: skill ${skill?.toFixed(4)}, DM p ${dm_pvalue?.toFixed(3)}; fitting on all ${candles.length} candles`,
  );
  const model = await kind.fit(candles, (f, m) => progress(0.02 + EVAL_SHARE + (0.93 - EVAL_SHARE) * f, m));
  return { evaluation, model };
}

/**
 * The origins on `threads` worker threads while this thread fits the shipped model, then takes the
 * origins still queued. Each fit is seeded and independent, so the numbers are those of fitInTurn.
 */
async function fitInParallel(
  type: ModelType,
  candles: readonly Candle[],
  progress: Progress,
  threads: number,
): Promise<Fitted> {
  const kind = kindOf(type);
  // Progress is the mean of the parts' fractions: every origin and the shipped model.
  const parts = new Array<number>(kind.folds + 1).fill(0);
  const report = (part: number, fraction: number, message: string) => {
    parts[part] = Math.max(parts[part], fraction);
    const done = parts.reduce((a, b) => a + b, 0) / parts.length;
    return progress(
      0.02 + 0.91 * done,
      part < kind.folds ? `origin ${part + 1}: ${message}` : `final fit: ${message}`,
    );
  };
  const pool = new FitPool(type, candles, report, threads);
  const evaluation = rollingEvaluation(kind, candles, async () => {}, pool.runner);
  evaluation.catch(() => {}); // awaited below; a failed origin must not surface before then
  const model = await kind.fit(candles, (f, m) => report(kind.folds, f, m));
  try {
    await pool.helpLocally();
    return { evaluation: await evaluation, model };
  } catch (err) {
    kind.dispose(model);
    throw err;
  }
}
