// Live candles: from a 1m candle's close to its arrival on every open socket of the instrument, and
// how many sockets one InstrumentFeed holds. The real Worker under `wrangler dev` collects from the
// replay exchange running on the real clock (a new BTCUSDT minute closes every minute); the bench
// fires the scheduled handler at each minute boundary, as the Cron Trigger does, with N sockets open.
// The figure is close -> message received (a browser draws it in the next animation frame, ~16 ms).
// Run: npx tsx bench/live-latency.ts [--sockets 500] [--minutes 2] [--server api|cli]
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { AuthAnswer, LiveEvent, LiveTicket } from "../worker/contract";
import { parseServers, startDevServer } from "./lib/dev-server";
import { bundleWorker, freePort, prepareState, ROOT } from "./lib/local-worker";
import { startBtcReplay } from "./lib/replay";
import { median, percentile } from "./lib/stats";
import { openTextSocket, type TextSocket } from "./lib/ws-client";

const { values } = parseArgs({
  options: {
    sockets: { type: "string", default: "500" },
    minutes: { type: "string", default: "2" },
    server: { type: "string", default: "api" },
  },
});
const SOCKETS = Number(values.sockets);
const MINUTES = Number(values.minutes);
const SYMBOL = "BTCUSDT";

const post = async <T>(url: string, body: unknown, token?: string): Promise<T> => {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
};

const dir = mkdtempSync(path.join(tmpdir(), "mm-live-"));
const replay = await startBtcReplay("2024-06-20T12:00:00Z");
try {
  const bundle = await bundleWorker(path.join(dir, "bundle"));
  const persistTo = path.join(dir, "state");
  const vars = { EXCHANGE_BASE_URL: replay.server.url };
  await prepareState(persistTo, vars);
  // The instrument is visible to users (a trained profile); the cron fills in its candles.
  execFileSync(
    "npx",
    [
      "wrangler",
      "d1",
      "execute",
      "DB",
      "--local",
      "--persist-to",
      persistTo,
      "--command",
      `insert into trading_profiles (symbol, name, has_data, models_trained) values ('${SYMBOL}', 'Bitcoin', 1, 1)`,
    ],
    { cwd: ROOT, stdio: "ignore" },
  );
  const worker = await startDevServer(parseServers(values.server)[0], {
    bundle,
    port: await freePort(),
    persistTo,
    vars,
    args: ["--test-scheduled"],
  });
  const cron = () => fetch(`${worker.base}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*`).then((r) => r.text());
  const { token } = await post<AuthAnswer>(`${worker.base}/api/auth/signup`, {
    email: `live-${Date.now()}@example.com`,
    password: "live bench password 1",
  });

  // Every socket records when each candle (by its open time) arrived.
  const arrivals = new Map<number, number[]>();
  const sockets: TextSocket[] = [];
  const openStarted = performance.now();
  for (let i = 0; i < SOCKETS; i++) {
    const { ticket } = await post<LiveTicket>(`${worker.base}/api/instruments/ws/ticket`, {}, token);
    const url = `${worker.base}/api/instruments/${SYMBOL}/ws?ticket=${ticket}`;
    const ws = await openTextSocket(url, (text) => {
      const e = JSON.parse(text) as LiveEvent;
      if (e.type !== "candle") return;
      const list = arrivals.get(e.candle.time) ?? [];
      list.push(Date.now());
      arrivals.set(e.candle.time, list);
    });
    sockets.push(ws);
    if (i < 3 || i % 100 === 0)
      console.log(`socket ${i} open after ${((performance.now() - openStarted) / 1000).toFixed(1)} s`);
  }
  const openSeconds = (performance.now() - openStarted) / 1000;
  console.log(`${SOCKETS} sockets open on one InstrumentFeed in ${openSeconds.toFixed(1)} s`);

  await cron(); // the first run catches up the initial lookback (not timed)
  const latencies: number[] = [];
  const spreads: number[] = [];
  for (let m = 0; m < MINUTES; m++) {
    const boundary = Math.ceil(Date.now() / 60_000) * 60_000;
    await new Promise((r) => setTimeout(r, boundary - Date.now()));
    const load = loadavg()[0].toFixed(1);
    await cron();
    const closed = boundary / 1000 - 60; // the candle that closed at the boundary
    for (let i = 0; i < 200 && (arrivals.get(closed)?.length ?? 0) < SOCKETS; i++)
      await new Promise((r) => setTimeout(r, 25));
    const got = arrivals.get(closed) ?? [];
    const ms = got.map((t) => t - boundary);
    latencies.push(...ms);
    spreads.push(Math.max(...ms) - Math.min(...ms));
    console.log(
      `minute ${new Date(boundary).toISOString().slice(11, 16)}: ${got.length}/${SOCKETS} sockets got it, close -> received median ${median(ms).toFixed(0)} ms, p90 ${percentile(ms, 90).toFixed(0)} ms, first-to-last ${spreads.at(-1)?.toFixed(0)} ms (load ${load})`,
    );
  }
  console.log(
    `all: median ${median(latencies).toFixed(0)} ms, p90 ${percentile(latencies, 90).toFixed(0)} ms over ${latencies.length} deliveries; fan-out to ${SOCKETS} sockets median ${median(spreads).toFixed(0)} ms`,
  );
  for (const ws of sockets) ws.close();
  await worker.stop();
} finally {
  replay.server.close();
  rmSync(dir, { recursive: true, force: true });
}
