// Model artifacts with known numbers for the insight route tests.
import * as tf from "@tensorflow/tfjs";
import type { Candle } from "../../core/candles/types";
import { type NetMeta, serializeNet } from "../../core/models/artifact";
import { buildFeatures, FEATURE_NAMES, fitScaler } from "../../core/models/features";
import { CNN_CONFIG, NET_WINDOW, TRAIN_CONFIG } from "../../core/models/net-config";
import { buildNet } from "../../core/models/nets";

/** ARIMA(1,1,0) with drift on the log close: a 0.3% hourly drift makes the next-hour return a buy. */
export const ARIMA = { kind: "arima", order: [1, 1, 0], ar: [0.1], ma: [], const: 0.003, sigma2: 2e-5 };

/** GARCH(1,1) on percent log returns with a stored backcast (percent^2). */
export const GARCH = { kind: "garch", mu: 0.001, omega: 0.02, alpha: 0.1, beta: 0.8, backcast: 0.2 };

/** An untrained (seeded) CNN with a scaler fitted on `hourly`: real weights, arbitrary predictions. */
export async function netArtifact(hourly: readonly Candle[]): Promise<Uint8Array> {
  await tf.setBackend("cpu");
  const model = buildNet("cnn_pattern", [NET_WINDOW, FEATURE_NAMES.length]);
  const meta: NetMeta = {
    kind: "cnn_pattern",
    timeframe: "1h",
    periodSeconds: 3600,
    window: NET_WINDOW,
    horizon: 1,
    featureNames: [...FEATURE_NAMES],
    targetScale: 0.004,
    residualStd: 0.005,
    training: {
      hyper: CNN_CONFIG,
      train: TRAIN_CONFIG,
      seed: 1,
      backend: "cpu",
      epochs: 0,
      bestEpoch: 0,
      seconds: 0,
      nTrain: 0,
      nValidation: 0,
      trainLoss: 0,
      validationLoss: 0,
      from: hourly[0].time,
      to: hourly[hourly.length - 1].time,
    },
  };
  const bytes = await serializeNet(model, fitScaler(buildFeatures(hourly).X), meta);
  model.dispose();
  return bytes;
}
