// Loading and running models in the Worker logs nothing from tfjs: the CPU backend is selected when the
// Worker starts, before anything can make tfjs probe WebGL ("WebGL is not supported on this device",
// with a stack trace), and tfjs's "install tfjs-node" banner stays out of the logs.
import { afterEach, describe, expect, it, vi } from "vitest";
import { FEATURE_NAMES } from "../../core/models/features";
import { NET_WINDOW } from "../../core/models/net-config";

afterEach(() => vi.restoreAllMocks());

describe("tfjs in the Worker", () => {
  it("runs a net uploaded and loaded as in production without a line of tfjs noise", async () => {
    const lines: string[] = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const)
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(" "));
      });
    // The Worker as it starts (module imports are hoisted: this one must run inside the spies).
    await import("../../worker/index");
    const tf = await import("@tensorflow/tfjs");
    const { buildNet } = await import("../../core/models/nets");
    const { validateArtifact } = await import("../../worker/models/artifacts");
    const { aggregate } = await import("../../core/candles/aggregate");
    const { netArtifact, series } = await import("./insights-fixtures");

    const model = buildNet("cnn_pattern", [NET_WINDOW, FEATURE_NAMES.length]);
    model.dispose();
    await validateArtifact("cnn_pattern", await netArtifact(aggregate(series().all, "1h")));
    expect(tf.getBackend()).toBe("cpu");
    expect(lines.filter((l) => /webgl|tfjs-node|tensorflow|backend/i.test(l))).toEqual([]);
  });
});
