// npm run replay -- DIR [--port 9100] [--now-at ISO] [--synthetic N] [--verbose]: a local Binance spot API over
// kline dumps, and N synthetic simulated symbols SIM0001USDT... beside them.
import { parseArgs } from "node:util";
import { DEFAULT_PORT } from "./replay/constants";
import { startReplayServer } from "./replay/server";
import { syntheticSymbol } from "./sim/synthetic";

const USAGE =
  "usage: npm run replay -- DIR [--port 9100] [--now-at 2024-01-15T12:00:00Z] [--synthetic 1000] [--verbose]";

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: "string", default: String(DEFAULT_PORT) },
      "now-at": { type: "string" },
      synthetic: { type: "string", default: "0" },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help || positionals.length !== 1) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--port: not a port: ${values.port}`);
  const replay = await startReplayServer({
    dir: positionals[0],
    port,
    nowAt: values["now-at"],
    verbose: values.verbose,
    synthetic: Number(values.synthetic),
  });
  const iso = (ms: number) => new Date(ms).toISOString();
  const shiftMs = replay.shiftSeconds * 1000;
  console.log(
    `replay: loaded in ${(replay.loadMs / 1000).toFixed(1)} s, times shifted by ${shiftMs / 604_800_000} weeks`,
  );
  for (const s of replay.market.series.values()) {
    const first = s.openMs[0] + shiftMs;
    const last = s.openMs[s.openMs.length - 1] + shiftMs;
    console.log(`  ${s.symbol}: ${s.openMs.length} candles, ${iso(first)} .. ${iso(last)} (replay time)`);
  }
  if (Number(values.synthetic))
    console.log(
      `  SIM0001USDT .. ${syntheticSymbol(Number(values.synthetic))}: simulated (scripts/sim/synthetic.ts)`,
    );
  const now = replay.market.now();
  console.log(`replay: now is ${iso(now)}, playing the recorded minute ${iso(now - shiftMs)}`);
  console.log("replay: later candles are withheld and arrive live, one a minute, until the recording ends");
  console.log(`replay: listening on ${replay.url} (set EXCHANGE_BASE_URL=${replay.url})`);
  const stop = () => replay.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e: Error) => {
  console.error(`replay: ${e.message}`);
  process.exit(1);
});
