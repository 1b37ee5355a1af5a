// The trainer's speed-ups change no number: the rolling evaluation's origins fitted on worker threads
// give the metrics, parameters and forecasts of the origins fitted one after another, and the WASM
// backend's in-place Slice, SplitV and Unpack cut the same values as the CPU backend's.
import * as tf from "@tensorflow/tfjs";
import { afterEach, describe, expect, it } from "vitest";
import { aggregate } from "../../core/candles/aggregate";
import { useBackend } from "../../trainer/backend";
import { trainModel } from "../../trainer/pipeline";
import { realCandles } from "../helpers/real-data";

const hourly = () => aggregate(realCandles("BTCUSDT"), "1h");
const timeless = (o: Record<string, unknown>) => ({ ...o, train_seconds: 0 });

afterEach(() => {
  delete process.env.TRAINER_FIT_THREADS;
});

describe("origins on fit threads", () => {
  for (const type of ["arima", "cnn_pattern"] as const) {
    it(`${type}: the same metrics, parameters and forecasts as fitted in turn`, async () => {
      const candles = hourly();
      process.env.TRAINER_FIT_THREADS = "0";
      const inTurn = await trainModel(type, candles, async () => {});
      process.env.TRAINER_FIT_THREADS = "1";
      const messages: string[] = [];
      const parallel = await trainModel(type, candles, async (_f, m) => void messages.push(m));
      expect(parallel.metrics).toEqual(inTurn.metrics);
      expect(timeless(parallel.parameters)).toEqual(timeless(inTurn.parameters));
      expect(parallel.evaluation).toEqual(inTurn.evaluation);
      expect(parallel.metrics.folds.length).toBe(type === "arima" ? 6 : 3);
      // The threads' progress reaches the job (origins fitted elsewhere report through the pool).
      expect(messages.some((m) => /^origin \d/.test(m))).toBe(true);
    }, 180_000);
  }
});

describe("in-place slices on the WASM backend", () => {
  it("cut the same values as the CPU backend, on every axis", async () => {
    const shape = [5, 6, 7, 3];
    const data = Array.from({ length: 5 * 6 * 7 * 3 }, (_, i) => Math.sin(i) * 100);
    const on = async (backend: "cpu" | "wasm") => {
      expect(await useBackend(backend)).toBe(backend);
      const x = tf.tensor(data, shape);
      const out: number[][] = [];
      const boxes: [number[], number[]][] = [
        [
          [1, 2, 3, 1],
          [2, 3, 4, 2],
        ],
        [
          [4, 0, 0, 0],
          [1, 6, 7, 3],
        ],
        [
          [0, 0, 0, 2],
          [5, 6, 7, 1],
        ],
        [
          [2, 1, 0, 0],
          [1, 1, 7, 3],
        ],
      ];
      for (const [b, s] of boxes) out.push(Array.from(tf.slice(x, b, s).dataSync()));
      for (const axis of [0, 1, 2, 3]) {
        for (const t of tf.unstack(x, axis)) out.push(Array.from(t.dataSync()));
        for (const t of tf.split(x, axis === 3 ? [1, 2] : 1, axis)) out.push(Array.from(t.dataSync()));
      }
      tf.dispose(x);
      return out;
    };
    const cpu = await on("cpu");
    expect(await on("wasm")).toEqual(cpu);
  });
});
