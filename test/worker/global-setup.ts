// Starts the replay exchange (Node side) for the Worker tests: real BTCUSDT candles from June 2024,
// shifted so that 2024-06-20 12:00 UTC is the present, with the replay's clock pinned so that no new
// candle appears while tests run, plus two small committed series (SOLUSDT, ETHUSDT) so that more than one
// symbol is listed. Without the sample data the collection tests skip.
import path from "node:path";
import type { TestProject } from "vitest/node";
import { sampleDataDir } from "../../scripts/lib/binance-files";
import { startReplayServer } from "../../scripts/replay/server";

export const REPLAY_NOW_AT = "2024-06-20T12:00:00Z";

declare module "vitest" {
  export interface ProvidedContext {
    exchangeUrl: string;
    replayUrl: string;
    replayNow: number;
  }
}

/** Committed fixture series the replay always serves, so that profile tests have listed symbols. */
const LISTED_FIXTURES = ["SOLUSDT-1m-2025-02.csv", "ETHUSDT-PERP-1m-2024-01.csv"].map((f) =>
  path.resolve(import.meta.dirname, "../fixtures/replay", f),
);

export default async function setup(project: TestProject) {
  const dir = sampleDataDir();
  if (!dir) {
    console.warn(
      "sample data not found (../shared/data/binance or MONEYMONEY_SAMPLE_DATA): collection tests skip",
    );
  }
  const pinned = Math.floor(Date.now() / 60_000) * 60_000;
  const server = await startReplayServer({
    files: [...LISTED_FIXTURES, ...(dir ? [path.join(dir, "BTCUSDT-1m-2024-06.csv.gz")] : [])],
    port: 0,
    host: "127.0.0.1",
    nowAt: REPLAY_NOW_AT,
    clock: () => pinned,
    log: () => {},
  });
  // The exchange is always the replay (its exchangeInfo answers symbol checks); the collection tests
  // need the real BTCUSDT month and skip without it.
  project.provide("exchangeUrl", server.url);
  project.provide("replayUrl", dir ? server.url : "");
  project.provide("replayNow", dir ? pinned : 0);
  return () => server.close();
}
