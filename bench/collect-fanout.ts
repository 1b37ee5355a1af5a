// Collection at scale under `wrangler dev`: N instruments (the replay's synthetic SIM0001USDT...) collected
// by the every-minute cron through the COLLECT_QUEUE, for N = 100 and 1,000. For each minute it prints the
// time from the minute's start (the cron tick) until every shard has stored its candles, and the D1
// queries of each shard's invocation (D1 allows 1,000 per invocation), then checks in D1 that every
// instrument holds every minute exactly once.
// Each profile starts with one stored candle; each tick then asks for the next closed minute (a steady
// minute: one new candle per instrument). Ticks are past minutes (the scheduled handler takes any time),
// so the bench never waits for the clock. The first tick warms up (markets, isolate) and is shown apart.
// Run: npx tsx bench/collect-fanout.ts [--sizes 100,1000] [--ticks 3]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startReplayServer } from "../scripts/replay/server";
import { syntheticSymbol } from "../scripts/sim/synthetic";
import { COLLECT_SHARD_SIZE } from "../worker/config";
import { adminLogin } from "./lib/admin-api";
import { queryLocalD1 } from "./lib/d1-disk";
import { bundleWorker, freePort, prepareState, ROOT, startLocalWorker } from "./lib/local-worker";
import { logFollower } from "./lib/log-follower";
import { median } from "./lib/stats";

const { values } = parseArgs({
  options: { sizes: { type: "string", default: "100,1000" }, ticks: { type: "string", default: "3" } },
});
const sizes = values.sizes.split(",").map(Number);
const ticks = Number(values.ticks);
const TICK_TIMEOUT_MS = 120_000;

function d1(persistTo: string, args: string[]) {
  const r = spawnSync(
    "npx",
    ["wrangler", "d1", "execute", "DB", "--local", "--persist-to", persistTo, ...args],
    {
      cwd: ROOT,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (r.status !== 0) throw new Error(`d1 execute failed: ${r.stderr.slice(-500)}`);
  return r.stdout;
}

const query = async (persistTo: string, sql: string) =>
  (await queryLocalD1(persistTo, sql)) as Record<string, number>[];

interface Tick {
  minute: number;
  ms: number;
  shards: number;
  queries: number[];
  statements: number[];
  failed: number;
}

/** Waits until the log has a line for every shard of the tick at `minute`; their figures. */
async function waitShards(logFile: string, minute: number, t0: number): Promise<Tick> {
  const iso = new Date(minute * 1000).toISOString();
  const line = new RegExp(
    `collect shard (\\d+)/(\\d+) of ${iso}: (\\d+) instruments, (\\d+) failed, \\d+ deferred, (\\d+) D1 queries \\((\\d+) statements\\)`,
    "g",
  );
  const seen = new Map<number, { of: number; failed: number; queries: number; statements: number }>();
  const follow = logFollower(logFile);
  for (;;) {
    for (const m of follow().matchAll(line))
      seen.set(Number(m[1]), {
        of: Number(m[2]),
        failed: Number(m[4]),
        queries: Number(m[5]),
        statements: Number(m[6]),
      });
    const of = [...seen.values()][0]?.of;
    if (of !== undefined && seen.size === of) {
      const ms = performance.now() - t0;
      const all = [...seen.values()];
      return {
        minute,
        ms,
        shards: of,
        queries: all.map((s) => s.queries),
        statements: all.map((s) => s.statements),
        failed: all.reduce((a, s) => a + s.failed, 0),
      };
    }
    if (performance.now() - t0 > TICK_TIMEOUT_MS)
      throw new Error(`tick ${iso}: ${seen.size} shards of ${of}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function run(n: number, bundle: Awaited<ReturnType<typeof bundleWorker>>) {
  const state = mkdtempSync(path.join(tmpdir(), "mm-fanout-"));
  const replay = await startReplayServer({ synthetic: n, port: 0, log: () => {} });
  try {
    // Every synthetic market computes today's returns once (what the simulator keeps per symbol).
    for (let i = 1; i <= n; i++)
      await fetch(`${replay.url}/api/v3/klines?symbol=${syntheticSymbol(i)}&interval=1m&limit=1`);
    const vars = { EXCHANGE_BASE_URL: replay.url };
    await prepareState(state, vars);
    // Profiles 2..N straight into D1, each with the candle of minute `seed`; SIM0001USDT through the API.
    const seed = Math.floor(Date.now() / 60_000) * 60 - (ticks + 3) * 60;
    const sql = [];
    for (let i = 2; i <= n; i++) {
      const s = syntheticSymbol(i);
      sql.push(
        `insert into trading_profiles (id, symbol, name, profile_type) values (${i}, '${s}', '${s}', 'crypto');`,
      );
      sql.push(
        `insert into candles (profile_id, time, open, high, low, close, volume) values (${i}, ${seed}, 1, 1, 1, 1, 1);`,
      );
    }
    const file = path.join(state, "seed.sql");
    writeFileSync(file, sql.join("\n"));
    if (n > 1) d1(state, ["--file", file, "--yes"]);
    const worker = await startLocalWorker({
      bundle,
      port: await freePort(),
      persistTo: state,
      vars,
      extraArgs: ["--test-scheduled"],
    });
    const results: Tick[] = [];
    try {
      const api = await adminLogin(worker.base, worker.vars.ADMIN_BOOTSTRAP_TOKEN);
      await api.post("/api/admin/profiles", { symbol: syntheticSymbol(1) }); // checked against exchangeInfo
      for (let k = 1; k <= ticks + 1; k++) {
        const minute = seed + 60 * (k + 1); // collects the minute seed + 60 k
        const t0 = performance.now();
        const res = await fetch(
          `${worker.base}/cdn-cgi/local/scheduled?cron=*+*+*+*+*&time=${minute * 1000}`,
        );
        if (!res.ok) throw new Error(`scheduled answered ${res.status}`);
        results.push(await waitShards(worker.logFile, minute, t0));
      }
    } finally {
      await worker.stop();
    }
    const perMinute = await query(
      state,
      `select time, count(*) as n from candles where time > ${seed} and time <= ${seed + 60 * (ticks + 1)} group by time order by time`,
    );
    const total = (
      await query(state, "select count(*) as n, count(distinct profile_id) as p from candles")
    )[0];
    return { n, results, perMinute, total, seed };
  } finally {
    await replay.close();
    if (!process.env.KEEP_STATE) rmSync(state, { recursive: true, force: true });
  }
}

const out = mkdtempSync(path.join(tmpdir(), "mm-fanout-bundle-"));
const bundle = await bundleWorker(out);
console.log(
  `load before: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")} (2 cores, shared)`,
);
console.log(
  `shard size ${COLLECT_SHARD_SIZE}; wrangler dev runs a queue's batches one at a time (production runs shards concurrently)`,
);
const rows: string[] = [];
for (const n of sizes) {
  const r = await run(n, bundle);
  const [warm, ...steady] = r.results;
  const problems: string[] = [];
  for (const t of r.results)
    if (t.failed) problems.push(`${t.failed} failed at ${new Date(t.minute * 1000).toISOString()}`);
  for (const row of r.perMinute)
    if (row.n !== n) problems.push(`minute ${row.time}: ${row.n} candles of ${n}`);
  // A minute with no candle at all has no row above.
  if (r.perMinute.length !== ticks + 1) problems.push(`${r.perMinute.length} minutes stored of ${ticks + 1}`);
  const queries = steady.flatMap((t) => t.queries);
  const statements = steady.flatMap((t) => t.statements);
  const ms = steady.map((t) => t.ms);
  console.log(
    `${n} instruments: warm-up tick ${(warm.ms / 1000).toFixed(2)} s; steady ticks ${ms.map((x) => (x / 1000).toFixed(2)).join(", ")} s ` +
      `(median ${(median(ms) / 1000).toFixed(2)} s), ${steady[0].shards} shards, D1 calls per invocation median ${median(queries)}, max ${Math.max(...queries)} (statements ${median(statements)}, max ${Math.max(...statements)}); ` +
      `stored ${r.total.n} candles of ${r.total.p} instruments, ${r.perMinute.length} minutes x ${n} ${problems.length ? `PROBLEMS: ${problems.join("; ")}` : "each exactly once"}`,
  );
  rows.push(
    `| ${n} | ${steady[0].shards} | ${(median(ms) / 1000).toFixed(2)} s | ${(warm.ms / 1000).toFixed(2)} s | ${median(queries)} / ${Math.max(...queries)} | ${median(statements)} / ${Math.max(...statements)} | ${n * 2} |`,
  );
}
console.log(
  `load after: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
console.log(
  "\n| instruments | shards | minute start -> all stored (median) | warm-up tick | D1 calls per invocation (median / max) | D1 statements (median / max) | Binance weight per minute |",
);
console.log("|---|---|---|---|---|---|---|");
for (const r of rows) console.log(r);
rmSync(out, { recursive: true, force: true });
