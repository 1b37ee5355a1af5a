// Building and running a net in Node prints nothing from tfjs: no "install tfjs-node" banner in every
// test file (and trainer run) that touches the CPU backend.
import { afterEach, expect, it, vi } from "vitest";

afterEach(() => vi.restoreAllMocks());

it("builds and runs a net in Node without tfjs's console banner", async () => {
  const lines: string[] = [];
  for (const level of ["log", "info", "warn", "error"] as const)
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    });
  // Imported inside the spies: tfjs speaks on first use, and module imports are hoisted.
  const { buildNet } = await import("../../core/models/nets");
  const { FEATURE_NAMES } = await import("../../core/models/features");
  const { NET_WINDOW } = await import("../../core/models/net-config");
  const tf = await import("@tensorflow/tfjs");
  const model = buildNet("cnn_pattern", [NET_WINDOW, FEATURE_NAMES.length]);
  const x = tf.zeros([1, NET_WINDOW, FEATURE_NAMES.length]);
  const y = model.predict(x) as import("@tensorflow/tfjs").Tensor;
  expect(y.shape[0]).toBe(1);
  tf.dispose([x, y]);
  model.dispose();
  expect(lines).toEqual([]);
});
