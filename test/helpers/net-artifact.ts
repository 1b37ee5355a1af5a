// A net artifact with seeded, untrained weights and a scaler fitted on `hourly`: real bytes the Worker
// decodes and runs, with arbitrary forecasts (the insight tests, the ledger benchmark's instruments).
import * as tf from "@tensorflow/tfjs";
import type { Candle } from "../../core/candles/types";
import { type NetMeta, serializeNet } from "../../core/models/artifact";
import { buildFeatures, FEATURE_NAMES, fitScaler } from "../../core/models/features";
import { CNN_CONFIG, GRU_CONFIG, NET_WINDOW, TRAIN_CONFIG } from "../../core/models/net-config";
import { buildNet } from "../../core/models/nets";

export async function seededNetArtifact(
  kind: "cnn_pattern" | "gru_attention",
  hourly: readonly Candle[],
): Promise<Uint8Array> {
  await tf.setBackend("cpu");
  const model = buildNet(kind, [NET_WINDOW, FEATURE_NAMES.length]);
  const meta: NetMeta = {
    kind,
    timeframe: "1h",
    periodSeconds: 3600,
    window: NET_WINDOW,
    horizon: 1,
    featureNames: [...FEATURE_NAMES],
    targetScale: 0.004,
    residualStd: 0.005,
    training: {
      hyper: kind === "cnn_pattern" ? CNN_CONFIG : GRU_CONFIG,
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
