// Starts the replay exchange (Node side) for the Worker tests: the committed real BTCUSDT weeks
// (2024-02-12 .. 2024-03-10), shifted so that 2024-03-01 12:00 UTC is the present (18 days recorded
// before it, the leap day just behind), with the replay's clock pinned so that no new candle appears
// while tests run, plus two small committed series (SOLUSDT, ETHUSDT) so that more than one symbol is
// listed: the replay's exchangeInfo answers the Worker's symbol checks. It also serves SYNTHETIC_SYMBOLS
// simulated symbols (SIM0001USDT...) for the collection fan-out tests.
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startReplayServer } from "../../scripts/replay/server";
import { startPushService } from "../helpers/push-service";
import { realKlineFile } from "../helpers/real-data";

export const REPLAY_NOW_AT = "2024-03-01T12:00:00Z";
// test/worker/collect-fanout.test.ts uses all of them (ACTIVE + LATER there).
const SYNTHETIC_SYMBOLS = 120;

declare module "vitest" {
  export interface ProvidedContext {
    exchangeUrl: string;
    replayUrl: string;
    replayNow: number;
    /** Sockets on one InstrumentFeed in live-scale.test.ts: LIVE_SOCKETS from the host's environment. */
    liveSockets: number;
    /** The local push service (test/helpers/push-service.ts) Web Push tests subscribe at. */
    pushUrl: string;
  }
}

/** Committed fixture series the replay always serves, so that profile tests have listed symbols. */
const LISTED_FIXTURES = ["SOLUSDT-1m-2025-02.csv", "ETHUSDT-PERP-1m-2024-01.csv"].map((f) =>
  path.resolve(import.meta.dirname, "../fixtures/replay", f),
);

export default async function setup(project: TestProject) {
  const pinned = Math.floor(Date.now() / 60_000) * 60_000;
  const server = await startReplayServer({
    files: [realKlineFile("BTCUSDT"), ...LISTED_FIXTURES],
    port: 0,
    host: "127.0.0.1",
    nowAt: REPLAY_NOW_AT,
    clock: () => pinned,
    log: () => {},
    synthetic: SYNTHETIC_SYMBOLS,
  });
  project.provide("exchangeUrl", server.url);
  project.provide("replayUrl", server.url);
  project.provide("replayNow", pinned);
  // The tests run inside workerd, whose process.env is not the host's: knobs travel through provide().
  project.provide("liveSockets", Number(process.env.LIVE_SOCKETS ?? 200));
  const push = await startPushService();
  project.provide("pushUrl", push.url);
  return async () => {
    await push.close();
    server.close();
  };
}
