// Chooses and initialises the tfjs backend of the Node trainer: the pure-JS CPU backend or WASM.
import { createRequire } from "node:module";
import path from "node:path";
import { setThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import type { NetKind } from "../core/models/net-config";
import { buildNet } from "../core/models/nets";
import "../core/models/tf-prod";
import * as tf from "@tensorflow/tfjs";
import { useInPlaceSlices } from "./wasm-slices";

export type TfBackend = "cpu" | "wasm";

/**
 * The faster backend per net, picked by `npx tsx bench/tfjs-backends.ts` (median training CPU time per
 * batch of 256 on this 2-core machine): gru_attention 215 ms on WASM vs 1,121 ms on CPU (5.2x),
 * cnn_pattern 35 ms on WASM vs 415 ms on CPU (12x). cnn_pattern trains on WASM only thanks to
 * `convFilterGradient`: tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel. gru_attention now
 * trains outside tfjs (core/models/gru-fused.ts); its backend serves the trained model's predictions.
 */
export const BACKEND_BY_NET: Record<NetKind, TfBackend> = { gru_attention: "wasm", cnn_pattern: "wasm" };

/** XNNPACK threads for WASM: one, as trainers share small machines and a single thread is reproducible. */
const WASM_THREADS = 1;

let wasmConfigured = false;
let originalConvGradient: tf.GradConfig | undefined;

type Pad = "same" | "valid" | number | number[][];
type Shape4 = [number, number, number, number];

/**
 * dL/dfilter of a stride-1 NHWC conv2d, computed with a forward conv2d: treat the batch as the channel
 * being summed, i.e. conv2d(transpose(pad(x)) [ci, H, W, batch], transpose(dy) [oh, ow, batch, co])
 * = [ci, fh, fw, co]. tfjs-backend-wasm has no Conv2DBackpropFilter kernel but a fast Conv2D, and the
 * CPU backend's Conv2DBackpropFilter is far slower than its Conv2D, so both backends train with this.
 */
export function convFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: Shape4,
  pad: "same" | "valid",
) {
  return tf.tidy(() => {
    const [fh, fw] = filterShape;
    const padH = pad === "same" ? Math.max(dy.shape[1] - 1 + fh - x.shape[1], 0) : 0;
    const padW = pad === "same" ? Math.max(dy.shape[2] - 1 + fw - x.shape[2], 0) : 0;
    const top = Math.floor(padH / 2);
    const left = Math.floor(padW / 2);
    const padded = tf.pad(x, [
      [0, 0],
      [top, padH - top],
      [left, padW - left],
      [0, 0],
    ]);
    const grad = tf.conv2d(tf.transpose(padded, [3, 1, 2, 0]), tf.transpose(dy, [1, 2, 0, 3]), 1, "valid");
    return tf.transpose(grad, [1, 2, 0, 3]) as tf.Tensor4D;
  });
}

/**
 * With `enabled`, the Conv2D gradient uses `convFilterGradient` for the filter where it applies
 * (stride 1, no dilation, NHWC, same/valid padding) and tfjs' own gradient otherwise; without, tfjs'
 * own gradient is restored (the benchmark compares both). Idempotent.
 */
export function useConvFilterGradient(enabled: boolean): void {
  if (enabled === (originalConvGradient !== undefined)) return;
  if (!enabled) {
    tf.unregisterGradient("Conv2D");
    tf.registerGradient(originalConvGradient!);
    originalConvGradient = undefined;
    return;
  }
  const original = tf.getGradient("Conv2D");
  originalConvGradient = original;
  tf.unregisterGradient("Conv2D");
  tf.registerGradient({
    kernelName: "Conv2D",
    inputsToSave: ["x", "filter"],
    gradFunc: (dy, saved, attrs) => {
      const grads = original.gradFunc(dy, saved, attrs);
      const { strides, pad, dataFormat, dilations } = attrs as unknown as {
        strides: number | number[];
        pad: Pad;
        dataFormat: string;
        dilations: number | number[];
      };
      const ones = (v: number | number[]) => [v].flat().every((n) => n === 1);
      const plain =
        (pad === "same" || pad === "valid") && dataFormat === "NHWC" && ones(strides) && ones(dilations);
      if (!plain) return grads;
      const [x, filter] = saved as tf.Tensor4D[];
      return { ...grads, filter: () => convFilterGradient(x, dy as tf.Tensor4D, filter.shape, pad) };
    },
  });
}

function configureWasm(): void {
  if (wasmConfigured) return;
  // In Node the .wasm binaries are read from the package's own dist folder, not fetched; the bundled
  // trainer of the container image (scripts/trainer-image.mjs) ships them in a folder of its own.
  const dir =
    process.env.TRAINER_WASM_DIR ??
    path.dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm"));
  setWasmPaths(`${dir.replace(/[\\/]+$/, "")}${path.sep}`);
  setThreadsCount(WASM_THREADS);
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  useInPlaceSlices();
  wasmConfigured = true;
}

/** Makes `name` the active backend; returns the backend actually active (CPU if WASM fails to start). */
export async function useBackend(name: TfBackend): Promise<TfBackend> {
  useConvFilterGradient(true);
  if (name === "wasm") configureWasm();
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (ok && tf.getBackend() === name) return name;
  await tf.setBackend("cpu");
  return "cpu";
}

/** One training step of a tiny `kind` net on the active backend: throws if a kernel is missing. */
export async function probeTraining(kind: NetKind): Promise<void> {
  const model = buildNet(kind, [8, 3]);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: "meanSquaredError" });
  const x = tf.zeros([2, 8, 3]);
  const y = tf.zeros([2, 1]);
  try {
    await model.trainOnBatch(x, y);
  } finally {
    tf.dispose([x, y]);
    model.dispose();
  }
}

/** Activates the measured backend for training `kind`, falling back to CPU if it cannot train there. */
export async function backendForNet(kind: NetKind): Promise<TfBackend> {
  const wanted = BACKEND_BY_NET[kind];
  const active = await useBackend(wanted);
  if (active === "cpu") return active;
  try {
    await probeTraining(kind);
    return active;
  } catch {
    return useBackend("cpu");
  }
}
