// Starts the replay exchange (Node side) for the Worker tests: real BTCUSDT candles from June 2024,
// shifted so that 2024-06-20 12:00 UTC is the present, with the replay's clock pinned so that no new
// candle appears while tests run. Without the sample data the collection tests skip.
import path from "node:path";
import type { TestProject } from "vitest/node";
import { sampleDataDir } from "../../scripts/lib/binance-files";
import { startReplayServer } from "../../scripts/replay/server";

export const REPLAY_NOW_AT = "2024-06-20T12:00:00Z";

declare module "vitest" {
  export interface ProvidedContext {
    replayUrl: string;
    replayNow: number;
  }
}

export default async function setup(project: TestProject) {
  const dir = sampleDataDir();
  if (!dir) {
    console.warn(
      "sample data not found (../shared/data/binance or MONEYMONEY_SAMPLE_DATA): collection tests skip",
    );
    project.provide("replayUrl", "");
    project.provide("replayNow", 0);
    return;
  }
  const pinned = Math.floor(Date.now() / 60_000) * 60_000;
  const server = await startReplayServer({
    files: [path.join(dir, "BTCUSDT-1m-2024-06.csv.gz")],
    port: 0,
    host: "127.0.0.1",
    nowAt: REPLAY_NOW_AT,
    clock: () => pinned,
    log: () => {},
  });
  project.provide("replayUrl", server.url);
  project.provide("replayNow", pinned);
  return () => server.close();
}
