// GruAttention: a GRU encoder over the window plus additive attention over its states, as one tfjs
// layer. Stock tf.layers.gru + attention layers issue ~3.5x more kernels per step (per-step splits,
// masks, a strided unstack), which bench/tfjs-backends.ts measures as 1.5x slower training and, for
// the single-window prediction the Worker makes on the CPU backend, 7x slower inference.
// Registered with tf.serialization so tf.loadLayersModel finds it in both the trainer and the Worker.
import "./tf-prod";
import * as tf from "@tensorflow/tfjs";

export interface GruAttentionArgs {
  units: number;
  attentionUnits: number;
  seed: number;
  name?: string;
  inputShape?: number[];
}

/**
 * GRU (Keras gate order z, r, h; reset applied before the recurrent product, like tf.layers.gru):
 *   z = sig(x Wz + h Uz + bz), r = sig(x Wr + h Ur + br), hh = tanh(x Wh + (r * h) Uh + bh),
 *   h' = z * h + (1 - z) * hh.
 * Attention: score_t = v . tanh(h_t Wa + ba), alpha = softmax_t(score), context = sum_t alpha_t h_t.
 * Output: [context, last state], shape [batch, 2 * units].
 */
export class GruAttention extends tf.layers.Layer {
  static className = "GruAttention";
  readonly units: number;
  readonly attentionUnits: number;
  readonly seed: number;
  private kernel!: tf.LayerVariable;
  private recurrentKernel!: tf.LayerVariable;
  private bias!: tf.LayerVariable;
  private attentionKernel!: tf.LayerVariable;
  private attentionBias!: tf.LayerVariable;
  private attentionScore!: tf.LayerVariable;

  constructor(args: GruAttentionArgs) {
    super(args);
    this.units = args.units;
    this.attentionUnits = args.attentionUnits;
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const features = shape[2];
    if (features == null) throw new Error("GruAttention needs a known feature count");
    const { units, attentionUnits: a, seed } = this;
    const glorot = (k: number) => tf.initializers.glorotUniform({ seed: seed + k });
    this.kernel = this.addWeight("kernel", [features, 3 * units], "float32", glorot(0));
    this.recurrentKernel = this.addWeight(
      "recurrent_kernel",
      [units, 3 * units],
      "float32",
      tf.initializers.orthogonal({ seed: seed + 1, gain: 1 }),
    );
    this.bias = this.addWeight("bias", [3 * units], "float32", tf.initializers.zeros());
    this.attentionKernel = this.addWeight("attention_kernel", [units, a], "float32", glorot(2));
    this.attentionBias = this.addWeight("attention_bias", [a], "float32", tf.initializers.zeros());
    this.attentionScore = this.addWeight("attention_score", [a, 1], "float32", glorot(3));
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0], 2 * this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const [batch] = x.shape;
      const u = this.units;
      const kernel = this.kernel.read();
      const bias = this.bias.read();
      const [recurrentZr, recurrentH] = tf.split(this.recurrentKernel.read(), [2 * u, u], 1);
      const attentionKernel = this.attentionKernel.read();
      const attentionBias = this.attentionBias.read();
      const attentionScore = this.attentionScore.read();
      // Per-step tensors only, never a [steps, batch, units] tensor that is unstacked or split:
      // tfjs-backend-wasm copies a slice's whole source tensor for each slice, so splitting a big
      // tensor into 48 steps (or its gradient) costs 48 full copies.
      let h: tf.Tensor2D = tf.zeros([batch, u]);
      const states: tf.Tensor2D[] = [];
      const scores: tf.Tensor2D[] = [];
      for (const input of tf.unstack(tf.transpose(x, [1, 0, 2])) as tf.Tensor2D[]) {
        const [xZr, xH] = tf.split(tf.add(tf.matMul(input, kernel), bias), [2 * u, u], 1);
        const [z, r] = tf.split(tf.sigmoid(tf.add(xZr, tf.matMul(h, recurrentZr))), 2, 1);
        const candidate = tf.tanh(tf.add(xH, tf.matMul(tf.mul(r, h), recurrentH)));
        h = tf.add(candidate, tf.mul(z, tf.sub(h, candidate)));
        states.push(h);
        scores.push(tf.matMul(tf.tanh(tf.add(tf.matMul(h, attentionKernel), attentionBias)), attentionScore));
      }
      const weights = tf.split(tf.softmax(tf.concat(scores, 1)), states.length, 1); // softmax over steps
      const context = tf.addN(states.map((state, t) => tf.mul(state, weights[t])));
      return tf.concat([context, h], 1);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, attentionUnits: this.attentionUnits, seed: this.seed };
  }
}

tf.serialization.registerClass(GruAttention);
