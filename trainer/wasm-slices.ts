// Slice, SplitV and Unpack for tfjs-backend-wasm that read their input in place. The package's own
// kernels copy the WHOLE input out of the WASM heap (readSync) for every slice they cut, so unstacking
// a [48, batch, features] window into 48 steps made 48 full copies, and every tf.split two: the GRU's
// training spent ~1/5 of its time in those copies and the garbage they left. The values written are
// the same bytes: a slice is a copy, so training is bit for bit what it was.
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

type Info = tf.TensorInfo;

/** Copies the box `begin` + `size` of `x` into a new tensor; views of the heap are taken after the
 * output is allocated (an allocation may grow the heap and detach earlier views). */
function sliceInPlace(backend: BackendWasm, x: Info, begin: number[], size: number[]): Info {
  const out = backend.makeOutput(size, x.dtype);
  const n = size.reduce((a, b) => a * b, 1);
  if (n === 0) return out;
  const from = backend.typedArrayFromHeap(x);
  const to = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  const strides = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * x.shape[d + 1];
  // The trailing axes taken whole, plus the one before them, are one contiguous run per outer index.
  let inner = rank - 1;
  while (inner > 0 && size[inner] === x.shape[inner]) inner--;
  const run = size.slice(inner).reduce((a, b) => a * b, 1);
  const index = new Array<number>(inner).fill(0);
  for (let written = 0; written < n; written += run) {
    let offset = begin[inner] * strides[inner];
    for (let d = 0; d < inner; d++) offset += (begin[d] + index[d]) * strides[d];
    to.set(from.subarray(offset, offset + run), written);
    for (let d = inner - 1; d >= 0; d--) {
      if (++index[d] < size[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

const numeric = (x: Info) => x.dtype !== "string";

/** Registers the in-place kernels on the wasm backend (once; kernels the package registered are replaced). */
export function useInPlaceSlices(): void {
  const previous = {
    Slice: tf.getKernel("Slice", "wasm"),
    SplitV: tf.getKernel("SplitV", "wasm"),
    Unpack: tf.getKernel("Unpack", "wasm"),
  };
  if (!previous.Slice || (previous.Slice as { inPlace?: boolean }).inPlace) return;
  const register = (name: keyof typeof previous, kernelFunc: tf.KernelFunc) => {
    tf.unregisterKernel(name, "wasm");
    tf.registerKernel({ ...previous[name]!, kernelName: name, backendName: "wasm", kernelFunc });
  };
  register("Slice", (args) => {
    const x = args.inputs.x as Info;
    if (!numeric(x)) return previous.Slice!.kernelFunc(args);
    const { begin, size } = args.attrs as unknown as { begin: number | number[]; size?: number | number[] };
    const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
    return sliceInPlace(args.backend as BackendWasm, x, b, s);
  });
  register("SplitV", (args) => {
    const x = args.inputs.x as Info;
    if (!numeric(x)) return previous.SplitV!.kernelFunc(args);
    const { numOrSizeSplits, axis } = args.attrs as unknown as {
      numOrSizeSplits: number | number[];
      axis: number;
    };
    const a = tf.util.parseAxisParam(axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, a);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = [...x.shape];
      size[a] = s;
      const out = sliceInPlace(args.backend as BackendWasm, x, [...begin], size);
      begin[a] += s;
      return out;
    });
  });
  register("Unpack", (args) => {
    const value = args.inputs.value as Info;
    if (!numeric(value)) return previous.Unpack!.kernelFunc(args);
    let axis = (args.attrs as unknown as { axis: number }).axis;
    if (axis < 0) axis += value.shape.length;
    const outShape = value.shape.filter((_, d) => d !== axis);
    const size = [...value.shape];
    size[axis] = 1;
    return Array.from({ length: value.shape[axis] }, (_, i) => {
      const begin = new Array<number>(value.shape.length).fill(0);
      begin[axis] = i;
      const { dataId, dtype } = sliceInPlace(args.backend as BackendWasm, value, begin, size);
      return { dataId, dtype, shape: outShape };
    });
  });
  (tf.getKernel("Slice", "wasm") as { inPlace?: boolean }).inPlace = true;
}
