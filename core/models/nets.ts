// The two tfjs networks (pure builders) and their inference helpers; runs in workerd on the CPU backend.

import type { Candle } from "../candles/types";
import type { LoadedNet } from "./artifact";
import { GruAttention } from "./attention";
import { normalCdf } from "./diebold-mariano";
import { applyScaler, buildFeatures, makeWindows, type Windows } from "./features";
import {
  CNN_CONFIG,
  type CnnConfig,
  GRU_CONFIG,
  type GruConfig,
  INTERVAL_Z,
  NET_SEED,
  type NetKind,
} from "./net-config";
import "./tf-prod";
import * as tf from "@tensorflow/tfjs";

/** [window, features] of one input sample. */
export type NetInputShape = [number, number];

/** Windows predicted per `predict` call: bounds the memory a long backtest takes in a 128 MB isolate. */
const PREDICT_BATCH = 512;

const glorot = (seed: number) => tf.initializers.glorotUniform({ seed });

/** GruAttention (GRU states + additive attention) -> [context, last state] -> dense -> next return. */
export function buildGruAttention(
  inputShape: NetInputShape,
  config: GruConfig = GRU_CONFIG,
  seed = NET_SEED,
) {
  return headed("gru_attention", inputShape, config.denseUnits, seed + 4, (input) =>
    new GruAttention({
      units: config.units,
      attentionUnits: config.attentionUnits,
      seed,
      name: "gru_attention_encoder",
    }).apply(input),
  );
}

/** (conv1d -> max pool) per entry of `filters` -> flatten (keeps where a pattern sits) -> dense -> return. */
export function buildCnnPattern(inputShape: NetInputShape, config: CnnConfig = CNN_CONFIG, seed = NET_SEED) {
  return headed("cnn_pattern", inputShape, config.denseUnits, seed + 100, (input) => {
    let x: tf.SymbolicTensor = input;
    config.filters.forEach((filters, i) => {
      x = tf.layers
        .conv1d({
          filters,
          kernelSize: config.kernelSize,
          padding: "same",
          activation: "relu",
          kernelInitializer: glorot(seed + i),
          name: `conv_${i}`,
        })
        .apply(x) as tf.SymbolicTensor;
      x = tf.layers
        .maxPooling1d({ poolSize: config.poolSize, name: `pool_${i}` })
        .apply(x) as tf.SymbolicTensor;
    });
    return tf.layers.flatten({ name: "flat" }).apply(x);
  });
}

/**
 * The frame both nets share: the input window, the net's own `body`, then the head: a relu dense
 * layer (initialised from `seed`) and one linear unit, the next return (from `seed + 1`).
 */
function headed(
  name: string,
  inputShape: NetInputShape,
  units: number,
  seed: number,
  body: (input: tf.SymbolicTensor) => tf.SymbolicTensor | tf.SymbolicTensor[] | tf.Tensor | tf.Tensor[],
): tf.LayersModel {
  const input = tf.input({ shape: inputShape, name: "window" });
  const hidden = tf.layers
    .dense({ units, activation: "relu", kernelInitializer: glorot(seed), name: "head" })
    .apply(body(input));
  const output = tf.layers
    .dense({ units: 1, kernelInitializer: glorot(seed + 1), name: "next_return" })
    .apply(hidden) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name });
}

export function buildNet(kind: NetKind, inputShape: NetInputShape, seed: number = NET_SEED): tf.LayersModel {
  return kind === "gru_attention"
    ? buildGruAttention(inputShape, GRU_CONFIG, seed)
    : buildCnnPattern(inputShape, CNN_CONFIG, seed);
}

/** The model's outputs for (scaled) windows, times `targetScale`: predicted log returns. */
export function predictReturns(model: tf.LayersModel, windows: Windows, targetScale: number): Float32Array {
  const out = new Float32Array(windows.n);
  const size = windows.window * windows.features;
  for (let start = 0; start < windows.n; start += PREDICT_BATCH) {
    const count = Math.min(PREDICT_BATCH, windows.n - start);
    const values = tf.tidy(() => {
      const x = tf.tensor3d(windows.x.subarray(start * size, (start + count) * size), [
        count,
        windows.window,
        windows.features,
      ]);
      return (model.predict(x) as tf.Tensor).dataSync();
    });
    for (let k = 0; k < count; k++) out[start + k] = values[k] * targetScale;
  }
  return out;
}

/** Scaled windows of `candles` as the trained net sees them; `includeOpen` adds the latest origins. */
export function netWindows(net: LoadedNet, candles: readonly Candle[], includeOpen = false) {
  const table = applyScaler(buildFeatures(candles), net.scaler);
  return { table, windows: makeWindows(table, net.meta.window, net.meta.horizon, includeOpen) };
}

export interface NetBacktest {
  /** Period open of each origin candle; the target close is `horizon` periods later. */
  times: number[];
  closes: number[];
  predicted: Float32Array;
  actual: Float32Array;
}

/** The net's predicted and actual log return at every origin of `candles` whose target is known. */
export function backtestNet(net: LoadedNet, candles: readonly Candle[]): NetBacktest {
  const { table, windows } = netWindows(net, candles);
  return {
    times: windows.origins.map((o) => table.times[o]),
    closes: windows.origins.map((o) => table.closes[o]),
    predicted: predictReturns(net.model, windows, net.meta.targetScale),
    actual: windows.y,
  };
}

export interface NetForecastPoint {
  time: number;
  value: number;
  lower: number;
  upper: number;
}

export interface NetForecast {
  /** Predicted log return over the next period. */
  logReturn: number;
  /** P(next close > last close) if the residual is normal with the validation residual std. */
  probabilityUp: number;
  points: NetForecastPoint[];
}

/**
 * The next close from the latest `window + 1` candles, with a 95% interval from the validation
 * residual std. Steps after the first continue as a random walk from that close (the net predicts
 * one period; rolling it on would mean inventing the high, low and volume of unseen candles), so
 * their value stays flat and their variance grows by the training return variance per step.
 */
export function netForecast(
  net: LoadedNet,
  candles: readonly Candle[],
  steps = 1,
  z: number = INTERVAL_Z,
): NetForecast {
  const { meta } = net;
  if (candles.length < meta.window + 1)
    throw new Error(`need ${meta.window + 1} candles, got ${candles.length}`);
  const recent = candles.slice(-(meta.window + 1));
  const { windows } = netWindows(net, recent, true);
  const logReturn = predictReturns(net.model, windows, meta.targetScale)[windows.n - 1];
  const last = recent[recent.length - 1];
  const points: NetForecastPoint[] = [];
  for (let k = 1; k <= steps; k++) {
    const sigma = Math.sqrt(meta.residualStd ** 2 + (k - 1) * meta.horizon * meta.targetScale ** 2);
    points.push({
      time: last.time + k * meta.horizon * meta.periodSeconds,
      value: last.close * Math.exp(logReturn),
      lower: last.close * Math.exp(logReturn - z * sigma),
      upper: last.close * Math.exp(logReturn + z * sigma),
    });
  }
  return { logReturn, probabilityUp: normalCdf(logReturn / meta.residualStd), points };
}

export { normalCdf };
