// A fit thread of the trainer (trainer/fit-pool.ts): fits one rolling-evaluation origin per message
// and answers its one-step forecasts of the block. Same code, same seeds, same backend as the main
// thread, so an origin fitted here gives the numbers it would give there.
import { parentPort } from "node:worker_threads";
import type { Candle } from "../core/candles/types";
import type { Fold } from "../core/models/fold-plan";
import type { NetKind } from "../core/models/net-config";
import { kindOf, type ModelType } from "../core/models/registry";
import { foldForecasts } from "../core/models/rolling";
import { backendForNet } from "./backend";

export interface FitTask {
  id: number;
  type: ModelType;
  candles: Candle[];
  fold: Fold;
}

export type FitReply =
  | { id: number; progress: number; message: string }
  | { id: number; mean: Float64Array; sigma: Float64Array; range?: Float64Array }
  | { id: number; error: string };

const port = parentPort!;
let backendFor: ModelType | null = null;

port.on("message", async ({ id, type, candles, fold }: FitTask) => {
  try {
    const kind = kindOf(type);
    if (kind.tfjs && backendFor !== type) {
      await backendForNet(type as NetKind);
      backendFor = type;
    }
    const out = await foldForecasts(kind, candles, fold, async (progress, message) =>
      port.postMessage({ id, progress, message } satisfies FitReply),
    );
    const buffers = [out.mean, out.sigma, ...(out.range ? [out.range] : [])].map(
      (a) => a.buffer as ArrayBuffer,
    );
    port.postMessage({ id, mean: out.mean, sigma: out.sigma, range: out.range } satisfies FitReply, buffers);
  } catch (err) {
    port.postMessage({ id, error: err instanceof Error ? err.message : String(err) } satisfies FitReply);
  }
});
