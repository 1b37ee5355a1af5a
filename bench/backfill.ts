// Backfill throughput of the real Worker: wrangler dev (local workerd, D1, R2, Durable Objects) backfills
// 90 days of BTCUSDT 1m candles (129,600) from the replay exchange serving Binance's real dumps, timed
// from the POST to the job's `succeeded`, on a fresh state each run. Target: <= 60 s.
// Runs on the `wrangler dev` CLI (as `npm run dev`) and on wrangler's dev engine without the devtools
// inspector, which the CLI attaches and which reports every D1 query to wrangler's Node side.
// Run: npx tsx bench/backfill.ts [--runs 3] [--days 90] [--server both|cli|api]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { adminLogin } from "./lib/admin-api";
import { type BackfillRun, printProfile, profileBackfill, timeBackfill } from "./lib/backfill-run";
import { parseServers, SERVER_LABEL, type ServerKind, startDevServer } from "./lib/dev-server";
import { bundleWorker, freePort, type WorkerBundle } from "./lib/local-worker";
import { type RecordedReplay, startBtcReplay } from "./lib/replay";
import { fmtInt, median } from "./lib/stats";

const SYMBOL = "BTCUSDT";
const TARGET_SECONDS = 60;
const POLL_MS = 250;
const RUN_TIMEOUT_MS = 8 * 60_000;
const MINUTES_PER_DAY = 1440;

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    days: { type: "string", default: "90" },
    server: { type: "string", default: "both" },
  },
});
const runs = Number(values.runs);
const days = Number(values.days);

/** Checks the stored span against the job's [from, to): every minute there, no gap. */
function verify(run: BackfillRun): string[] {
  const { from, to } = run.job.params as { from: number; to: number };
  const expected = (to - from) / 60;
  const problems: string[] = [];
  if (run.job.status !== "succeeded") problems.push(`job ${run.job.status}: ${run.job.error}`);
  if (run.status.candles !== expected) problems.push(`candles ${run.status.candles}, expected ${expected}`);
  if (run.status.first_time !== from || run.status.last_time !== to - 60)
    problems.push(`span ${run.status.first_time}..${run.status.last_time}, expected ${from}..${to - 60}`);
  for (const g of run.status.gaps)
    problems.push(
      `gap ${new Date(g.from * 1000).toISOString()} .. ${new Date(g.to * 1000).toISOString()} (${g.minutes} min)`,
    );
  return problems;
}

async function oneRun(server: ServerKind, bundle: WorkerBundle, replay: RecordedReplay, state: string) {
  const worker = await startDevServer(server, {
    bundle,
    port: await freePort(),
    persistTo: state,
    vars: { EXCHANGE_BASE_URL: replay.server.url },
  });
  try {
    const api = await adminLogin(worker.base, worker.vars.ADMIN_BOOTSTRAP_TOKEN);
    return await timeBackfill(api, replay, SYMBOL, days, { pollMs: POLL_MS, timeoutMs: RUN_TIMEOUT_MS });
  } finally {
    await worker.stop();
  }
}

function describe(run: BackfillRun, problems: string[]): string {
  const counted = (run.job.params as { stored?: number }).stored;
  const notes = [
    run.connectionErrors ? `${run.connectionErrors} polls lost their connection (local runtime reset)` : "",
    counted !== run.status.candles
      ? `the job counted ${counted} stored (days skipped as already complete are not counted)`
      : "",
  ].filter(Boolean);
  const rate = run.status.candles / (run.wallMs / 1000);
  return (
    `${days} days -> ${fmtInt(run.status.candles)} candles in ${(run.wallMs / 1000).toFixed(1)} s ` +
    `(${fmtInt(rate)} candles/s), gaps ${run.status.gaps.length}, ` +
    (problems.length ? `PROBLEMS: ${problems.join("; ")}` : "verified: every minute of [from, to) stored") +
    (notes.length ? `; note: ${notes.join("; ")}` : "")
  );
}

async function main() {
  const work = mkdtempSync(path.join(tmpdir(), "mm-bench-backfill-"));
  console.log(`bundling the Worker (wrangler deploy --dry-run) ...`);
  const bundle = await bundleWorker(path.join(work, "bundle"));
  const replay = await startBtcReplay();
  const shiftDays = replay.server.shiftSeconds / 86_400;
  console.log(
    `replay: ${replay.server.symbols.join(", ")} loaded in ${(replay.server.loadMs / 1000).toFixed(1)} s, ` +
      `recording shifted by ${shiftDays} days (${shiftDays / 7} weeks), now = last recorded minute`,
  );
  const summary: string[] = [];
  let failed = false;
  try {
    for (const server of parseServers(values.server)) {
      console.log(`\n${SERVER_LABEL[server]}:`);
      const walls: number[] = [];
      const rates: number[] = [];
      for (let i = 1; i <= runs; i++) {
        const state = path.join(work, `state-${server}-${i}`);
        const run = await oneRun(server, bundle, replay, state);
        const problems = verify(run);
        walls.push(run.wallMs);
        rates.push(run.status.candles / (run.wallMs / 1000));
        console.log(`run ${i}: ${describe(run, problems)}`);
        printProfile(profileBackfill(run));
        if (problems.length) failed = true;
        else rmSync(state, { recursive: true, force: true });
      }
      const wall = median(walls) / 1000;
      summary.push(
        `${SERVER_LABEL[server]}: median of ${runs} ${wall.toFixed(1)} s, ${fmtInt(median(rates))} candles/s; ` +
          `target <= ${TARGET_SECONDS} s: ${wall <= TARGET_SECONDS ? "met" : "MISSED"}`,
      );
    }
  } finally {
    await replay.server.close();
  }
  console.log(`\nbackfill of ${days} days (${fmtInt(days * MINUTES_PER_DAY)} candles), POST to succeeded:`);
  for (const line of summary) console.log(`  ${line}`);
  if (failed) {
    console.log(`state folders of failed runs kept under ${work}`);
    process.exitCode = 1;
  } else rmSync(work, { recursive: true, force: true });
}

await main();
