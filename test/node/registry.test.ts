// The registry: every model type has one kind module; each kind's artifact round-trips through
// encode -> decode (same model, same forecasts, the calibrated band multiplier kept) and its decoder
// refuses another kind's bytes and damaged ones.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Candle } from "../../core/candles/types";
import { buildFeatures, FEATURE_NAMES, fitScaler } from "../../core/models/features";
import { KIND_INFO } from "../../core/models/kind-info";
import { CNN_CONFIG, GRU_CONFIG, NET_WINDOW, type NetKind, TRAIN_CONFIG } from "../../core/models/net-config";
import { mulberry32 } from "../../core/models/net-train";
import { buildNet } from "../../core/models/nets";
import { DIRECTION_TYPES, isModelType, kindOf, MODEL_KINDS, MODEL_TYPES } from "../../core/models/registry";

const HOUR = 3600;

function candles(n: number): Candle[] {
  const random = mulberry32(5);
  let close = 100;
  return Array.from({ length: n }, (_, i) => {
    const open = close;
    close = open * Math.exp(0.005 * (random() - 0.5) + 0.0002 * Math.sin(i / 9));
    return {
      time: 1_700_000_000 + i * HOUR,
      open,
      high: Math.max(open, close) * 1.001,
      low: Math.min(open, close) * 0.999,
      close,
      volume: 1 + random(),
    };
  });
}

const series = candles(400);

/** A fitted model of every kind: the statistical ones by their own fit, the nets seeded and untrained. */
async function modelOf(type: (typeof MODEL_TYPES)[number]) {
  const kind = MODEL_KINDS[type];
  if (!kind.tfjs) return kind.fit(series, async () => {});
  const net = buildNet(type as NetKind, [NET_WINDOW, FEATURE_NAMES.length], 3);
  return {
    model: net,
    scaler: fitScaler(buildFeatures(series).X),
    meta: {
      kind: type,
      timeframe: "1h",
      periodSeconds: HOUR,
      window: NET_WINDOW,
      horizon: 1,
      featureNames: [...FEATURE_NAMES],
      targetScale: 0.003,
      residualStd: 0.004,
      training: {
        hyper: type === "gru_attention" ? GRU_CONFIG : CNN_CONFIG,
        train: TRAIN_CONFIG,
        seed: 3,
        backend: "cpu",
        epochs: 0,
        bestEpoch: 0,
        seconds: 0,
        nTrain: 0,
        nValidation: 0,
        trainLoss: 0,
        validationLoss: 0,
        from: series[0].time,
        to: series.at(-1)!.time,
      },
    },
  };
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("registry", () => {
  it("has one kind per model type and knows which forecast the direction", () => {
    expect(Object.keys(MODEL_KINDS).sort()).toEqual([...MODEL_TYPES].sort());
    expect(Object.keys(KIND_INFO).sort()).toEqual([...MODEL_TYPES].sort());
    expect(DIRECTION_TYPES).toEqual(["arima", "gru_attention", "cnn_pattern"]);
    expect(MODEL_TYPES.filter((t) => MODEL_KINDS[t].volatility)).toEqual(["garch"]);
    expect(isModelType("lstm")).toBe(false);
    expect(() => kindOf("lstm")).toThrow(/unknown model type/);
    for (const t of MODEL_TYPES)
      expect(MODEL_KINDS[t].folds).toBeGreaterThanOrEqual(MODEL_KINDS[t].tfjs ? 3 : 5);
  });

  it.each(MODEL_TYPES)("%s: encode -> decode keeps the model, its forecasts and band_z", async (type) => {
    const kind = kindOf(type);
    const model = await modelOf(type);
    const bytes = await kind.encode(model, 2.37);
    const decoded = await kind.decode(bytes);
    expect(decoded.bandZ).toBe(2.37);
    expect(await kind.encode(decoded.model, 2.37)).toEqual(bytes);
    expect(kind.forecast(decoded.model, series, 24, 2.37)).toEqual(kind.forecast(model, series, 24, 2.37));
    const a = kind.oneStep(model, series, 300);
    const b = kind.oneStep(decoded.model, series, 300);
    expect(b).toEqual(a);
    expect(Number.isFinite(a.mean[350]) && a.sigma[350] > 0).toBe(true);
    expect(Number.isNaN(a.mean[299])).toBe(true);
    const f = kind.forecast(model, series, 24, 2.37).forecast;
    expect(f).toHaveLength(24);
    for (const p of f) expect(p.lower <= p.value && p.value <= p.upper).toBe(true);
    // The flag the chart draws by (kind-info.ts): a price path starts near the last close.
    const ratio = f[0].value / series.at(-1)!.close;
    expect(ratio > 0.5 && ratio < 2).toBe(KIND_INFO[type].pricePath);
    // Another kind's bytes and a damaged copy are refused with a readable error.
    for (const other of MODEL_TYPES.filter((t) => t !== type)) {
      const otherBytes = await kindOf(other).encode(await modelOf(other), 2);
      await expect(kind.decode(otherBytes)).rejects.toThrow(/./);
    }
    await expect(kind.decode(bytes.slice(0, bytes.length - 3))).rejects.toThrow(/./);
    kind.dispose(model);
    kind.dispose(decoded.model);
  });
});
