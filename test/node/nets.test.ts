// Network structure: output shapes, the GruAttention layer against tf.layers.gru plus attention in plain
// JS, the conv filter gradient against tfjs' own kernel, and training/inference on the WASM backend.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { GruAttention } from "../../core/models/attention";
import { CNN_CONFIG, GRU_CONFIG } from "../../core/models/net-config";
import { buildCnnPattern, buildGruAttention, normalCdf } from "../../core/models/nets";
import { convFilterGradient, probeTraining, useBackend } from "../../trainer/backend";

beforeAll(async () => {
  await useBackend("cpu");
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe("model builders", () => {
  it.each([
    ["gru_attention", buildGruAttention],
    ["cnn_pattern", buildCnnPattern],
  ] as const)("%s maps [batch, 48, 7] windows to one value per window", (_, build) => {
    const model = build([48, 7]);
    expect(model.inputs[0].shape).toEqual([null, 48, 7]);
    expect(model.outputs[0].shape).toEqual([null, 1]);
    const y = model.predict(tf.randomNormal([5, 48, 7], 0, 1, "float32", 3)) as tf.Tensor;
    expect(y.shape).toEqual([5, 1]);
    expect([...y.dataSync()].every(Number.isFinite)).toBe(true);
    expect(model.countParams()).toBeLessThan(10_000); // small enough to train a year in seconds per epoch
    model.dispose();
  });

  it("sizes the encoder and the conv stack from the named hyper-parameters", () => {
    const gru = buildGruAttention([48, 7]);
    expect(gru.getLayer("gru_attention_encoder").outputShape).toEqual([null, 2 * GRU_CONFIG.units]);
    const cnn = buildCnnPattern([48, 7]);
    const pooled = 48 / CNN_CONFIG.poolSize ** CNN_CONFIG.filters.length;
    expect(cnn.getLayer("flat").outputShape).toEqual([null, pooled * CNN_CONFIG.filters.at(-1)!]);
  });
});

describe("GruAttention", () => {
  it("equals tf.layers.gru (sigmoid gates) followed by additive attention over its states", () => {
    const [batch, steps, features, units, att] = [3, 6, 4, 5, 3];
    const layer = new GruAttention({ units, attentionUnits: att, seed: 11 });
    const input = tf.input({ shape: [steps, features] });
    const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
    const w = layer.getWeights();
    // Non-zero biases so that their handling is checked too.
    w[2] = tf.randomNormal([3 * units], 0, 0.5, "float32", 1);
    w[4] = tf.randomNormal([att], 0, 0.5, "float32", 2);
    layer.setWeights(w);

    const gru = tf.layers.gru({ units, returnSequences: true, recurrentActivation: "sigmoid" });
    const refIn = tf.input({ shape: [steps, features] });
    const ref = tf.model({ inputs: refIn, outputs: gru.apply(refIn) as tf.SymbolicTensor });
    gru.setWeights([w[0], w[1], w[2]]);

    const x = tf.randomNormal([batch, steps, features], 0, 1, "float32", 5);
    const seq = (ref.predict(x) as tf.Tensor).arraySync() as number[][][];
    const [wa, ba, v] = [
      w[3].arraySync() as number[][],
      w[4].arraySync() as number[],
      w[5].arraySync() as number[][],
    ];
    const expected: number[] = [];
    for (let b = 0; b < batch; b++) {
      const scores = seq[b].map((h) =>
        ba.reduce(
          (s, bias, k) => s + v[k][0] * Math.tanh(bias + h.reduce((acc, hj, j) => acc + hj * wa[j][k], 0)),
          0,
        ),
      );
      const top = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - top));
      const sum = e.reduce((a, c) => a + c, 0);
      const context = Array.from({ length: units }, (_, j) =>
        seq[b].reduce((acc, h, t) => acc + (e[t] / sum) * h[j], 0),
      );
      expected.push(...context, ...seq[b][steps - 1]);
    }
    const got = (model.predict(x) as tf.Tensor).dataSync();
    expect(maxAbsDiff(got, expected)).toBeLessThan(1e-5);
  });

  it("round-trips its config through tf.serialization (registered class)", () => {
    const layer = new GruAttention({ units: 4, attentionUnits: 2, seed: 3, name: "enc" });
    const [registered] = tf.serialization.SerializationMap.getMap().classNameMap.GruAttention;
    expect(registered).toBe(GruAttention);
    expect(layer.getConfig()).toMatchObject({ units: 4, attentionUnits: 2, seed: 3, name: "enc" });
  });
});

describe("convFilterGradient", () => {
  it.each(["same", "valid"] as const)("equals tfjs' Conv2DBackpropFilter kernel (pad %s)", (pad) => {
    const x = tf.randomNormal([3, 1, 12, 4], 0, 1, "float32", 7) as tf.Tensor4D;
    const filterShape: [number, number, number, number] = [1, 5, 4, 6];
    const outWidth = pad === "same" ? 12 : 8;
    const dy = tf.randomNormal([3, 1, outWidth, 6], 0, 1, "float32", 8) as tf.Tensor4D;
    const reference = tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, {
      strides: [1, 1],
      pad,
      dataFormat: "NHWC",
      dimRoundingMode: undefined,
      filterShape,
    } as unknown as tf.NamedAttrMap) as tf.Tensor;
    const ours = convFilterGradient(x, dy, filterShape, pad);
    expect(ours.shape).toEqual(filterShape);
    expect(maxAbsDiff(ours.dataSync(), reference.dataSync())).toBeLessThan(1e-4);
  });
});

describe("WASM backend", () => {
  it("trains both nets (conv filter gradient replaced) and predicts what the CPU backend predicts", async () => {
    const x = tf.randomNormal([4, 48, 7], 0, 1, "float32", 9);
    const xValues = x.dataSync().slice();
    const models = [buildGruAttention([48, 7]), buildCnnPattern([48, 7])];
    const onCpu = models.map((m) => (m.predict(x) as tf.Tensor).dataSync().slice());
    try {
      expect(await useBackend("wasm")).toBe("wasm");
      await probeTraining("gru_attention");
      await probeTraining("cnn_pattern");
      const xw = tf.tensor3d(xValues, [4, 48, 7]);
      models.forEach((m, i) => {
        expect(maxAbsDiff((m.predict(xw) as tf.Tensor).dataSync(), onCpu[i])).toBeLessThan(1e-5);
      });
    } finally {
      await useBackend("cpu");
    }
  });
});

describe("normalCdf", () => {
  it("matches known quantiles", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655254, 6);
    expect(normalCdf(3)).toBeCloseTo(0.998650102, 6);
  });
});
