// ARIMA and GARCH(1,1) fit times against statsmodels and a scipy MLE on the same real BTCUSDT 1h
// series, in the same run, plus the full AIC order selection on one year of 1h candles.
// Run: npx tsx bench/arima-garch.ts [--runs 5] [--grid-runs 5] [--peer-grid-runs 1]
// (PYTHON picks the interpreter; it needs statsmodels and scipy: apt-get install python3-statsmodels)
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { aggregate } from "../core/candles/aggregate";
import { type ArimaOrder, fitArima, selectArima } from "../core/models/arima";
import { fitGarch, logReturnsPct } from "../core/models/garch";
import { ARIMA_GRID, MODEL_TIMEFRAME } from "../core/models/model-config";
import { loadCandles, sampleDataDir } from "../scripts/lib/binance-files";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg("--runs", 5);
const GRID_RUNS = arg("--grid-runs", 5);
const PEER_GRID_RUNS = arg("--peer-grid-runs", 1);
const ORDERS: ArimaOrder[] = [
  [1, 1, 1],
  [2, 1, 0],
  [0, 1, 2],
  [2, 1, 2],
  [3, 1, 2],
];
/** The fixture's window: 3,000 hours from 2024-01-01 00:00 UTC. */
const WINDOW_START = Date.UTC(2024, 0, 1) / 1000;
const WINDOW_HOURS = 3000;
const HERE = path.dirname(fileURLToPath(import.meta.url));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function timeRuns<T>(fn: () => T, runs: number): { ms: number[]; out: T } {
  let out = fn(); // warm-up (JIT), not counted
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    out = fn();
    ms.push(performance.now() - t);
  }
  return { ms, out };
}

function findPython(): string {
  for (const exe of [process.env.PYTHON, "python3", "/usr/bin/python3"]) {
    if (!exe) continue;
    try {
      execFileSync(exe, ["-c", "import statsmodels, scipy"], { stdio: "ignore" });
      return exe;
    } catch {}
  }
  throw new Error(
    "no python3 with statsmodels and scipy (apt-get install python3-statsmodels, or set PYTHON)",
  );
}

const dir = sampleDataDir();
if (!dir) {
  console.log("no sample data (../shared/data/binance or MONEYMONEY_SAMPLE_DATA): nothing to measure");
  process.exit(0);
}
const hourly = aggregate(loadCandles(dir, /^BTCUSDT-1m-/), MODEL_TIMEFRAME);
const yearY = hourly.map((c) => Math.log(c.close));
const first = hourly.findIndex((c) => c.time === WINDOW_START);
const window = hourly.slice(first, first + WINDOW_HOURS);
const y = window.map((c) => Math.log(c.close));
const returns = logReturnsPct(window.map((c) => c.close));
const grid = ARIMA_GRID.p.flatMap((p) => ARIMA_GRID.q.map((q) => [p, 1, q] as ArimaOrder));

const python = findPython();
const tmp = mkdtempSync(path.join(os.tmpdir(), "arima-garch-"));
const input = path.join(tmp, "input.json");
writeFileSync(input, JSON.stringify({ y, orders: ORDERS, returns, grid_y: yearY, grid }));
console.log(
  `peer (${python}) running: ${RUNS} runs per fit, ${PEER_GRID_RUNS} grid run(s) on ${yearY.length} h ...`,
);
const peerOut = execFileSync(
  python,
  [path.join(HERE, "arima-garch-peer.py"), input, String(RUNS), String(PEER_GRID_RUNS)],
  { encoding: "utf8", maxBuffer: 1 << 26 },
);
rmSync(tmp, { recursive: true });
const peer = JSON.parse(peerOut);

const fmt = (ms: number) => (ms < 100 ? ms.toFixed(2) : ms.toFixed(0));
console.log(
  `\nARIMA fit, BTCUSDT ${MODEL_TIMEFRAME} log close, ${y.length} points; medians of ${RUNS} runs (ms)`,
);
console.log(
  "order    ours   llf_ours    sm(cov=none)  llf_sm      sm(default)  ours/sm(none)  ours/sm(default)",
);
for (const order of ORDERS) {
  const key = order.join(",");
  const ours = timeRuns(() => fitArima(y, order), RUNS);
  const sm = peer.arima[key];
  const o = median(ours.ms);
  const n = median(sm.nocov_ms);
  const d = median(sm.default_ms);
  console.log(
    `(${key})  ${fmt(o).padStart(6)}  ${ours.out.logLikelihood.toFixed(3)}  ${fmt(n).padStart(10)}  ` +
      `${sm.llf_nocov.toFixed(3)}  ${fmt(d).padStart(10)}  ${(o / n).toFixed(3).padStart(12)}  ${(o / d).toFixed(3).padStart(14)}`,
  );
}

const g = timeRuns(() => fitGarch(returns), RUNS);
const gOurs = median(g.ms);
const gPeer = median(peer.garch.ms);
console.log(`\nGARCH(1,1) fit, ${returns.length} percent log returns; medians of ${RUNS} runs (ms)`);
console.log(
  `ours ${fmt(gOurs)} (llf ${g.out.log_likelihood.toFixed(6)})  scipy SLSQP ${fmt(gPeer)} ` +
    `(llf ${peer.garch.log_likelihood.toFixed(6)})  ours/scipy ${(gOurs / gPeer).toFixed(3)}`,
);

console.log(`\nOrder selection over p, q in 0..3 (d by KPSS) on one year: ${yearY.length} hourly points`);
const sel = timeRuns(() => selectArima(yearY), Math.max(GRID_RUNS - 1, 1));
const best = sel.out.fit;
console.log(
  `ours: median ${fmt(median(sel.ms))} ms of ${sel.ms.length + 1} runs (first is warm-up); KPSS ${sel.out.kpss.stat.toFixed(3)}` +
    ` -> d = ${best.order[1]}; chosen (${best.order.join(",")}) AIC ${best.aic.toFixed(3)}`,
);
if (peer.grid) {
  const smBest = peer.grid.table.reduce((a: { aic: number }, b: { aic: number }) => (b.aic < a.aic ? b : a));
  const pm = median(peer.grid.ms);
  console.log(
    `statsmodels (16 fits, cov_type=none, d = 1): median ${fmt(pm)} ms of ${peer.grid.ms.length} run(s);` +
      ` chosen (${smBest.order.join(",")}) AIC ${smBest.aic.toFixed(3)}; ours/statsmodels ${(median(sel.ms) / pm).toFixed(3)}`,
  );
  let higher = 0;
  for (const row of peer.grid.table) {
    const c = sel.out.candidates.find((x) => x.order.join() === row.order.join());
    if (c && c.logLikelihood >= row.llf - 1e-6) higher++;
  }
  console.log(`our log-likelihood >= statsmodels' on ${higher} of ${peer.grid.table.length} grid orders`);
}
