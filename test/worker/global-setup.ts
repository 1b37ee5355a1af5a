// Starts the replay exchange (Node side) for the Worker tests: the committed real BTCUSDT weeks
// (2024-02-12 .. 2024-03-10), shifted so that 2024-03-01 12:00 UTC is the present (18 days recorded
// before it, the leap day just behind), with the replay's clock pinned so that no new candle appears
// while tests run.
import type { TestProject } from "vitest/node";
import { startReplayServer } from "../../scripts/replay/server";
import { realKlineFile } from "../helpers/real-data";

export const REPLAY_NOW_AT = "2024-03-01T12:00:00Z";

declare module "vitest" {
  export interface ProvidedContext {
    replayUrl: string;
    replayNow: number;
  }
}

export default async function setup(project: TestProject) {
  const pinned = Math.floor(Date.now() / 60_000) * 60_000;
  const server = await startReplayServer({
    files: [realKlineFile("BTCUSDT")],
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
