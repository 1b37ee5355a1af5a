// The user chart route against the seed-design peer (FastAPI + PostgreSQL + pandas resample on demand,
// ../shared/peers/seed_platform.py), side by side in one run over the same BTCUSDT year: every
// timeframe at the dashboard's limits, requests interleaved round by round (ours, then the peer's),
// medians. Also the 304 answer to a dashboard that already holds the latest range.
// Needs the peer's Debian packages (postgresql, python3-fastapi, uvicorn, python3-psycopg2,
// python3-pandas), its cluster running and the year loaded (see ../shared/peers/README.md).
// Run: npx tsx bench/chart-vs-peer.ts [--rounds 11] [--server cli|api]
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Timeframe } from "../core/candles/timeframes";
import type { AuthAnswer, CandlesAnswer } from "../worker/contract";
import { parseServers } from "./lib/dev-server";
import { bundleWorker, freePort, ROOT } from "./lib/local-worker";
import { median } from "./lib/stats";
import { openYearState, YEAR_SYMBOL } from "./lib/year-state";

const PEER = path.resolve(ROOT, "../shared/peers/seed_platform.py");
const STATE = path.join(ROOT, ".tmp", "bench-year-state");
const CASES: [Timeframe, number][] = [
  ["1m", 1000],
  ["5m", 1000],
  ["15m", 1000],
  ["1h", 1000],
  ["4h", 500],
  ["1D", 365],
  ["1W", 52],
  ["1M", 12],
];
const SERVER_NOTE: Record<string, string> = {
  cli: "wrangler dev CLI (as npm run dev)",
  api: "wrangler dev engine",
};
const TARGET_MS = 10;
const TARGET_RATIO = 3;

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "11" }, server: { type: "string", default: "cli" } },
});
const ROUNDS = Number(values.rounds);

async function timed(url: string, headers: Record<string, string> = {}) {
  const t0 = performance.now();
  const res = await fetch(url, { headers });
  const text = await res.text();
  return { ms: performance.now() - t0, status: res.status, text, etag: res.headers.get("etag") };
}

/** The peer as the postgres user (its DSN connects over the local socket as postgres), exec'd in place. */
function startPeer(port: number): ChildProcess {
  const args = [
    "--reuid=postgres",
    "--regid=postgres",
    "--init-groups",
    "/usr/bin/python3",
    PEER,
    "serve",
    String(port),
  ];
  return spawn("setpriv", args, { stdio: "ignore", cwd: "/tmp" });
}

const dir = mkdtempSync(path.join(tmpdir(), "mm-chart-peer-"));
const peerPort = await freePort();
const peer = startPeer(peerPort);
const stopPeer = () => peer.kill("SIGTERM");
process.once("exit", stopPeer);
try {
  const bundle = await bundleWorker(path.join(dir, "bundle"));
  const server = parseServers(values.server)[0];
  const year = await openYearState({ bundle, persistTo: STATE, days: 366, fresh: false, server });
  const base = year.worker.base;
  // Users see only trained instruments: mark the year's profile as one.
  execFileSync(
    "npx",
    [
      "wrangler",
      "d1",
      "execute",
      "DB",
      "--local",
      "--persist-to",
      STATE,
      "--command",
      `update trading_profiles set models_trained = 1 where symbol = '${YEAR_SYMBOL}'`,
    ],
    { cwd: ROOT, stdio: "ignore" },
  );
  const signup = await fetch(`${base}/api/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: `peer-${Date.now()}@example.com`, password: "chart bench password 1" }),
  });
  const { token } = (await signup.json()) as AuthAnswer;
  const auth = { authorization: `Bearer ${token}` };
  const ours = (tf: Timeframe, limit: number) =>
    `${base}/api/instruments/${YEAR_SYMBOL}/data/${tf}?limit=${limit}`;
  const theirs = (tf: Timeframe, limit: number) =>
    `http://127.0.0.1:${peerPort}/api/user/instruments/${YEAR_SYMBOL}/data/${tf}?limit=${limit}`;
  for (let i = 0; i < 120; i++) {
    if ((await fetch(theirs("1M", 1)).catch(() => null))?.ok) break;
    await new Promise((r) => setTimeout(r, 500));
  }

  // Same closes on both sides, period by period from the newest. The replay shifts the year by whole
  // weeks (weekday and time of day kept), so times differ and 1M periods hold other days; both
  // sides see the same minutes otherwise (ours: the days the backfill reached).
  for (const [tf, limit] of CASES) {
    if (tf === "1M") continue;
    const a = (JSON.parse((await timed(ours(tf, limit), auth)).text) as CandlesAnswer).candles.reverse();
    const b = (JSON.parse((await timed(theirs(tf, limit))).text) as CandlesAnswer).candles.reverse();
    const n = Math.min(a.length, b.length) - 1; // the oldest period may be cut on either side
    const differ = a.slice(0, n).findIndex((c, k) => Math.abs(c.close - b[k].close) > 1e-9);
    if (differ >= 0) console.warn(`${tf}: closes differ ${differ} periods from the newest`);
  }

  const wall = new Map<string, number[]>();
  const push = (k: string, ms: number) => wall.set(k, [...(wall.get(k) ?? []), ms]);
  const loads: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    loads.push(loadavg()[0]);
    for (const [tf, limit] of CASES) {
      const a = await timed(ours(tf, limit), auth);
      if (a.status !== 200) throw new Error(`ours ${tf}: ${a.status} ${a.text.slice(0, 200)}`);
      push(`ours ${tf}`, a.ms);
      const n = await timed(ours(tf, limit), { ...auth, "if-none-match": a.etag ?? "" });
      if (n.status !== 304) throw new Error(`ours ${tf} revalidation: ${n.status}`);
      push(`304 ${tf}`, n.ms);
      push(`peer ${tf}`, (await timed(theirs(tf, limit))).ms);
    }
  }
  console.log(
    `${SERVER_NOTE[server]}, ${ROUNDS} interleaved rounds, load average ${median(loads).toFixed(1)} (1-min, median over rounds)`,
  );
  console.log("timeframe/limit   ours ms   304 ms   peer ms   ratio   targets (<= 10 ms, >= 3x)");
  for (const [tf, limit] of CASES) {
    const o = median(wall.get(`ours ${tf}`) ?? []);
    const p = median(wall.get(`peer ${tf}`) ?? []);
    const nm = median(wall.get(`304 ${tf}`) ?? []);
    const ok = `${o <= TARGET_MS ? "met" : "MISSED"} / ${p / o >= TARGET_RATIO ? "met" : "MISSED"}`;
    console.log(
      `${`${tf} / ${limit}`.padEnd(16)} ${o.toFixed(1).padStart(8)} ${nm.toFixed(1).padStart(8)} ${p.toFixed(1).padStart(9)} ${(p / o).toFixed(1).padStart(6)}x   ${ok}`,
    );
  }
  await year.worker.stop();
} finally {
  stopPeer();
  rmSync(dir, { recursive: true, force: true });
}
