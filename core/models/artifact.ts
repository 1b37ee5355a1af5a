// One self-describing blob per trained net: "MMNET001", u32 LE header length, JSON header
// {format, modelTopology, weightSpecs, weightBytes, scaler, meta}, then the raw weight bytes.
import "./tf-prod";
import * as tf from "@tensorflow/tfjs";
import "./attention"; // registers the GruAttention layer before any model is loaded
import type { Scaler } from "./features";
import { type CnnConfig, type GruConfig, NET_KINDS, type NetKind, type TrainConfig } from "./net-config";

const MAGIC = "MMNET001";
const FORMAT = 1;
const PREFIX_BYTES = MAGIC.length + 4;
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** How the net was trained: reported in the model record's `parameters`. */
export interface NetTraining {
  hyper: GruConfig | CnnConfig;
  train: TrainConfig;
  seed: number;
  backend: string;
  epochs: number;
  bestEpoch: number;
  seconds: number;
  nTrain: number;
  nValidation: number;
  trainLoss: number;
  validationLoss: number;
  /** Period opens of the first and last candle the net was fitted on (train + validation). */
  from: number;
  to: number;
}

export interface NetMeta {
  kind: NetKind;
  timeframe: string;
  periodSeconds: number;
  window: number;
  horizon: number;
  featureNames: string[];
  /** Std of the training log returns: the net's output unit. */
  targetScale: number;
  /** Root mean square of (actual - predicted) log return on the validation windows: the interval width. */
  residualStd: number;
  /** Multiplier of the sigma for the 95% band, calibrated by the rolling evaluation (default 1.96). */
  bandZ?: number;
  training: NetTraining;
}

export interface LoadedNet {
  model: tf.LayersModel;
  scaler: Scaler;
  meta: NetMeta;
}

interface Header {
  format: number;
  modelTopology: tf.io.ModelArtifacts["modelTopology"];
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightBytes: number;
  scaler: Scaler;
  meta: NetMeta;
}

export async function serializeNet(
  model: tf.LayersModel,
  scaler: Scaler,
  meta: NetMeta,
): Promise<Uint8Array> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  if (!saved?.weightSpecs || saved.weightData === undefined) throw new Error("model.save gave no weights");
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(saved.weightData));
  const header: Header = {
    format: FORMAT,
    modelTopology: saved.modelTopology,
    weightSpecs: saved.weightSpecs,
    weightBytes: weights.byteLength,
    scaler,
    meta,
  };
  checkHeader(header);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(PREFIX_BYTES + json.byteLength + weights.byteLength);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, json.byteLength, true);
  out.set(json, PREFIX_BYTES);
  out.set(weights, PREFIX_BYTES + json.byteLength);
  return out;
}

export async function loadNet(bytes: Uint8Array): Promise<LoadedNet> {
  if (bytes.byteLength < PREFIX_BYTES) throw new Error(`net artifact too short: ${bytes.byteLength} bytes`);
  if (new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) {
    throw new Error("not a net artifact (bad magic)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBytes = view.getUint32(MAGIC.length, true);
  if (PREFIX_BYTES + headerBytes > bytes.byteLength)
    throw new Error("net artifact truncated inside its header");
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerBytes)));
  } catch {
    throw new Error("net artifact header is not valid JSON");
  }
  checkHeader(header);
  const start = PREFIX_BYTES + headerBytes;
  if (bytes.byteLength - start !== header.weightBytes) {
    throw new Error(
      `net artifact has ${bytes.byteLength - start} weight bytes, header says ${header.weightBytes}`,
    );
  }
  const weightData = bytes.slice(start).buffer;
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: header.modelTopology, weightSpecs: header.weightSpecs, weightData }),
  );
  const { window, featureNames } = header.meta;
  const inShape = model.inputs[0].shape;
  const outShape = model.outputs[0].shape;
  if (inShape.length !== 3 || inShape[1] !== window || inShape[2] !== featureNames.length) {
    throw new Error(
      `model input ${JSON.stringify(inShape)} does not match [null, ${window}, ${featureNames.length}]`,
    );
  }
  if (outShape.length !== 2 || outShape[1] !== 1)
    throw new Error(`model output ${JSON.stringify(outShape)} is not [null, 1]`);
  return { model, scaler: header.scaler, meta: header.meta };
}

function checkHeader(h: Header): void {
  if (h === null || typeof h !== "object") throw new Error("net artifact header is not an object");
  if (h.format !== FORMAT) throw new Error(`unsupported net artifact format ${h.format}`);
  if (!h.modelTopology || !Array.isArray(h.weightSpecs))
    throw new Error("net artifact lacks topology or weights");
  let expected = 0;
  for (const spec of h.weightSpecs) {
    const size = DTYPE_BYTES[spec.dtype];
    if (size === undefined || spec.quantization)
      throw new Error(`unsupported weight ${spec.name} (${spec.dtype})`);
    if (!spec.shape.every((d) => Number.isInteger(d) && d >= 0))
      throw new Error(`bad shape for weight ${spec.name}`);
    expected += spec.shape.reduce((a, b) => a * b, 1) * size;
  }
  if (expected !== h.weightBytes)
    throw new Error(`weight specs need ${expected} bytes, header says ${h.weightBytes}`);
  const m = h.meta;
  if (!m || !NET_KINDS.includes(m.kind)) throw new Error(`unknown net kind ${m?.kind}`);
  const width = m.featureNames?.length;
  if (!Number.isInteger(m.window) || m.window < 1 || !Number.isInteger(m.horizon) || m.horizon < 1) {
    throw new Error("net meta has a bad window or horizon");
  }
  if (!(m.targetScale > 0) || !(m.residualStd > 0) || !(m.periodSeconds > 0)) {
    throw new Error("net meta needs positive targetScale, residualStd and periodSeconds");
  }
  if (m.bandZ !== undefined && !(Number.isFinite(m.bandZ) && m.bandZ > 0 && m.bandZ <= 50))
    throw new Error("net meta bandZ must be in (0, 50]");
  const { mean, std } = h.scaler ?? {};
  if (!Array.isArray(mean) || !Array.isArray(std) || mean.length !== width || std.length !== width) {
    throw new Error(`scaler does not have ${width} columns`);
  }
  if (![...mean, ...std].every(Number.isFinite) || !std.every((s) => s > 0))
    throw new Error("scaler has bad numbers");
}
