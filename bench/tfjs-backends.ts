// tfjs CPU vs WASM backend, training and inference of each net (medians of CPU time and wall time), and
// the peers behind two choices: the stock tf.layers.gru + attention layers vs the GruAttention layer,
// and tfjs' own Conv2DBackpropFilter vs the conv2d-based filter gradient. trainer/backend.ts's
// BACKEND_BY_NET is the per-net pick printed at the end (lowest median training CPU time).
// Run: npx tsx bench/tfjs-backends.ts [--runs 5]
import * as tf from "@tensorflow/tfjs";
import { FEATURE_COUNT } from "../core/models/features";
import {
  GRU_CONFIG,
  NET_KINDS,
  NET_SEED,
  NET_WINDOW,
  type NetKind,
  TRAIN_CONFIG,
} from "../core/models/net-config";
import { buildNet } from "../core/models/nets";
import { type TfBackend, useBackend, useConvFilterGradient } from "../trainer/backend";

const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const BATCH = TRAIN_CONFIG.batchSize;
const PREDICT_BATCH = 512;
const SHAPE: [number, number] = [NET_WINDOW, FEATURE_COUNT];

interface Variant {
  label: string;
  kind: NetKind;
  build: () => tf.LayersModel;
  convGradient: boolean;
}

/** The same net from stock layers: tf.layers.gru and additive attention from dense/softmax/dot layers. */
function stockGruAttention(): tf.LayersModel {
  const { units, attentionUnits, denseUnits } = GRU_CONFIG;
  const input = tf.input({ shape: SHAPE });
  const [states, last] = tf.layers
    .gru({ units, returnSequences: true, returnState: true, recurrentActivation: "sigmoid" })
    .apply(input) as tf.SymbolicTensor[];
  const hidden = tf.layers.dense({ units: attentionUnits, activation: "tanh" }).apply(states);
  const scores = tf.layers.flatten().apply(tf.layers.dense({ units: 1, useBias: false }).apply(hidden));
  const weights = tf.layers.softmax().apply(scores) as tf.SymbolicTensor;
  const context = tf.layers.dot({ axes: 1 }).apply([weights, states]) as tf.SymbolicTensor;
  const joined = tf.layers.concatenate().apply([context, last]);
  const head = tf.layers.dense({ units: denseUnits, activation: "relu" }).apply(joined);
  const output = tf.layers.dense({ units: 1 }).apply(head) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

const VARIANTS: Variant[] = [
  ...NET_KINDS.map((kind) => ({
    label: kind,
    kind,
    build: () => buildNet(kind, SHAPE, NET_SEED),
    convGradient: true,
  })),
  {
    label: "gru_attention, stock tf.layers.gru",
    kind: "gru_attention",
    build: stockGruAttention,
    convGradient: true,
  },
  {
    label: "cnn_pattern, tfjs Conv2DBackpropFilter",
    kind: "cnn_pattern",
    build: () => buildNet("cnn_pattern", SHAPE, NET_SEED),
    convGradient: false,
  },
];

interface Timing {
  cpuMs: number;
  wallMs: number;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** One warm-up call, then RUNS timed calls: medians of process CPU time and of wall time. */
async function measure(fn: () => Promise<unknown> | unknown): Promise<Timing> {
  await fn();
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { cpuMs: median(cpu), wallMs: median(wall) };
}

const fmt = (t: Timing | string, unit: string) =>
  typeof t === "string" ? t : `${t.cpuMs.toFixed(1)} / ${t.wallMs.toFixed(1)} ${unit}`;

const results = new Map<string, { train: Timing | string; batch: Timing; one: Timing }>();
for (const backend of ["cpu", "wasm"] as TfBackend[]) {
  if ((await useBackend(backend)) !== backend) throw new Error(`backend ${backend} did not start`);
  const x = tf.randomNormal([BATCH, ...SHAPE], 0, 1, "float32", 1);
  const y = tf.randomNormal([BATCH, 1], 0, 1, "float32", 2);
  const xBatch = tf.randomNormal([PREDICT_BATCH, ...SHAPE], 0, 1, "float32", 3);
  const xOne = tf.randomNormal([1, ...SHAPE], 0, 1, "float32", 4);
  for (const v of VARIANTS) {
    useConvFilterGradient(v.convGradient);
    const model = v.build();
    model.compile({
      optimizer: tf.train.adam(TRAIN_CONFIG.learningRate),
      loss: (a: tf.Tensor, b: tf.Tensor) => tf.losses.huberLoss(a, b, undefined, TRAIN_CONFIG.huberDelta),
    });
    let train: Timing | string;
    try {
      train = await measure(() => model.trainOnBatch(x, y));
    } catch (e) {
      train = `fails: ${(e as Error).message}`;
    }
    const batch = await measure(() => (model.predict(xBatch) as tf.Tensor).data());
    const one = await measure(() => (model.predict(xOne) as tf.Tensor).data());
    results.set(`${v.label}|${backend}`, { train, batch, one });
    console.log(
      `${v.label.padEnd(40)} ${backend.padEnd(5)} train ${fmt(train, `ms/batch of ${BATCH}`)}; ` +
        `predict ${fmt(batch, `ms/${PREDICT_BATCH}`)}, ${fmt(one, "ms/1")}  (CPU / wall)`,
    );
    model.dispose();
  }
  tf.dispose([x, y, xBatch, xOne]);
}
useConvFilterGradient(true);

const cpuOf = (t: Timing | string | undefined) =>
  typeof t === "object" ? t.cpuMs : Number.POSITIVE_INFINITY;
const ratio = (a: number, b: number) =>
  Number.isFinite(a) && Number.isFinite(b) ? `${(a / b).toFixed(2)}x` : "n/a";
console.log(`\nmedians of ${RUNS} runs, CPU time; ratio = slower / faster`);
for (const v of VARIANTS) {
  const [c, w] = ["cpu", "wasm"].map((b) => results.get(`${v.label}|${b}`)!);
  console.log(
    `${v.label}: training cpu/wasm ${ratio(cpuOf(c.train), cpuOf(w.train))}, ` +
      `predict ${PREDICT_BATCH} cpu/wasm ${ratio(c.batch.cpuMs, w.batch.cpuMs)}, predict 1 cpu/wasm ${ratio(c.one.cpuMs, w.one.cpuMs)}`,
  );
}
for (const backend of ["cpu", "wasm"]) {
  const get = (label: string) => results.get(`${label}|${backend}`)!;
  console.log(
    `${backend}: stock GRU / GruAttention training ${ratio(cpuOf(get("gru_attention, stock tf.layers.gru").train), cpuOf(get("gru_attention").train))}; ` +
      `tfjs filter gradient / conv2d filter gradient ${ratio(cpuOf(get("cnn_pattern, tfjs Conv2DBackpropFilter").train), cpuOf(get("cnn_pattern").train))}`,
  );
}
const pick = Object.fromEntries(
  NET_KINDS.map((kind) => {
    const [c, w] = ["cpu", "wasm"].map((b) => cpuOf(results.get(`${kind}|${b}`)?.train));
    return [kind, w < c ? "wasm" : "cpu"];
  }),
);
console.log(`pick (lowest training CPU time): ${JSON.stringify(pick)}`);
