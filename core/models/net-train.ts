// Trains gru_attention / cnn_pattern on hourly candles: time-ordered validation split, scaler fitted
// on the training rows only, seeded shuffles, early stopping on validation loss (best weights kept).
import "./tf-prod";
import * as tf from "@tensorflow/tfjs";
import type { Candle } from "../candles/types";
import type { LoadedNet, NetMeta } from "./artifact";
import { applyScaler, buildFeatures, FEATURE_NAMES, fitScaler, makeWindows, type Windows } from "./features";
import {
  CNN_CONFIG,
  type CnnConfig,
  GRU_CONFIG,
  type GruConfig,
  NET_HORIZON,
  NET_PERIOD_SECONDS,
  NET_SEED,
  NET_TIMEFRAME,
  NET_WINDOW,
  type NetKind,
  TRAIN_CONFIG,
  type TrainConfig,
} from "./net-config";
import { fusedGruLearner, huber, tfjsLearner } from "./net-learners";
import { buildCnnPattern, buildGruAttention, predictReturns } from "./nets";

export interface TrainProgress {
  epoch: number;
  maxEpochs: number;
  loss: number;
  validationLoss: number;
  bestEpoch: number;
}

export interface TrainNetOptions {
  window?: number;
  horizon?: number;
  seed?: number;
  hyper?: GruConfig | CnnConfig;
  train?: Partial<TrainConfig>;
  onProgress?: (progress: TrainProgress) => void | Promise<void>;
}

/** Fits a net on `candles` (NET_TIMEFRAME bars, oldest first); the last validationFraction of windows validate. */
export async function trainNet(
  kind: NetKind,
  candles: readonly Candle[],
  options: TrainNetOptions = {},
): Promise<LoadedNet> {
  const started = performance.now();
  const window = options.window ?? NET_WINDOW;
  const horizon = options.horizon ?? NET_HORIZON;
  const seed = options.seed ?? NET_SEED;
  const train = { ...TRAIN_CONFIG, ...options.train };
  const hyper = options.hyper ?? (kind === "gru_attention" ? GRU_CONFIG : CNN_CONFIG);

  const raw = buildFeatures(candles);
  const total = raw.X.length - horizon - window + 1;
  const nValidation = Math.round(total * train.validationFraction);
  const nTrain = total - nValidation;
  if (nTrain < 1 || nValidation < 1)
    throw new Error(`too few candles (${candles.length}) for window ${window}`);
  // The scaler sees only rows up to the last training origin: no validation row leaks into it.
  const scaler = fitScaler(raw.X.slice(0, window - 1 + nTrain));
  const windows = makeWindows(applyScaler(raw, scaler), window, horizon);
  const targetScale = scaler.std[0] * Math.sqrt(horizon);
  const trainSet = slice(windows, 0, nTrain);
  const validation = slice(windows, nTrain, total);

  const inputShape: [number, number] = [window, windows.features];
  const model =
    kind === "gru_attention"
      ? buildGruAttention(inputShape, hyper as GruConfig, seed)
      : buildCnnPattern(inputShape, hyper as CnnConfig, seed);
  const delta = train.huberDelta;
  model.compile({
    optimizer: tf.train.adam(train.learningRate),
    loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.huberLoss(yTrue, yPred, undefined, delta),
  });
  const learner =
    kind === "gru_attention"
      ? fusedGruLearner(
          model,
          { window, features: windows.features, ...(hyper as GruConfig) },
          train.batchSize,
          train.learningRate,
          delta,
        )
      : tfjsLearner(model, train.batchSize);

  const random = mulberry32(seed);
  let best = { loss: Number.POSITIVE_INFINITY, epoch: 0, trainLoss: 0 };
  let epoch = 0;
  while (epoch < train.maxEpochs && epoch - best.epoch < train.patience) {
    epoch++;
    const trainLoss = await learner.epoch(trainSet, shuffled(trainSet.n, random), targetScale);
    const predicted = learner.predict(validation, targetScale);
    const validationLoss = huberMean(validation.y, predicted, targetScale, delta);
    if (validationLoss < best.loss * (1 - train.minDelta)) {
      learner.keep();
      best = { loss: validationLoss, epoch, trainLoss };
    }
    await options.onProgress?.({
      epoch,
      maxEpochs: train.maxEpochs,
      loss: trainLoss,
      validationLoss,
      bestEpoch: best.epoch,
    });
    await new Promise((resolve) => setTimeout(resolve, 0)); // let progress uploads and heartbeats run
  }
  learner.restore();

  const predicted = predictReturns(model, validation, targetScale);
  let squared = 0;
  for (let k = 0; k < validation.n; k++) squared += (validation.y[k] - predicted[k]) ** 2;
  const meta: NetMeta = {
    kind,
    timeframe: NET_TIMEFRAME,
    periodSeconds: NET_PERIOD_SECONDS,
    window,
    horizon,
    featureNames: [...FEATURE_NAMES],
    targetScale,
    residualStd: Math.sqrt(squared / validation.n),
    training: {
      hyper,
      train,
      seed,
      backend: tf.getBackend(),
      epochs: epoch,
      bestEpoch: best.epoch,
      seconds: (performance.now() - started) / 1000,
      nTrain,
      nValidation,
      trainLoss: best.trainLoss,
      validationLoss: best.loss,
      from: candles[0].time,
      to: candles[candles.length - 1].time,
    },
  };
  return { model, scaler, meta };
}

function slice(w: Windows, from: number, to: number): Windows {
  const size = w.window * w.features;
  return {
    n: to - from,
    window: w.window,
    features: w.features,
    x: w.x.subarray(from * size, to * size),
    y: w.y.subarray(from, to),
    origins: w.origins.slice(from, to),
  };
}

/** The training loss (Huber on targets in units of targetScale) of log-return predictions. */
function huberMean(
  actual: Float32Array,
  predicted: Float32Array,
  targetScale: number,
  delta: number,
): number {
  let sum = 0;
  for (let k = 0; k < actual.length; k++) sum += huber((actual[k] - predicted[k]) / targetScale, delta);
  return sum / actual.length;
}

function shuffled(n: number, random: () => number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** Small seeded PRNG (mulberry32): tfjs shuffles with Math.random, which cannot be seeded. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
