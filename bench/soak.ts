// `npx tsx bench/soak.ts [--minutes 120] [--dashboards 50] [--sockets 300] [--state DIR] [--json FILE]
// [--burst] [--rss-growth-mb MB] [--summarize FILE]`:
// the soak. Runs the demo (scripts/demo.ts: exchange simulator in real time, wrangler dev with its
// inspector, the minute cron tick, trainers) on its own port and state folder, then drives simulated
// dashboards (bench/lib/soak-dashboard.ts) and live sockets through the real ticket + upgrade path for
// the given minutes. Each minute, 40 s after a candle closed, it records whether the minute was stored
// for every instrument, which open sockets received it and how late, the 5xx / errors / dropped sockets
// so far, workerd's RSS and the Worker isolate's heap after a full GC (devtools protocol). Prints a table
// per 10 minutes and a summary; writes the JSON record; exits 1 on a missed minute or push, a 5xx, or
// memory past its bounds (bench/lib/soak-record.ts). --burst: then every dashboard asks for big charts at
// once (bench/lib/soak-burst.ts) and the heap's peak is recorded. Defaults: state .wrangler/soak, JSON
// .wrangler/soak/soak.json.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { TIMEFRAMES } from "../core/candles/timeframes";
import { startDemo, stopDemo } from "../test/helpers/demo-process";
import { ISOLATE_MEMORY_BYTES } from "../worker/memory";
import { type HeapUsage, InspectorHeap } from "./lib/inspector-heap";
import { freePort } from "./lib/local-worker";
import { wranglerDevMemory } from "./lib/proc-cpu";
import { type BurstRecord, chartBurst } from "./lib/soak-burst";
import { Dashboard, newCounters } from "./lib/soak-dashboard";
import { type MinuteRecord, summarize, summaryLines, tableRows } from "./lib/soak-record";

const { values: args } = parseArgs({
  options: {
    minutes: { type: "string", default: "120" },
    dashboards: { type: "string", default: "50" },
    sockets: { type: "string", default: "300" },
    state: { type: "string", default: ".wrangler/soak" },
    json: { type: "string" },
    "heap-growth-mb": { type: "string", default: "10" },
    // workerd's RSS is recorded; bounded only when this is given (see bench/README.md: wrangler dev's own)
    "rss-growth-mb": { type: "string" },
    burst: { type: "boolean", default: false },
    "no-heap": { type: "boolean", default: false },
    // a finished or partial record: print its summary under today's bounds, run nothing
    summarize: { type: "string" },
  },
});
const MINUTES = Number(args.minutes);
const DASHBOARDS = Number(args.dashboards);
const SOCKETS = Math.max(Number(args.sockets), DASHBOARDS);
const STATE = path.resolve(args.state!);
const JSON_OUT = path.resolve(args.json ?? path.join(STATE, "soak.json"));
const BOUNDS = {
  heapMax: ISOLATE_MEMORY_BYTES,
  heapGrowth: Number(args["heap-growth-mb"]) * 1e6,
  rssGrowth: args["rss-growth-mb"] === undefined ? null : Number(args["rss-growth-mb"]) * 1e6,
  heapRead: !args["no-heap"],
};
const SYMBOLS = ["SIMUSDT", "SIMARUSDT"];
// Chart tabs the dashboards start on and rotate through (one tab change per dashboard per 10 minutes).
const TABS = TIMEFRAMES.slice(0, 6);
const CHECK_AFTER_CLOSE_MS = 40_000;
const SIGN_IN_CONCURRENCY = 4; // argon2 hashing: a few at a time, as people arrive
const started = Date.now();
const log = (line: string) => console.log(`soak [${((Date.now() - started) / 1000).toFixed(0)} s] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let demo: ReturnType<typeof startDemo> | null = null;
const stop = async (code: number) => {
  if (demo) await stopDemo(demo.child);
  process.exit(code);
};

async function main() {
  if (args.summarize) {
    const record = JSON.parse(readFileSync(args.summarize, "utf8")) as { minutes: MinuteRecord[] };
    const lines = summaryLines(summarize(record.minutes, BOUNDS));
    console.log([`${args.summarize}: ${record.minutes.length} minutes`, ...lines].join("\n"));
    process.exit(lines.at(-1) === "PASS" ? 0 : 1);
  }
  mkdirSync(STATE, { recursive: true });
  const [port, inspectorPort] = [await freePort(), await freePort()];
  demo = startDemo({
    port,
    state: STATE,
    env: { DEMO_INSPECTOR_PORT: String(inspectorPort), DEMO_TRUST_CF_CONNECTING_IP: "true" },
  });
  process.on("SIGINT", () => void stop(130));
  process.on("SIGTERM", () => void stop(143));
  const ready = await demo.ready;
  const base = `http://127.0.0.1:${port}`;
  log(`demo ready on ${base} in ${ready.seconds.toFixed(0)} s; inspector on ${inspectorPort}`);
  // --no-heap: no devtools client attached (to see what attaching one costs in workerd's memory).
  const heap = args["no-heap"] ? null : await InspectorHeap.connect(inspectorPort);

  const counters = newCounters();
  const dashboards = Array.from(
    { length: DASHBOARDS },
    (_, i) =>
      new Dashboard(
        base,
        SYMBOLS[i % SYMBOLS.length],
        `198.18.${i >> 8}.${(i & 255) + 1}`,
        counters,
        TABS[i % TABS.length],
      ),
  );
  for (let i = 0; i < DASHBOARDS; i += SIGN_IN_CONCURRENCY) {
    await Promise.all(
      dashboards.slice(i, i + SIGN_IN_CONCURRENCY).map(async (d, j) => {
        await d.open({ email: `soak-${i + j}@example.com`, password: `soak-password-${i + j}-long-enough` });
        await d.socket(d.symbol, true);
      }),
    );
  }
  for (let k = 0; k < SOCKETS - DASHBOARDS; k++) {
    await dashboards[k % DASHBOARDS].socket(SYMBOLS[k % SYMBOLS.length], false);
  }
  const sockets = dashboards.flatMap((d) => d.sockets);
  log(`${DASHBOARDS} dashboards signed in, ${sockets.filter((s) => s.open).length}/${SOCKETS} sockets open`);

  const minutes: MinuteRecord[] = [];
  // Each dashboard polls the quotes once a minute, at its own second (browsers are not in step).
  let quoteTurn = 0;
  const quotes = setInterval(() => void dashboards[quoteTurn++ % DASHBOARDS].quotes(), 60_000 / DASHBOARDS);
  let tabTurn = 0;
  // The first minute checked is the first that closes after everything is open.
  let close = Math.ceil(Date.now() / 60_000) * 60_000;
  for (let n = 1; n <= MINUTES; n++, close += 60_000) {
    await sleep(close + CHECK_AFTER_CLOSE_MS - Date.now());
    const time = close / 1000 - 60;
    const collected: Record<string, boolean> = {};
    for (const symbol of SYMBOLS) {
      const answer = await dashboards[0].call<{ candles: { time: number }[] }>(
        `/api/instruments/${symbol}/data/1m?limit=1`,
      );
      collected[symbol] = (answer?.candles.at(-1)?.time ?? 0) >= time;
    }
    const due = sockets.filter((s) => s.open && s.openedAt < close);
    const latencies = due.flatMap((s) => (s.received.has(time) ? [s.received.get(time)! - close] : []));
    let usage: HeapUsage | null = null;
    try {
      usage = heap ? await heap.usage() : null;
    } catch (e) {
      log(`heap not read: ${(e as Error).message}`);
    }
    const m: MinuteRecord = {
      n,
      time,
      collected,
      expected: due.length,
      received: latencies.length,
      latencies,
      requests: counters.requests,
      status5xx: counters.status5xx,
      status4xx: counters.status4xx,
      errors: counters.errors,
      dropped: counters.dropped,
      openSockets: sockets.filter((s) => s.open).length,
      ...wranglerDevMemory(demo.child.pid!, port),
      heap: usage?.used ?? null,
      backing: usage?.backing ?? null,
      load: loadavg()[0],
    };
    minutes.push(m);
    const missing = Object.entries(collected).filter(([, ok]) => !ok);
    log(
      `minute ${n}/${MINUTES} (${new Date(time * 1000).toISOString().slice(11, 16)}): ` +
        `${missing.length ? `NOT collected: ${missing.map(([s]) => s).join(", ")}` : "collected"}, ` +
        `pushed ${m.received}/${m.expected}, rss ${(m.rss / 1e6).toFixed(1)} MB, heap ${usage ? `${(usage.used / 1e6).toFixed(1)} MB + ${(usage.backing / 1e6).toFixed(1)} MB backing stores` : "- MB"}`,
    );
    if (n % 10 === 0 || n === MINUTES) {
      const rows = tableRows(minutes);
      console.log(`${rows[0]}\n${rows[rows.length - 1]}`);
    }
    for (const d of dashboards) d.prune(time - 600);
    // A tenth of the dashboards switch their chart tab each minute (each one every 10 minutes).
    for (let i = tabTurn % 10; i < DASHBOARDS; i += 10) {
      const d = dashboards[i];
      void d.chart(TABS[(TABS.indexOf(d.tab) + 1) % TABS.length]);
    }
    tabTurn++;
    writeFileSync(
      JSON_OUT,
      JSON.stringify({
        partial: n < MINUTES,
        args,
        bounds: BOUNDS,
        minutes,
        samples: counters.samples,
        problems: counters.problems,
      }),
    );
  }
  clearInterval(quotes);
  let burst: BurstRecord | null = null;
  if (args.burst && heap) {
    burst = await chartBurst(dashboards, heap);
    const mb = (b: number) => (b / 1e6).toFixed(1);
    log(
      `burst: ${burst.requests} 1m/5,000 charts from ${DASHBOARDS} dashboards in ${burst.seconds.toFixed(1)} s; ` +
        `heap ${mb(burst.heapBefore)} MB before, peak ${mb(burst.heapPeak)} MB, ${mb(burst.heapAfterGc)} MB after GC`,
    );
  }
  for (const d of dashboards) d.close();
  heap?.close();
  const summary = summarize(minutes, BOUNDS);
  if (burst && burst.heapPeak > BOUNDS.heapMax)
    summary.failures.push("the burst's heap passed the isolate's 128 MiB");
  console.log(
    [
      "",
      `soak: ${DASHBOARDS} dashboards, ${SOCKETS} sockets, ${MINUTES} minutes`,
      ...summaryLines(summary),
    ].join("\n"),
  );
  if (counters.samples.length)
    console.log(`first problems:\n  ${counters.samples.slice(0, 10).join("\n  ")}`);
  writeFileSync(
    JSON_OUT,
    JSON.stringify(
      {
        partial: false,
        args,
        bounds: BOUNDS,
        summary,
        burst,
        minutes,
        samples: counters.samples,
        problems: counters.problems,
      },
      null,
      1,
    ),
  );
  log(`record: ${JSON_OUT}`);
  await stop(summary.failures.length ? 1 : 0);
}

main().catch((e: Error) => {
  console.error(`soak: ${e.stack ?? e.message}`);
  void stop(1);
});
