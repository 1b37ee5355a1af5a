// How trainNet (net-train.ts) fits a net, one epoch at a time: gru_attention through its hand-written
// forward and backward pass (gru-fused.ts), cnn_pattern through tfjs' trainOnBatch. Both see the same
// batches in the same seeded order, minimise the same Huber loss with the same Adam, and keep the best
// epoch's weights for the tfjs model that is shipped and serves predictions.
import "./tf-prod";
import * as tf from "@tensorflow/tfjs";
import { Adam } from "./adam";
import type { Windows } from "./features";
import { FusedGru, type GruShape } from "./gru-fused";
import { predictReturns } from "./nets";

export interface Learner {
  /** One pass over `set` in `order`, in batches of `batchSize`; returns the mean batch loss. */
  epoch(set: Windows, order: Uint32Array, targetScale: number): Promise<number>;
  /** Predicted log returns of `set` by the current weights. */
  predict(set: Windows, targetScale: number): Float32Array;
  /** Keeps a copy of the current weights (the best epoch so far). */
  keep(): void;
  /** Puts the kept weights into the model. */
  restore(): void;
}

/** The derivative of the Huber loss by the prediction: the error, clipped to +-delta. */
const huberGradient = (error: number, delta: number) => Math.max(-delta, Math.min(delta, error));
export const huber = (error: number, delta: number) => {
  const e = Math.abs(error);
  return e <= delta ? 0.5 * e * e : delta * (e - 0.5 * delta);
};

/** tfjs training of a compiled model. */
export function tfjsLearner(model: tf.LayersModel, batchSize: number): Learner {
  let kept: tf.Tensor[] = [];
  return {
    async epoch(set, order, targetScale) {
      const size = set.window * set.features;
      let sum = 0;
      for (let start = 0; start < set.n; start += batchSize) {
        const count = Math.min(batchSize, set.n - start);
        const xb = new Float32Array(count * size);
        const yb = new Float32Array(count);
        for (let k = 0; k < count; k++) {
          const i = order[start + k];
          xb.set(set.x.subarray(i * size, (i + 1) * size), k * size);
          yb[k] = set.y[i] / targetScale;
        }
        const x = tf.tensor3d(xb, [count, set.window, set.features]);
        const y = tf.tensor2d(yb, [count, 1]);
        const loss = await model.trainOnBatch(x, y);
        x.dispose();
        y.dispose();
        sum += (Array.isArray(loss) ? loss[0] : loss) * count;
      }
      return sum / set.n;
    },
    predict: (set, targetScale) => predictReturns(model, set, targetScale),
    keep() {
      tf.dispose(kept);
      kept = model.getWeights().map((w) => w.clone());
    },
    restore() {
      model.setWeights(kept);
      tf.dispose(kept);
      kept = [];
    },
  };
}

/**
 * gru_attention trained in typed arrays: starts from the model's (seeded) initial weights, takes the
 * same Adam steps tfjs would on the mean Huber loss of each batch (in float64), and writes the kept
 * weights back into the model in its own layout.
 */
export function fusedGruLearner(
  model: tf.LayersModel,
  shape: GruShape,
  batchSize: number,
  learningRate: number,
  delta: number,
): Learner {
  const net = new FusedGru(shape);
  const weights = model.getWeights();
  let offset = 0;
  for (const w of weights) {
    net.params.set(w.dataSync(), offset);
    offset += w.size;
  }
  if (offset !== net.params.length) throw new Error("gru_attention weights do not match the fused layout");
  const adam = new Adam(net.params.length, learningRate);
  let kept = net.params.slice();
  const size = shape.window * shape.features;
  return {
    async epoch(set, order, targetScale) {
      let sum = 0;
      for (let start = 0; start < set.n; start += batchSize) {
        const count = Math.min(batchSize, set.n - start);
        net.grads.fill(0);
        for (let k = 0; k < count; k++) {
          const i = order[start + k];
          const error = net.forward(set.x, i * size) - set.y[i] / targetScale;
          sum += huber(error, delta);
          net.backward(huberGradient(error, delta) / count);
        }
        adam.step(net.params, net.grads);
      }
      return sum / set.n;
    },
    predict(set, targetScale) {
      const out = new Float32Array(set.n);
      for (let k = 0; k < set.n; k++) out[k] = net.forward(set.x, k * size) * targetScale;
      return out;
    },
    keep() {
      kept = net.params.slice();
    },
    restore() {
      let at = 0;
      model.setWeights(
        weights.map((w) => {
          const values = Float32Array.from(kept.subarray(at, at + w.size));
          at += w.size;
          return tf.tensor(values, w.shape);
        }),
      );
    },
  };
}
