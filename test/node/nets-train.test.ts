// Training on a learnable synthetic series, reproducibility, and the artifact round trip and checks.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Candle } from "../../core/candles/types";
import { type LoadedNet, loadNet, serializeNet } from "../../core/models/artifact";
import { buildFeatures, fitScaler } from "../../core/models/features";
import { INTERVAL_Z, type NetKind } from "../../core/models/net-config";
import { mulberry32, type TrainNetOptions, trainNet } from "../../core/models/net-train";
import { backtestNet, netForecast, normalCdf } from "../../core/models/nets";
import { useBackend } from "../../trainer/backend";

const HOUR = 3600;
const TINY: Record<NetKind, TrainNetOptions> = {
  gru_attention: { window: 8, hyper: { units: 8, attentionUnits: 4, denseUnits: 8 } },
  cnn_pattern: { window: 8, hyper: { filters: [8], kernelSize: 3, poolSize: 2, denseUnits: 8 } },
};
const FAST = { maxEpochs: 25, patience: 4, batchSize: 64, learningRate: 1e-2, minDelta: 0 };

/** Hourly candles whose log returns follow AR(1) with coefficient `phi`: learnable, unlike real returns. */
function arCandles(n: number, phi: number, seed: number): Candle[] {
  const random = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const out: Candle[] = [];
  let close = 100;
  let r = 0;
  for (let i = 0; i < n; i++) {
    r = phi * r + 0.004 * gauss();
    const open = close;
    close = open * Math.exp(r);
    const wick = 0.001 * Math.abs(gauss());
    out.push({
      time: 1_700_000_000 - (1_700_000_000 % HOUR) + i * HOUR,
      open,
      high: Math.max(open, close) * (1 + wick),
      low: Math.min(open, close) * (1 - wick),
      close,
      volume: 10 + 5 * random(),
    });
  }
  return out;
}

const PHI = 0.8;
const candles = arCandles(700, PHI, 42);
const fitPart = candles.slice(0, 560);
const trained: Partial<Record<NetKind, LoadedNet>> = {};

// Trained on WASM like the trainer does, then used on the CPU backend like the Worker does.
beforeAll(async () => {
  await useBackend("wasm");
  for (const kind of ["gru_attention", "cnn_pattern"] as const) {
    trained[kind] = await trainNet(kind, fitPart, { ...TINY[kind], train: FAST });
  }
  await useBackend("cpu");
}, 60_000);

describe.each(["gru_attention", "cnn_pattern"] as const)("%s", (kind) => {
  it("beats the naive no-change forecast on held-out candles of a learnable series", () => {
    const net = trained[kind]!;
    const bt = backtestNet(net, candles);
    let mae = 0;
    let naive = 0;
    let oracle = 0;
    let n = 0;
    for (let k = 0; k < bt.times.length; k++) {
      if (bt.times[k] < fitPart[fitPart.length - 1].time) continue; // targets after the fitted part only
      const j = candles.findIndex((c) => c.time === bt.times[k]);
      const last = Math.log(candles[j].close / candles[j - 1].close);
      mae += Math.abs(bt.actual[k] - bt.predicted[k]);
      naive += Math.abs(bt.actual[k]);
      oracle += Math.abs(bt.actual[k] - PHI * last); // the true conditional mean
      n++;
    }
    expect(n).toBe(140);
    // The true conditional mean 0.8 r_t has an MAE ratio of 0.75 on these 140 hours (~0.6 on average
    // over many draws); the net must beat the naive forecast by 10% and come within 0.1 of that bound
    // (measured: gru_attention 0.78, cnn_pattern 0.85).
    expect(oracle / naive).toBeLessThan(0.8);
    expect(mae / naive).toBeLessThan(0.9);
    expect(mae / naive - oracle / naive).toBeLessThan(0.1);
  });

  it("stops early and records how it trained", () => {
    const t = trained[kind]!.meta.training;
    expect(t.epochs).toBeGreaterThanOrEqual(t.bestEpoch);
    expect(t.epochs).toBeLessThanOrEqual(FAST.maxEpochs);
    if (t.epochs < FAST.maxEpochs) expect(t.epochs - t.bestEpoch).toBe(FAST.patience);
    expect(t.backend).toBe("wasm");
    expect(t.nTrain + t.nValidation).toBe(fitPart.length - 1 - 8);
  });

  it("fits the scaler on the training rows only", () => {
    const net = trained[kind]!;
    const rows = buildFeatures(fitPart).X;
    expect(net.scaler).toEqual(fitScaler(rows.slice(0, 8 - 1 + net.meta.training.nTrain)));
    expect(net.meta.targetScale).toBe(net.scaler.std[0]);
  });

  it("round-trips through serializeNet/loadNet with identical predictions", async () => {
    const net = trained[kind]!;
    const bytes = await serializeNet(net.model, net.scaler, net.meta);
    const loaded = await loadNet(bytes);
    expect(loaded.meta).toEqual(net.meta);
    expect(loaded.scaler).toEqual(net.scaler);
    expect(backtestNet(loaded, candles).predicted).toEqual(backtestNet(net, candles).predicted);
  });

  it("forecasts the next close with an interval from the validation residual std", () => {
    const net = trained[kind]!;
    const f = netForecast(net, candles, 24);
    const last = candles[candles.length - 1];
    expect(f.points.map((p) => p.time)).toEqual(
      Array.from({ length: 24 }, (_, k) => last.time + (k + 1) * HOUR),
    );
    expect(f.points[0].value).toBeCloseTo(last.close * Math.exp(f.logReturn), 10);
    expect(Math.log(f.points[0].upper / f.points[0].value)).toBeCloseTo(
      INTERVAL_Z * net.meta.residualStd,
      10,
    );
    expect(f.points[23].upper - f.points[23].lower).toBeGreaterThan(f.points[0].upper - f.points[0].lower);
    expect(f.probabilityUp).toBeCloseTo(normalCdf(f.logReturn / net.meta.residualStd), 12);
    // The same prediction as the backtest's last window, which ends at the same candle.
    const bt = backtestNet(net, [...candles, { ...last, time: last.time + HOUR }]);
    expect(bt.predicted.at(-1)).toBeCloseTo(f.logReturn, 7);
  });
});

describe("reproducibility", () => {
  it("gives identical weights for the same seed and different ones for another seed", {
    timeout: 30_000,
  }, async () => {
    const small = candles.slice(0, 120);
    const opts = { ...TINY.gru_attention, train: { ...FAST, maxEpochs: 2 } };
    const flat = (n: LoadedNet) => n.model.getWeights().flatMap((w) => [...w.dataSync()]);
    for (const backend of ["cpu", "wasm"] as const) {
      await useBackend(backend);
      const a = await trainNet("gru_attention", small, { ...opts, seed: 5 });
      const b = await trainNet("gru_attention", small, { ...opts, seed: 5 });
      const c = await trainNet("gru_attention", small, { ...opts, seed: 6 });
      expect(flat(b)).toEqual(flat(a));
      expect(flat(c)).not.toEqual(flat(a));
    }
    await useBackend("cpu");
  });
});

describe("loadNet rejects a bad blob", () => {
  let bytes: Uint8Array;
  beforeAll(async () => {
    const net = trained.cnn_pattern!;
    bytes = await serializeNet(net.model, net.scaler, net.meta);
  });

  /** Rewrites the JSON header of a valid blob. */
  function withHeader(edit: (h: Record<string, any>) => void): Uint8Array {
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const length = view.getUint32(8, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length)));
    edit(header);
    const json = new TextEncoder().encode(JSON.stringify(header));
    const out = new Uint8Array(12 + json.length + bytes.length - 12 - length);
    out.set(bytes.subarray(0, 8));
    new DataView(out.buffer).setUint32(8, json.length, true);
    out.set(json, 12);
    out.set(bytes.subarray(12 + length), 12 + json.length);
    return out;
  }

  it.each([
    ["a truncated blob", () => bytes.slice(0, bytes.length - 10), /weight bytes/],
    ["a blob cut inside its header", () => bytes.slice(0, 40), /truncated inside its header/],
    ["a tiny blob", () => bytes.slice(0, 5), /too short/],
    ["another file", () => new TextEncoder().encode('{"modelTopology": {}} and more bytes'), /bad magic/],
    ["a corrupted header", () => withHeader((h) => (h.meta = null)), /unknown net kind/],
    [
      "mis-shaped weight specs",
      () => withHeader((h) => (h.weightSpecs[0].shape = [2, 2])),
      /weight specs need/,
    ],
    ["a scaler of the wrong width", () => withHeader((h) => h.scaler.mean.pop()), /scaler does not have 7/],
    ["a window that does not fit the model", () => withHeader((h) => (h.meta.window = 48)), /does not match/],
  ])("%s", async (_, make, message) => {
    await expect(loadNet(make())).rejects.toThrow(message);
  });

  it("accepts the untouched blob", async () => {
    const net = await loadNet(bytes);
    expect(net.meta.kind).toBe("cnn_pattern");
    tf.dispose(net.model.getWeights());
  });
});
