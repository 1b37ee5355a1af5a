// gru_attention's forward pass and analytic gradient in plain typed arrays, for training. The net is
// tiny (16 units, 48 steps of 7 features): tfjs spends its time dispatching ~3,000 small kernels a
// batch, not computing, and a hand loop over one sample at a time does the same arithmetic ~7x faster.
// The parameters are the tfjs model's weights in its own order and layout (`model.getWeights()`:
// kernel, recurrent_kernel, bias, attention_kernel, attention_bias, attention_score, head kernel and
// bias, next_return kernel and bias), so they go back into the model unchanged for inference.
// The equations are GruAttention's (attention.ts) and nets.ts' head; test/node/gru-fused.test.ts
// checks the outputs and gradients against tfjs.

export interface GruShape {
  window: number;
  features: number;
  units: number;
  attentionUnits: number;
  denseUnits: number;
}

/** Sizes of the weights in `model.getWeights()` order. */
export function gruWeightSizes({ features: f, units: u, attentionUnits: a, denseUnits: d }: GruShape) {
  return [f * 3 * u, u * 3 * u, 3 * u, u * a, a, a, 2 * u * d, d, d, 1];
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

export class FusedGru {
  readonly params: Float64Array;
  /** The gradient summed by `backward` since the last `grads.fill(0)`. */
  readonly grads: Float64Array;
  private readonly o: number[]; // offset of each weight in `params`
  // One sample's activations, kept by `forward` for `backward`.
  private readonly h: Float64Array; // (window + 1) x units, h[0] = 0
  private readonly z: Float64Array;
  private readonly r: Float64Array;
  private readonly c: Float64Array;
  private readonly e: Float64Array; // window x attentionUnits: tanh(h Wa + ba)
  private readonly alpha: Float64Array;
  private readonly feat: Float64Array; // [context, last state]
  private readonly hid: Float64Array;
  private readonly pre: Float64Array;
  private readonly dh: Float64Array; // window x units: gradient reaching each state from attention/head
  private readonly dPre: Float64Array;
  private readonly dState: Float64Array;
  private readonly dFeat: Float64Array;
  private readonly dHid: Float64Array;
  private x: Float32Array = new Float32Array(0);
  private xo = 0;

  constructor(readonly shape: GruShape) {
    const sizes = gruWeightSizes(shape);
    this.o = sizes.map((_, i) => sizes.slice(0, i).reduce((s, n) => s + n, 0));
    const total = sizes.reduce((s, n) => s + n, 0);
    this.params = new Float64Array(total);
    this.grads = new Float64Array(total);
    const { window: t, units: u, attentionUnits: a, denseUnits: d } = shape;
    this.h = new Float64Array((t + 1) * u);
    this.z = new Float64Array(t * u);
    this.r = new Float64Array(t * u);
    this.c = new Float64Array(t * u);
    this.e = new Float64Array(t * a);
    this.alpha = new Float64Array(t);
    this.feat = new Float64Array(2 * u);
    this.hid = new Float64Array(d);
    this.pre = new Float64Array(3 * u);
    this.dh = new Float64Array(t * u);
    this.dPre = new Float64Array(3 * u);
    this.dState = new Float64Array(u);
    this.dFeat = new Float64Array(2 * u);
    this.dHid = new Float64Array(d);
  }

  /** The model's output for the window at `x[offset ..]` ([window, features], row-major). */
  forward(x: Float32Array, offset: number): number {
    const { window: T, features: F, units: U, attentionUnits: A, denseUnits: D } = this.shape;
    const G = 3 * U;
    const { params: p, h, z, r, c, e, alpha, feat, hid, pre } = this;
    const [oK, oR, oB, oAK, oAB, oAV, oHK, oHB, oOK, oOB] = this.o;
    this.x = x;
    this.xo = offset;
    let sMax = Number.NEGATIVE_INFINITY;
    for (let t = 0; t < T; t++) {
      const hp = t * U;
      const hn = hp + U;
      for (let j = 0; j < G; j++) pre[j] = p[oB + j];
      for (let f = 0; f < F; f++) {
        const xv = x[offset + t * F + f];
        const row = oK + f * G;
        for (let j = 0; j < G; j++) pre[j] += xv * p[row + j];
      }
      for (let i = 0; i < U; i++) {
        const hv = h[hp + i];
        const row = oR + i * G;
        for (let j = 0; j < 2 * U; j++) pre[j] += hv * p[row + j];
      }
      for (let j = 0; j < U; j++) {
        z[t * U + j] = sigmoid(pre[j]);
        r[t * U + j] = sigmoid(pre[U + j]);
      }
      for (let i = 0; i < U; i++) {
        const rh = r[t * U + i] * h[hp + i];
        const row = oR + i * G + 2 * U;
        for (let j = 0; j < U; j++) pre[2 * U + j] += rh * p[row + j];
      }
      for (let j = 0; j < U; j++) {
        const cv = Math.tanh(pre[2 * U + j]);
        c[t * U + j] = cv;
        h[hn + j] = cv + z[t * U + j] * (h[hp + j] - cv);
      }
      let s = 0;
      for (let k = 0; k < A; k++) {
        let v = p[oAB + k];
        for (let i = 0; i < U; i++) v += h[hn + i] * p[oAK + i * A + k];
        const ev = Math.tanh(v);
        e[t * A + k] = ev;
        s += ev * p[oAV + k];
      }
      alpha[t] = s;
      if (s > sMax) sMax = s;
    }
    let sum = 0;
    for (let t = 0; t < T; t++) {
      alpha[t] = Math.exp(alpha[t] - sMax);
      sum += alpha[t];
    }
    feat.fill(0, 0, U);
    for (let t = 0; t < T; t++) {
      alpha[t] /= sum;
      for (let i = 0; i < U; i++) feat[i] += alpha[t] * h[(t + 1) * U + i];
    }
    for (let i = 0; i < U; i++) feat[U + i] = h[T * U + i];
    let out = p[oOB];
    for (let k = 0; k < D; k++) {
      let v = p[oHB + k];
      for (let j = 0; j < 2 * U; j++) v += feat[j] * p[oHK + j * D + k];
      hid[k] = Math.max(v, 0);
      out += hid[k] * p[oOK + k];
    }
    return out;
  }

  /** Adds to `grads` the gradient of the last `forward` sample's loss, whose derivative by the output is `g`. */
  backward(g: number): void {
    const { window: T, features: F, units: U, attentionUnits: A, denseUnits: D } = this.shape;
    const G = 3 * U;
    const { params: p, grads: q, h, z, r, c, e, alpha, feat, hid, dh, dPre, dState, dFeat, dHid, x } = this;
    const [oK, oR, oB, oAK, oAB, oAV, oHK, oHB, oOK, oOB] = this.o;
    // Head: out = relu(feat HK + hb) . ok + ob.
    q[oOB] += g;
    for (let k = 0; k < D; k++) {
      q[oOK + k] += g * hid[k];
      dHid[k] = hid[k] > 0 ? g * p[oOK + k] : 0;
      q[oHB + k] += dHid[k];
    }
    for (let j = 0; j < 2 * U; j++) {
      let v = 0;
      const row = oHK + j * D;
      for (let k = 0; k < D; k++) {
        q[row + k] += feat[j] * dHid[k];
        v += p[row + k] * dHid[k];
      }
      dFeat[j] = v;
    }
    // Attention: context = sum_t alpha_t h_t, alpha = softmax(e_t . v), e_t = tanh(h_t AK + ab).
    let weighted = 0;
    for (let t = 0; t < T; t++) {
      let da = 0;
      for (let i = 0; i < U; i++) da += dFeat[i] * h[(t + 1) * U + i];
      dh[t * U] = da; // parked until the softmax sum is known
      weighted += alpha[t] * da;
    }
    for (let t = 0; t < T; t++) {
      const ds = alpha[t] * (dh[t * U] - weighted);
      const hn = (t + 1) * U;
      for (let i = 0; i < U; i++) dh[t * U + i] = alpha[t] * dFeat[i];
      for (let k = 0; k < A; k++) {
        const ev = e[t * A + k];
        q[oAV + k] += ds * ev;
        const dp = ds * p[oAV + k] * (1 - ev * ev);
        if (dp === 0) continue;
        q[oAB + k] += dp;
        for (let i = 0; i < U; i++) {
          q[oAK + i * A + k] += h[hn + i] * dp;
          dh[t * U + i] += p[oAK + i * A + k] * dp;
        }
      }
    }
    for (let i = 0; i < U; i++) dh[(T - 1) * U + i] += dFeat[U + i];
    // GRU, back through time: h = c + z (hp - c), c = tanh(xK_h + (r hp) R_h + b_h).
    dState.fill(0);
    for (let t = T - 1; t >= 0; t--) {
      const hp = t * U;
      const xt = this.xo + t * F;
      for (let j = 0; j < U; j++) {
        const dv = dState[j] + dh[t * U + j];
        const zj = z[t * U + j];
        const cj = c[t * U + j];
        dState[j] = dv * zj; // becomes d hp below
        const dz = dv * (h[hp + j] - cj);
        dPre[j] = dz * zj * (1 - zj);
        dPre[2 * U + j] = dv * (1 - zj) * (1 - cj * cj);
      }
      // r's gradient needs d(r hp) = dPre_h R_h^T; and d hp gets r * that.
      for (let i = 0; i < U; i++) {
        const row = oR + i * G + 2 * U;
        let v = 0;
        for (let j = 0; j < U; j++) v += p[row + j] * dPre[2 * U + j];
        const ri = r[t * U + i];
        const hv = h[hp + i];
        dPre[U + i] = v * hv * ri * (1 - ri);
        dState[i] += v * ri;
      }
      for (let j = 0; j < G; j++) q[oB + j] += dPre[j];
      for (let f = 0; f < F; f++) {
        const xv = x[xt + f];
        if (xv === 0) continue;
        const row = oK + f * G;
        for (let j = 0; j < G; j++) q[row + j] += xv * dPre[j];
      }
      if (t === 0) break; // h0 = 0: no recurrent gradient, nothing before it
      for (let i = 0; i < U; i++) {
        const hv = h[hp + i];
        const rh = r[t * U + i] * hv;
        const row = oR + i * G;
        let v = 0;
        for (let j = 0; j < 2 * U; j++) {
          q[row + j] += hv * dPre[j];
          v += p[row + j] * dPre[j];
        }
        for (let j = 2 * U; j < G; j++) q[row + j] += rh * dPre[j];
        dState[i] += v;
      }
    }
  }
}
