// The ledger's hourly write for N trained instruments (default 1,000) under `wrangler dev`, the way
// production makes it: the every-minute cron collects the minute that closes an hour, each collection
// shard sends one MODELS_QUEUE message for its trained instruments, and the consumer records each
// instrument's four forecasts and its signal in its ledger object, then scores the hours closed since.
// Two hours are closed in a row: the first records (nothing to score yet), the second records and
// scores the first. For each it prints the time from the cron tick until every instrument's step was
// logged, and per consumer invocation the D1 queries (statements), ledger-object calls and R2 writes.
// Then GET /api/instruments/{symbol}/track-record: cold (the first request of a freshly started
// Worker, and the first for each of several instruments whose ledger object is not yet running) and
// warm (the same request again). Targets: cold <= 50 ms, warm <= 10 ms.
// wrangler dev runs a queue's batches one at a time; production runs up to max_concurrency consumers.
// Run: npx tsx bench/ledger-hour.ts [--instruments 1000] [--cold 20] [--warm 25]
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startReplayServer } from "../scripts/replay/server";
import { syntheticSymbol } from "../scripts/sim/synthetic";
import type { TrackRecordAnswer } from "../worker/contract";
import { httpGet } from "./lib/http-get";
import { seedTrainedInstruments } from "./lib/ledger-seed";
import { bundleWorker, freePort, prepareState, startLocalWorker } from "./lib/local-worker";
import { logFollower, logSize } from "./lib/log-follower";
import { median, percentile } from "./lib/stats";
import { signIn } from "./lib/user-api";

const { values } = parseArgs({
  options: {
    instruments: { type: "string", default: "1000" },
    cold: { type: "string", default: "20" },
    warm: { type: "string", default: "25" },
  },
});
const n = Number(values.instruments);
const HOUR = 3600;
const STEP_TIMEOUT_MS = 30 * 60_000;

interface Step {
  ms: number;
  invocations: number;
  recorded: number;
  scored: number;
  queries: number[];
  statements: number[];
  calls: number[];
  r2Writes: number;
  invocationMs: number[];
}

const LINE =
  /ledger of (\d+) profile\(s\): (\d+) entries recorded or found, (\d+) scores, (\d+) D1 queries \((\d+) statements\), (\d+) ledger calls, (\d+) R2 writes, (\d+) ms/g;

/** Reads the log from `offset` until the ledger lines cover `n` profiles; the step's figures. */
async function waitLedger(logFile: string, offset: number, t0: number): Promise<Step> {
  const step: Step = {
    ms: 0,
    invocations: 0,
    recorded: 0,
    scored: 0,
    queries: [],
    statements: [],
    calls: [],
    r2Writes: 0,
    invocationMs: [],
  };
  let profiles = 0;
  const follow = logFollower(logFile, offset);
  while (profiles < n) {
    if (performance.now() - t0 > STEP_TIMEOUT_MS)
      throw new Error(`ledger step: ${profiles} of ${n} profiles`);
    await new Promise((r) => setTimeout(r, 100));
    for (const m of follow().matchAll(LINE)) {
      const [p, rec, sc, q, st, calls, w, ms] = m.slice(1).map(Number);
      profiles += p;
      step.invocations++;
      step.recorded += rec;
      step.scored += sc;
      step.queries.push(q);
      step.statements.push(st);
      step.calls.push(calls);
      step.r2Writes += w;
      step.invocationMs.push(ms);
    }
  }
  step.ms = performance.now() - t0;
  return { ...step };
}

const now = Math.floor(Date.now() / 1000);
const hour = now - (now % HOUR);
// Two closed hours, both today (the synthetic markets start their chain at the UTC day's start).
const first = hour - 2 * HOUR;
if (first < now - (now % 86_400)) {
  console.error("run after 02:00 UTC: the synthetic markets begin at the UTC day's start");
  process.exit(2);
}
const state = mkdtempSync(path.join(tmpdir(), "mm-ledger-hour-"));
const out = mkdtempSync(path.join(tmpdir(), "mm-ledger-bundle-"));
const replay = await startReplayServer({ synthetic: n, port: 0, log: () => {} });
console.log(
  `load before: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")} (2 cores, shared)`,
);
try {
  const bundle = await bundleWorker(out);
  const vars = { EXCHANGE_BASE_URL: replay.url };
  await prepareState(state, vars);
  const t = performance.now();
  // Every minute of the first hour but its last: the cron's tick stores that one and closes the hour.
  await seedTrainedInstruments(state, replay.url, n, first + HOUR - 2 * 60);
  console.log(`seeded ${n} trained instruments in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  let worker = await startLocalWorker({
    bundle,
    port: await freePort(),
    persistTo: state,
    vars,
    extraArgs: ["--test-scheduled"],
  });
  const steps: Step[] = [];
  try {
    for (const closing of [first, first + HOUR]) {
      const offset = logSize(worker.logFile);
      const t0 = performance.now();
      // The tick at the next hour's open collects the closing hour's last minute.
      const res = await fetch(
        `${worker.base}/cdn-cgi/local/scheduled?cron=*+*+*+*+*&time=${(closing + HOUR) * 1000}`,
      );
      if (!res.ok) throw new Error(`scheduled answered ${res.status}`);
      steps.push(await waitLedger(worker.logFile, offset, t0));
    }
    // A fresh Worker: the track record's first request starts the isolate and the ledger object.
    await worker.stop();
    worker = await startLocalWorker({ bundle, port: await freePort(), persistTo: state, vars });
    const { token } = await signIn(worker.base, {
      email: "ledger-bench@example.com",
      password: "correct horse battery staple",
    });
    const headers = { authorization: `Bearer ${token}` };
    const record = async (symbol: string) => {
      const r = await httpGet("http", `${worker.base}/api/instruments/${symbol}/track-record`, headers);
      if (r.status !== 200) throw new Error(`track-record ${symbol}: ${r.status}`);
      return r;
    };
    const coldIsolate = await record(syntheticSymbol(1));
    const coldObjects = [];
    for (let i = 2; i <= Math.min(n, Number(values.cold) + 1); i++)
      coldObjects.push(await record(syntheticSymbol(i)));
    const warm = [];
    for (let i = 0; i < Number(values.warm); i++) warm.push(await record(syntheticSymbol(1)));
    // The machine's own noise in the same run: a kept chart answer (5.5 to 7 ms warm on a quiet machine).
    const list = [];
    for (let i = 0; i < Number(values.warm); i++) {
      const r = await httpGet(
        "http",
        `${worker.base}/api/instruments/${syntheticSymbol(1)}/data/1h?limit=48`,
        headers,
      );
      if (r.status !== 200) throw new Error(`chart: ${r.status}`);
      list.push(r);
    }
    const answer = JSON.parse(coldIsolate.text) as TrackRecordAnswer;
    const [recording, scoring] = steps;
    for (const [label, s] of [
      ["hour 1 (records)", recording],
      ["hour 2 (records, scores hour 1)", scoring],
    ] as const)
      console.log(
        `${label}: cron tick -> every instrument's step logged ${(s.ms / 1000).toFixed(1)} s; ${s.invocations} invocations ` +
          `(median ${median(s.invocationMs)} ms, max ${Math.max(...s.invocationMs)} ms); ${s.recorded} entries recorded, ${s.scored} scores; ` +
          `per invocation D1 queries median ${median(s.queries)} / max ${Math.max(...s.queries)} (statements ${median(s.statements)} / ${Math.max(...s.statements)}), ` +
          `ledger calls median ${median(s.calls)} / max ${Math.max(...s.calls)}; R2 writes ${s.r2Writes}`,
      );
    const ms = (xs: { ms: number }[]) => xs.map((x) => x.ms);
    console.log(
      `track-record (${answer.models.length} models, ${answer.models.reduce((a, m) => a + m.entries, 0)} entries): ` +
        `cold isolate ${coldIsolate.ms.toFixed(1)} ms; cold ledger object median ${median(ms(coldObjects)).toFixed(1)} ms ` +
        `(p90 ${percentile(ms(coldObjects), 90).toFixed(1)}); warm median ${median(ms(warm)).toFixed(1)} ms (p90 ${percentile(ms(warm), 90).toFixed(1)}); the 1h chart warm median ${median(ms(list)).toFixed(1)} ms, same run`,
    );
    console.log(
      `load after: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(" ")}`,
    );
  } finally {
    await worker.stop();
  }
} finally {
  await replay.close();
  rmSync(out, { recursive: true, force: true });
  if (!process.env.KEEP_STATE) rmSync(state, { recursive: true, force: true });
}
