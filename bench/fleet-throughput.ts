// Training jobs per hour with 1, 2 and 4 trainers: 20 simulated instruments (the replay's SIM0001USDT...,
// each --days of hourly candles from its own simulated market) x the four models, queued through the
// admin API and worked by N trainer CLIs at once under `wrangler dev`. Each trainer fits on one thread
// (TRAINER_FIT_THREADS=0), as a 1-vCPU container instance would; this machine has 2 cores, so more
// than 2 trainers only share them.
// Run: npx tsx bench/fleet-throughput.ts [--trainers 1,2,4] [--instruments 20] [--days 20]
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { aggregate } from "../core/candles/aggregate";
import type { Candle } from "../core/candles/types";
import { MODEL_TYPES } from "../core/models/model-types";
import { startReplayServer } from "../scripts/replay/server";
import { SimMarket } from "../scripts/sim/generator";
import { syntheticSymbol } from "../scripts/sim/synthetic";
import { adminLogin } from "./lib/admin-api";
import { bundleWorker, freePort, ROOT, startLocalWorker } from "./lib/local-worker";

const { values } = parseArgs({
  options: {
    trainers: { type: "string", default: "1,2,4" },
    instruments: { type: "string", default: "20" },
    days: { type: "string", default: "20" },
  },
});
const counts = values.trainers.split(",").map(Number);
const n = Number(values.instruments);
const days = Number(values.days);
const work = path.join(ROOT, ".tmp/bench-fleet");
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

/** The last `days` full days of `symbol`'s simulated market as hourly candles. */
function hourlyOf(symbol: string, epoch: string): Candle[] {
  const market = new SimMarket(symbol, { epoch }, 1);
  const today = Math.floor(Date.now() / 86_400_000);
  const minutes: Candle[] = [];
  for (let d = today - days; d < today; d++)
    for (const c of market.day(d))
      minutes.push({
        time: c.openMs / 1000,
        open: c.open,
        high: c.high,
        low: c.low,
        close: c.close,
        volume: c.volume,
      });
  return aggregate(minutes, "1h");
}

/** Hourly rollups written straight into the local D1 (what a backfill leaves), the Worker stopped. */
function seed(persistTo: string, profiles: number[], epoch: string) {
  const rows: string[] = [];
  profiles.forEach((id, i) => {
    for (const c of hourlyOf(syntheticSymbol(i + 1), epoch))
      rows.push(`(${id},'1h',${c.time},${c.open},${c.high},${c.low},${c.close},${c.volume})`);
  });
  const statements: string[] = [];
  for (let k = 0; k < rows.length; k += 500)
    statements.push(
      `insert into candle_rollups (profile_id, timeframe, time, open, high, low, close, volume) values ${rows.slice(k, k + 500).join(",")};`,
    );
  statements.push("update trading_profiles set has_data = 1;");
  const file = path.join(persistTo, "seed.sql");
  writeFileSync(file, statements.join("\n"));
  const args = ["wrangler", "d1", "execute", "DB", "--local", "--persist-to", persistTo, "--file", file];
  const r = spawnSync("npx", args, { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`seeding D1 failed: ${r.stderr}`);
  return rows.length;
}

const replay = await startReplayServer({ synthetic: n, port: 0, log: () => {} });
const epoch = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000).toISOString().slice(0, 10);
console.log(`bundling the Worker; ${n} instruments x ${days} days; load ${load()}`);
const bundle = await bundleWorker(path.join(work, "bundle"));
const persistTo = path.join(work, `state-${Date.now()}`);
const port = await freePort();
const vars = { EXCHANGE_BASE_URL: replay.url };
let worker = await startLocalWorker({ bundle, port, persistTo, vars });
let api = await adminLogin(worker.base, worker.vars.ADMIN_BOOTSTRAP_TOKEN);
const profiles: number[] = [];
for (let i = 1; i <= n; i++) profiles.push(await api.profileId(syntheticSymbol(i)));
await worker.stop();
console.log(`seeded ${seed(persistTo, profiles, epoch)} hourly candles`);
// A fresh port: the stopped server's may linger a moment.
worker = await startLocalWorker({ bundle, port: await freePort(), persistTo, vars });
api = await adminLogin(worker.base, worker.vars.ADMIN_BOOTSTRAP_TOKEN);

function trainer(id: string): Promise<number> {
  const env = {
    ...process.env,
    WORKER_URL: worker.base,
    TRAINER_TOKEN: worker.vars.TRAINER_TOKEN,
    TRAINER_FIT_THREADS: "0",
  };
  return new Promise((resolve) => {
    const child = spawn("npx", ["tsx", "trainer/cli.ts", "--once", "--worker-id", id], {
      cwd: ROOT,
      env,
      stdio: "ignore",
    });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

const results: string[] = [];
for (const k of counts) {
  const queued = await api.post<{ jobs: { id: number }[] }>("/api/admin/train-models", {
    profile_ids: profiles,
    model_types: MODEL_TYPES,
  });
  const ids = queued.jobs.map((j) => j.id);
  const loadBefore = load();
  const t0 = performance.now();
  const codes = await Promise.all(Array.from({ length: k }, (_, i) => trainer(`bench-${k}-${i}`)));
  const hours = (performance.now() - t0) / 3_600_000;
  const jobs = await Promise.all(ids.map((id) => api.job(id)));
  const ok = jobs.filter((j) => j.status === "succeeded").length;
  const line =
    `${k} trainer${k === 1 ? "" : "s"}: ${ok}/${ids.length} jobs in ${(hours * 3600).toFixed(0)} s = ` +
    `${(ok / hours).toFixed(0)} jobs/hour (exit codes ${codes.join(",")}; load ${loadBefore} -> ${load()})`;
  console.log(line);
  results.push(line);
}
await worker.stop();
await replay.close();
console.log(`\n${results.join("\n")}`);
