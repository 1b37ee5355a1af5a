// The user chart route against the seed-design peer (FastAPI + PostgreSQL + pandas resample on demand,
// ../shared/peers/seed_platform.py, started here: see bench/lib/seed-peer.ts), side by side in one
// run over the same BTCUSDT year, every timeframe at the dashboard's limits. Per run and timeframe:
// 25 sequential requests of ours (after one that builds the answer), 25 sequential revalidations
// (If-None-Match: 304), then the peer's (25, or as many as fit in --peer-ms for its slow ones); the
// medians of each run, then the median over runs. Also the dev server's floor (an unknown API path,
// 404) and a cold 1m answer that reads its days from R2. Each client (bench/lib/http-get.ts) measures
// both sides; "both" prints a table per client.
// Run: npx tsx bench/chart-vs-peer.ts [--runs 3] [--requests 25] [--server cli|api] [--peer-ms 8000]
//        [--client http|fetch|both]
import { execFileSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Timeframe } from "../core/candles/timeframes";
import type { CandlesAnswer } from "../worker/contract";
import { parseServers, SERVER_LABEL } from "./lib/dev-server";
import { CLIENT_LABEL, type HttpClient, httpGet, parseClients } from "./lib/http-get";
import { bundleWorker, ROOT } from "./lib/local-worker";
import { startSeedPeer } from "./lib/seed-peer";
import { median } from "./lib/stats";
import { signIn } from "./lib/user-api";
import { openYearState, YEAR_SYMBOL } from "./lib/year-state";

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
const TARGET_MS = 10;
const TARGET_RATIO = 3;

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    requests: { type: "string", default: "25" },
    server: { type: "string", default: "cli" },
    "peer-ms": { type: "string", default: "8000" },
    client: { type: "string", default: "both" },
  },
});
const RUNS = Number(values.runs);
const REQUESTS = Number(values.requests);
const PEER_MS = Number(values["peer-ms"]);
const CLIENTS = parseClients(values.client);
const timed = (url: string, headers: Record<string, string> = {}, client: HttpClient = "http") =>
  httpGet(client, url, headers); // the checks and cold requests use the node:http client

/** Medians of `n` sequential requests (at least 5, then stopping once `budgetMs` is spent). */
async function series(n: number, budgetMs: number, one: () => Promise<number>) {
  const ms: number[] = [];
  const t0 = performance.now();
  while (ms.length < n && (ms.length < 5 || performance.now() - t0 < budgetMs)) ms.push(await one());
  return { median: median(ms) };
}

const fmt = (x: number) => (x < 100 ? x.toFixed(1) : x.toFixed(0));

const dir = mkdtempSync(path.join(tmpdir(), "mm-chart-peer-"));
const peer = await startSeedPeer();
try {
  const bundle = await bundleWorker(path.join(dir, "bundle"));
  const server = parseServers(values.server)[0];
  const year = await openYearState({ bundle, persistTo: STATE, days: 366, fresh: false, server });
  const base = year.worker.base;
  // Users see only trained instruments: mark the year's profile as one.
  execFileSync(
    "npx",
    ["wrangler", "d1", "execute", "DB", "--local", "--persist-to", STATE, "--command"].concat(
      `update trading_profiles set models_trained = 1 where symbol = '${YEAR_SYMBOL}'`,
    ),
    { cwd: ROOT, stdio: "ignore" },
  );
  const { token } = await signIn(base, {
    email: `peer-${Date.now()}@example.com`,
    password: "chart bench password 1",
  });
  const auth = { authorization: `Bearer ${token}` };
  const ours = (tf: Timeframe, limit: number, end?: number) =>
    `${base}/api/instruments/${YEAR_SYMBOL}/data/${tf}?limit=${limit}${end ? `&end=${end}` : ""}`;
  const theirs = (tf: Timeframe, limit: number) => peer.url(YEAR_SYMBOL, tf, limit);

  // Same closes on both sides, period by period. The replay shifts the recorded year by whole weeks
  // so that its present is now (weekday and time of day kept), and ours ends where the backfill
  // stopped: its newest candles are the peer's of some days earlier. So the series are aligned on
  // the closes (newest first, ours shifted by d periods into the peer's) and must then agree on every
  // period both hold, except ours' newest (open) one and the oldest (which may be cut).
  for (const [tf, limit] of CASES) {
    if (tf === "1M") continue;
    const a = (JSON.parse((await timed(ours(tf, limit), auth)).text) as CandlesAnswer).candles.reverse();
    const b = (JSON.parse((await timed(theirs(tf, limit))).text) as CandlesAnswer).candles.reverse();
    const overlap = (d: number) => Math.min(a.length - 1, b.length - d) - 1;
    const agree = (d: number) =>
      overlap(d) >= 10 &&
      a.slice(1, overlap(d)).every((c, k) => Math.abs(c.close - b[k + 1 + d].close) <= 1e-9);
    const d = b.findIndex((_, i) => agree(i));
    console.log(
      d < 0
        ? `${tf}: no ${limit}-period window of ours overlaps the peer's enough to compare`
        : `${tf}: the same closes on ${overlap(d) - 1} periods (ours ${d} periods before the peer's newest)`,
    );
  }

  // A cold 1m answer: a range not asked before (the state folder, and its Cache API, outlive a run: the
  // ends are picked at random minutes), whose minutes come from archived days in R2.
  const latest = (JSON.parse((await timed(ours("1m", 1), auth)).text) as CandlesAnswer).candles[0].time;
  const colds: number[] = [];
  for (let k = 1; k <= 5; k++) {
    const end = latest - k * 17 * 86_400 - 60 * randomInt(60, 16 * 1440);
    const r = await timed(ours("1m", 1000, end), auth);
    if (r.status !== 200) throw new Error(`cold 1m: ${r.status}`);
    colds.push(r.ms);
  }

  const perRun: Map<string, number>[] = [];
  const loads: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const m = new Map<string, number>();
    loads.push(loadavg()[0]);
    for (const client of CLIENTS) {
      const floor = await series(REQUESTS, Number.POSITIVE_INFINITY, async () => {
        const r = await timed(`${base}/api/no-such-route`, {}, client);
        if (r.status !== 404) throw new Error(`floor: ${r.status}`);
        return r.ms;
      });
      m.set(`${client} floor`, floor.median);
      for (const [tf, limit] of CASES) {
        const first = await timed(ours(tf, limit), auth, client);
        if (first.status !== 200) throw new Error(`ours ${tf}: ${first.status} ${first.text.slice(0, 200)}`);
        const one = async (headers: Record<string, string>, status: number) => {
          const r = await timed(ours(tf, limit), headers, client);
          if (r.status !== status) throw new Error(`ours ${tf}: ${r.status} (want ${status})`);
          if (status === 200 && r.text !== first.text) throw new Error(`ours ${tf}: a different answer`);
          return r.ms;
        };
        const series200 = await series(REQUESTS, Number.POSITIVE_INFINITY, () => one(auth, 200));
        m.set(`${client} ours ${tf}`, series200.median);
        const revalidate = { ...auth, "if-none-match": first.etag ?? "" };
        const series304 = await series(REQUESTS, Number.POSITIVE_INFINITY, () => one(revalidate, 304));
        m.set(`${client} 304 ${tf}`, series304.median);
        const p = await series(
          REQUESTS,
          PEER_MS,
          async () => (await timed(theirs(tf, limit), {}, client)).ms,
        );
        m.set(`${client} peer ${tf}`, p.median);
      }
    }
    perRun.push(m);
  }
  const over = (k: string) => median(perRun.map((m) => m.get(k) ?? Number.NaN));
  const runs = (k: string) => perRun.map((m) => fmt(m.get(k) ?? 0)).join("/");
  console.log(
    `\n${SERVER_LABEL[server]}: ${RUNS} runs, ${REQUESTS} sequential requests per case and run ` +
      `(peer: fewer when ${PEER_MS} ms are spent, at least 5), load average ${loads.map((l) => l.toFixed(1)).join(", ")} (1-min, at each run's start)`,
  );
  console.log(
    `cold 1m/1000 from R2 days (first request of a range, http client): ${colds.map(fmt).join(", ")} ms`,
  );
  for (const client of CLIENTS) {
    console.log(
      `\nclient: ${CLIENT_LABEL[client]}; floor (unknown API path, 404): ${runs(`${client} floor`)} ms`,
    );
    console.log(
      "timeframe/limit   ours ms (per run)        304 ms   peer ms (per run)          ratio   targets (<= 10 ms, >= 3x)",
    );
    for (const [tf, limit] of CASES) {
      const o = over(`${client} ours ${tf}`);
      const p = over(`${client} peer ${tf}`);
      const ok = `${o <= TARGET_MS ? "met" : "MISSED"} / ${p / o >= TARGET_RATIO ? "met" : "MISSED"}`;
      console.log(
        `${`${tf} / ${limit}`.padEnd(16)} ${fmt(o).padStart(6)} (${runs(`${client} ours ${tf}`)})`.padEnd(
          42,
        ) +
          `${fmt(over(`${client} 304 ${tf}`)).padStart(6)}   ${`${fmt(p)} (${runs(`${client} peer ${tf}`)})`.padEnd(26)} ${(p / o).toFixed(1).padStart(5)}x   ${ok}`,
      );
    }
  }
  await year.worker.stop();
} finally {
  peer.stop();
  rmSync(dir, { recursive: true, force: true });
}
