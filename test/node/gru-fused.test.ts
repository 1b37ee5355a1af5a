// The hand-written gru_attention pass (core/models/gru-fused.ts) against tfjs: the same outputs from
// the same weights, the gradient tfjs' autodiff gives (and central finite differences), and Adam
// steps that move the weights as tfjs' trainOnBatch does.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Windows } from "../../core/models/features";
import { FusedGru, type GruShape } from "../../core/models/gru-fused";
import { GRU_CONFIG } from "../../core/models/net-config";
import { fusedGruLearner, huber, tfjsLearner } from "../../core/models/net-learners";
import { mulberry32 } from "../../core/models/net-train";
import { buildGruAttention } from "../../core/models/nets";
import { useBackend } from "../../trainer/backend";

beforeAll(async () => {
  await useBackend("cpu");
});

const SMALL: GruShape = { window: 6, features: 3, units: 4, attentionUnits: 3, denseUnits: 5 };
const FULL: GruShape = { window: 48, features: 7, ...GRU_CONFIG };

/** A model of `shape` with every weight (biases too) drawn from a seeded normal, and its fused twin. */
function twins(shape: GruShape, seed: number) {
  const { window, features, ...hyper } = shape;
  const model = buildGruAttention([window, features], hyper, seed);
  const random = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  model.setWeights(
    model.getWeights().map((w) =>
      tf.tensor(
        Float32Array.from({ length: w.size }, () => 0.4 * normal()),
        w.shape,
      ),
    ),
  );
  const net = new FusedGru(shape);
  let at = 0;
  for (const w of model.getWeights()) {
    net.params.set(w.dataSync(), at);
    at += w.size;
  }
  const data = (n: number) => Float32Array.from({ length: n }, normal);
  return { model, net, data };
}

const relErr = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    norm = Math.max(norm, Math.abs(b[i]));
  }
  return diff / norm;
};

/** The fused mean Huber loss over a batch and its gradient. */
function fusedLoss(net: FusedGru, x: Float32Array, y: Float32Array, delta: number) {
  const size = net.shape.window * net.shape.features;
  net.grads.fill(0);
  let loss = 0;
  for (let k = 0; k < y.length; k++) {
    const error = net.forward(x, k * size) - y[k];
    loss += huber(error, delta) / y.length;
    net.backward(Math.max(-delta, Math.min(delta, error)) / y.length);
  }
  return loss;
}

describe("fused gru_attention", () => {
  it.each([
    ["small", SMALL],
    ["full", FULL],
  ] as const)("%s: outputs and gradient agree with tfjs", (_, shape) => {
    const { model, net, data } = twins(shape, 11);
    const batch = 9;
    const x = data(batch * shape.window * shape.features);
    const y = data(batch);
    const delta = 0.7; // small enough that some errors fall in the linear part
    const loss = fusedLoss(net, x, y, delta);
    const xt = tf.tensor3d(x, [batch, shape.window, shape.features]);
    const predicted = (model.predict(xt) as tf.Tensor).dataSync();
    const outputs = Float32Array.from({ length: batch }, (_, k) =>
      net.forward(x, k * shape.window * shape.features),
    );
    expect(relErr(outputs, predicted)).toBeLessThan(1e-5);

    const { value, grads } = tf.variableGrads(
      () => tf.losses.huberLoss(tf.tensor2d(y, [batch, 1]), model.apply(xt) as tf.Tensor, undefined, delta),
      model.trainableWeights.map((w) => w.read() as tf.Variable),
    );
    expect(Math.abs(value.dataSync()[0] - loss) / loss).toBeLessThan(1e-5);
    let at = 0;
    for (const w of model.trainableWeights) {
      const g = grads[(w.read() as tf.Variable).name].dataSync();
      expect(relErr(net.grads.subarray(at, at + g.length), g), w.name).toBeLessThan(1e-4);
      at += g.length;
    }
    expect(at).toBe(net.params.length);
    model.dispose();
  });

  it("matches central finite differences of its own loss", () => {
    const { net, data, model } = twins(SMALL, 23);
    const batch = 5;
    const x = data(batch * SMALL.window * SMALL.features);
    const y = data(batch);
    fusedLoss(net, x, y, 0.7);
    const analytic = net.grads.slice();
    const numeric = new Float64Array(analytic.length);
    const eps = 1e-6;
    for (let i = 0; i < numeric.length; i++) {
      const keep = net.params[i];
      net.params[i] = keep + eps;
      const up = fusedLoss(net, x, y, 0.7);
      net.params[i] = keep - eps;
      const down = fusedLoss(net, x, y, 0.7);
      net.params[i] = keep;
      numeric[i] = (up - down) / (2 * eps);
    }
    expect(relErr(analytic, numeric)).toBeLessThan(1e-6);
    model.dispose();
  });

  it("takes the Adam steps tfjs' trainOnBatch takes", async () => {
    const shape = SMALL;
    const n = 40;
    const data = twins(shape, 5).data;
    const set: Windows = {
      n,
      window: shape.window,
      features: shape.features,
      x: data(n * shape.window * shape.features),
      y: data(n),
      origins: Array.from({ length: n }, (_, i) => i),
    };
    const order = Uint32Array.from({ length: n }, (_, i) => (i * 7) % n);
    const weights = [];
    for (const fused of [true, false]) {
      const { model } = twins(shape, 5);
      model.compile({
        optimizer: tf.train.adam(0.01),
        loss: (a: tf.Tensor, b: tf.Tensor) => tf.losses.huberLoss(a, b, undefined, 1),
      });
      const learner = fused ? fusedGruLearner(model, shape, 8, 0.01, 1) : tfjsLearner(model, 8);
      for (let e = 0; e < 3; e++) await learner.epoch(set, order, 1);
      learner.keep();
      learner.restore();
      weights.push(Float32Array.from(model.getWeights().flatMap((w) => [...w.dataSync()])));
      model.dispose();
    }
    expect(relErr(weights[0], weights[1])).toBeLessThan(1e-4);
  });
});
