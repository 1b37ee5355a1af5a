// Chart latency of the real Worker over a stored year of BTCUSDT 1m candles (local workerd, D1, R2):
// GET /api/admin/profiles/:id/data/:tf?limit=1000, latest and with `end` mid-year (older 1m data lives
// in R2 day archives), every timeframe, on the `wrangler dev` CLI and on wrangler's dev engine without
// the devtools inspector; then what the year costs in R2 and D1.
// Targets: <= 25 ms median for 1m, 1h, 1D at limit 1000; <= 16 R2 bytes per stored 1m candle.
// The year is backfilled once into .tmp/bench-year-state and reused (--fresh backfills again).
// Run: npx tsx bench/chart-latency.ts [--fresh] [--requests 50] [--server both|cli|api]
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Timeframe } from "../core/candles/timeframes";
import { printProfile } from "./lib/backfill-run";
import { chartCases } from "./lib/chart-cases";
import { parseServers, SERVER_LABEL } from "./lib/dev-server";
import { type LatencyFigures, measureLatency } from "./lib/latency";
import { bundleWorker, ROOT } from "./lib/local-worker";
import { fmtInt } from "./lib/stats";
import { printStorage } from "./lib/storage-report";
import { openYearState } from "./lib/year-state";

const STATE = path.join(ROOT, ".tmp", "bench-year-state");
const YEAR_DAYS = 366;
const LIMIT = 1000;
const WARMUP = 5;
const CPU_REQUESTS = 30;
const TARGET_MS = 25;
const TARGETED: Timeframe[] = ["1m", "1h", "1D"];

const { values } = parseArgs({
  options: {
    fresh: { type: "boolean", default: false },
    requests: { type: "string", default: "50" },
    server: { type: "string", default: "both" },
  },
});
const REQUESTS = Number(values.requests);

function printTable(names: string[], figures: Map<string, LatencyFigures>, inProcess: boolean) {
  const other = inProcess ? "cpu bench+node" : "cpu wrangler";
  console.log(`case                                   median    p90  cpu workerd  ${other}  target (median)`);
  for (const name of names) {
    const f = figures.get(name);
    if (!f) continue;
    const targeted = !name.startsWith("floor") && TARGETED.includes(name.split(" ")[0] as Timeframe);
    console.log(
      `${name.padEnd(37)} ${f.median.toFixed(1).padStart(7)} ${f.p90.toFixed(1).padStart(6)} ` +
        `${f.cpu.workerd.toFixed(1).padStart(12)} ${f.cpu.other.toFixed(1).padStart(other.length + 1)}  ` +
        (targeted ? `<= ${TARGET_MS} ms: ${f.median <= TARGET_MS ? "met" : "MISSED"}` : ""),
    );
  }
}

async function main() {
  const work = mkdtempSync(path.join(tmpdir(), "mm-bench-chart-"));
  console.log("bundling the Worker (wrangler deploy --dry-run) ...");
  const bundle = await bundleWorker(path.join(work, "bundle"));
  let profileId = 0;
  let fresh = values.fresh;
  for (const server of parseServers(values.server)) {
    const year = await openYearState({ bundle, persistTo: STATE, days: YEAR_DAYS, fresh, server });
    const first = profileId === 0;
    fresh = false;
    profileId = year.profileId;
    const { meta } = year;
    const rate = fmtInt(meta.candles / meta.backfillSeconds);
    if (first)
      console.log(
        `\nyear: ${fmtInt(meta.candles)} candles from one ${meta.days}-day backfill job (gaps ${meta.gaps}) that took ` +
          `${meta.backfillSeconds.toFixed(1)} s (${rate} candles/s) on the dev engine without the inspector, ${meta.createdAt}`,
      );
    if (first) printProfile(meta.profile);
    let figures: Map<string, LatencyFigures>;
    let names: string[];
    let mid: number;
    try {
      const status = await year.api.dataStatus(year.profileId);
      if (status.first_time === null || status.last_time === null) throw new Error("no candles stored");
      const { first_time: from, last_time: last } = status;
      mid = Math.floor((from + last) / 2 / 60) * 60;
      const iso = (t: number) => new Date(t * 1000).toISOString();
      // The replay's present plays a minute of the recording's last week, so the stored year ends there.
      if (first) console.log(`stored: ${fmtInt(status.candles)} candles, ${iso(from)} .. ${iso(last)}`);
      const { base } = year.worker;
      const cases = chartCases({
        base,
        token: year.api.token,
        profileId,
        limit: LIMIT,
        first: from,
        last,
        mid,
      });
      names = cases.map((c) => c.name);
      figures = await measureLatency(cases, {
        warmup: WARMUP,
        rounds: REQUESTS,
        cpuRequests: CPU_REQUESTS,
        pgid: year.worker.pgid,
      });
    } finally {
      await year.worker.stop();
    }
    console.log(
      `\n${SERVER_LABEL[server]}: GET .../data/:tf?limit=${LIMIT}, ${REQUESTS} rounds over every case after ` +
        `${WARMUP} warm-up rounds (wall ms from this process), then ${CPU_REQUESTS} requests per case for the ` +
        `CPU spent (ms per request). end mid-year = ${new Date(mid * 1000).toISOString()}; ` +
        `load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`,
    );
    printTable(names, figures, year.worker.inProcess);
  }
  await printStorage(STATE, profileId);
  rmSync(work, { recursive: true, force: true });
}

await main();
