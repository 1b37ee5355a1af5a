// One model type from hourly candles to what the Worker stores: the artifact, the window it was fitted
// on, its parameters and its out-of-sample metrics against the naive forecast on the held-out tail.
import { createHash } from "node:crypto";
import type { Candle } from "../core/candles/types";
import { selectArima } from "../core/models/arima";
import { arimaParameters } from "../core/models/arima-forecast";
import { serializeNet } from "../core/models/artifact";
import {
  enoughToTrain,
  evaluateArima,
  evaluateGarch,
  type GarchMetrics,
  minTrainingCandles,
  type PointMetrics,
  pointMetrics,
  testStartIndex,
} from "../core/models/evaluate";
import { fitGarch, garchParameters, logReturnsPct } from "../core/models/garch";
import { EVAL_HORIZON, MODEL_TIMEFRAME } from "../core/models/model-config";
import type { ArimaArtifact, GarchArtifact, ModelType } from "../core/models/model-types";
import { backtestNet } from "../core/models/nets";
import { backendForNet } from "./backend";
import { trainNet } from "./models/train-net";

export interface TrainedModel {
  artifact: Uint8Array;
  sha256: string;
  trained_on: { timeframe: string; from: number; to: number };
  parameters: Record<string, unknown>;
  metrics: PointMetrics | GarchMetrics;
}

export type Progress = (fraction: number, message: string) => Promise<void>;

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

export async function trainModel(
  type: ModelType,
  candles: readonly Candle[],
  progress: Progress,
): Promise<TrainedModel> {
  const times = candles.map((c) => c.time);
  const closes = candles.map((c) => c.close);
  const testStart = testStartIndex(candles.length);
  if (!enoughToTrain(candles.length)) {
    throw new Error(
      `too few ${MODEL_TIMEFRAME} candles to train and test (${candles.length} of ${minTrainingCandles()}); collect more days`,
    );
  }
  const trained_on = { timeframe: MODEL_TIMEFRAME, from: times[0], to: times[testStart - 1] };
  const train = closes.slice(0, testStart);
  let artifact: Uint8Array;
  let parameters: Record<string, unknown>;
  let metrics: PointMetrics | GarchMetrics;

  if (type === "arima") {
    await progress(0.1, `selecting the ARIMA order on ${train.length} hourly log closes`);
    const { fit } = selectArima(train.map(Math.log));
    await progress(0.8, `ARIMA(${fit.order.join(",")}) fitted; walk-forward evaluation`);
    metrics = { ...evaluateArima(fit, times, closes, testStart, EVAL_HORIZON) };
    parameters = arimaParameters(fit);
    artifact = json({
      kind: "arima",
      order: fit.order,
      ar: fit.ar,
      ma: fit.ma,
      const: fit.const,
      sigma2: fit.sigma2,
    } satisfies ArimaArtifact);
  } else if (type === "garch") {
    await progress(0.1, `fitting GARCH(1,1) on ${train.length - 1} hourly returns`);
    const fit = fitGarch(logReturnsPct(train));
    metrics = { ...evaluateGarch(fit, times, closes, testStart, EVAL_HORIZON) };
    parameters = garchParameters(fit);
    const { mu, omega, alpha, beta, backcast } = fit;
    artifact = json({ kind: "garch", mu, omega, alpha, beta, backcast } satisfies GarchArtifact);
  } else {
    const backend = await backendForNet(type);
    await progress(0.05, `training ${type} on the ${backend} backend`);
    const net = await trainNet(type, candles.slice(0, testStart), {
      onProgress: (p) =>
        progress(
          0.05 + 0.85 * (p.epoch / p.maxEpochs),
          `epoch ${p.epoch}: val loss ${p.validationLoss.toFixed(4)}`,
        ),
    });
    // Predictions for every origin whose target lies in the held-out tail (windows may reach back into training).
    // Only the windows that reach the test tail: the same predictions for a fifth of the work.
    const bt = backtestNet(
      net,
      candles.slice(Math.max(0, testStart - net.meta.window - net.meta.horizon - 1)),
    );
    const predictions = new Float64Array(candles.length).fill(Number.NaN);
    const index = new Map(times.map((t, i) => [t, i]));
    bt.times.forEach((t, k) => {
      const j = index.get(t)! + net.meta.horizon;
      predictions[j] = bt.closes[k] * Math.exp(bt.predicted[k]);
    });
    metrics = {
      ...pointMetrics({
        timeframe: MODEL_TIMEFRAME,
        horizon: net.meta.horizon,
        times,
        closes,
        predictions,
        testFrom: times[testStart],
        testTo: times[times.length - 1],
      }),
    };
    const { training, window, featureNames, residualStd } = net.meta;
    parameters = {
      window,
      features: featureNames,
      ...training.hyper,
      epochs: training.epochs,
      best_epoch: training.bestEpoch,
      backend: training.backend,
      seed: training.seed,
      batch_size: training.train.batchSize,
      learning_rate: training.train.learningRate,
      train_seconds: training.seconds,
      residual_std: residualStd,
    };
    artifact = await serializeNet(net.model, net.scaler, net.meta);
    net.model.dispose();
  }
  return { artifact, sha256: sha256(artifact), trained_on, parameters, metrics };
}
