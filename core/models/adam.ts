// Adam as tfjs applies it, for the nets trained outside tfjs (gru-fused.ts via net-learners.ts).

/** tfjs' Adam (tf.train.adam) on one flat parameter vector: the same update, step by step. */
export class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private accBeta1: number;
  private accBeta2: number;

  constructor(
    size: number,
    private readonly learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-7, // tfjs' float32 backend epsilon
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
    this.accBeta1 = beta1;
    this.accBeta2 = beta2;
  }

  step(params: Float64Array, grads: Float64Array): void {
    const { m, v, beta1: b1, beta2: b2, learningRate: lr, epsilon } = this;
    const c1 = 1 - this.accBeta1;
    const c2 = 1 - this.accBeta2;
    for (let i = 0; i < params.length; i++) {
      const g = grads[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      params[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + epsilon);
    }
    this.accBeta1 *= b1;
    this.accBeta2 *= b2;
  }
}
