// Candles per second of aggregate() and aggregateColumns() over the real BTCUSDT year, against pandas
// resample in the same run; then both must equal pandas' values over the whole year (the unit test
// checks the committed weeks only).
// Run: npx tsx bench/aggregate.ts [--runs 9]   (PYTHON picks the interpreter; it needs pandas)
import { execFileSync, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import { aggregate } from "../core/candles/aggregate";
import { aggregateColumns } from "../core/candles/aggregate-columns";
import { fromColumns, toColumns } from "../core/candles/columns";
import { PANDAS_RULES, type Timeframe } from "../core/candles/timeframes";
import { loadCandles, sampleDataDir } from "../scripts/lib/binance-files";

const TIMEFRAMES: Timeframe[] = ["5m", "1h", "1D", "1W", "1M"];
const FILES = "^BTCUSDT-1m-";
const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 9;
const WARMUP = 3; // rounds over every timeframe before timing; then each timeframe discards its first run
const HERE = path.dirname(fileURLToPath(import.meta.url));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The first interpreter that imports pandas: $PYTHON, python3, then Debian's /usr/bin/python3. */
function findPython(): string {
  for (const exe of [process.env.PYTHON, "python3", "/usr/bin/python3"]) {
    if (!exe) continue;
    try {
      execFileSync(exe, ["-c", "import pandas"], { stdio: "ignore" });
      return exe;
    } catch {}
  }
  throw new Error("no python3 with pandas found (apt-get install python3-pandas, or set PYTHON)");
}

/** pandas in a child process that times one resample per request. */
async function startPandas(dir: string) {
  const child = spawn(findPython(), [path.join(HERE, "pandas-resample.py"), dir, FILES], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error("pandas-resample.py exited early");
    return JSON.parse(value);
  };
  const hello = (await next()) as { rows: number; pandas: string };
  return {
    ...hello,
    run: async (rule: string) => {
      child.stdin.write(`${rule}\n`);
      return (await next()) as { ms: number; cpu_ms: number; periods: number };
    },
    values: async (rule: string) => {
      child.stdin.write(`values ${rule}\n`);
      return ((await next()) as { candles: number[][] }).candles;
    },
    stop: () => child.stdin.end(),
  };
}

const dir = sampleDataDir();
if (!dir) throw new Error("real data not found: set MONEYMONEY_SAMPLE_DATA");
const pandas = await startPandas(dir);
// Like pandas' process, which holds only its frame, the columns section runs with only the
// columns in memory: 527,040 Candle objects left on the heap would make every full GC that the
// output buffers trigger mark them, and the process CPU time counts that marking.
const columns = toColumns(loadCandles(dir, new RegExp(FILES)));
if (columns.length !== pandas.rows)
  throw new Error(`pandas read ${pandas.rows} rows, we read ${columns.length}`);

console.log(`pandas ${pandas.pandas} resample vs ours over ${columns.length} BTCUSDT 1m candles`);
console.log(
  `runs alternate with pandas runs; medians of ${RUNS} runs after ${WARMUP} warm-up rounds over all timeframes`,
);
console.log(
  "wall: elapsed time; cpu: the process's CPU time (user + system, all threads, so GC helpers count),",
);
console.log(
  "the fairer figure when other work shares the machine. ratio = pandas time / our time (>1: faster).",
);

const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e3;
};

// A full collection before each section (not timed): the loading's garbage is gone, as in a
// long-running Worker, instead of being marked during the first timed runs.
v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;

/** Alternates `ours` with one pandas resample per run and prints one table row per timeframe. */
async function section(title: string, ours: (tf: Timeframe) => number) {
  // Warm-up over every timeframe first, so that no timed run pays for (background) compilation
  // triggered by a timeframe's first runs; both sides alike.
  for (let r = 0; r < WARMUP; r++) {
    for (const tf of TIMEFRAMES) {
      ours(tf);
      await pandas.run(PANDAS_RULES[tf]);
    }
  }
  collectGarbage();
  console.log(`\n${title}`);
  console.log(
    "tf   periods   ours wall ms  cpu ms  Mcandles/s(cpu)   pandas wall ms  cpu ms  Mcandles/s(cpu)   ratio wall  ratio cpu",
  );
  for (const tf of TIMEFRAMES) {
    const us = { wall: [] as number[], cpu: [] as number[] };
    const them = { wall: [] as number[], cpu: [] as number[] };
    let periods = 0;
    for (let r = -1; r < RUNS; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      periods = ours(tf);
      const wall = performance.now() - t0;
      const cpu = cpuMs(c0);
      const peer = await pandas.run(PANDAS_RULES[tf]);
      if (peer.periods !== periods)
        throw new Error(`${tf}: pandas made ${peer.periods} periods, we made ${periods}`);
      if (r >= 0) {
        us.wall.push(wall);
        us.cpu.push(cpu);
        them.wall.push(peer.ms);
        them.cpu.push(peer.cpu_ms);
      }
    }
    const [ow, oc, pw, pc] = [us.wall, us.cpu, them.wall, them.cpu].map(median);
    const rate = (ms: number) => (columns.length / ms / 1e3).toFixed(1);
    const cells = [ow.toFixed(1), oc.toFixed(1), rate(oc), pw.toFixed(1), pc.toFixed(1), rate(pc)];
    const widths = [12, 7, 16, 16, 7, 16];
    console.log(
      [
        tf.padEnd(4),
        String(periods).padStart(7),
        ...cells.map((c, i) => c.padStart(widths[i])),
        (pw / ow).toFixed(2).padStart(12),
        (pc / oc).toFixed(2).padStart(10),
      ].join(" "),
    );
  }
}

// Columns first: the object section leaves garbage behind that would slow whatever runs next.
await section(
  "aggregateColumns(columns, tf): Float64Array columns in and out, like pandas",
  (tf) => aggregateColumns(columns, tf).length,
);
const candles = fromColumns(columns); // the same values as loaded (toColumns copies them exactly)
await section("aggregate(candles, tf): Candle objects in and out", (tf) => aggregate(candles, tf).length);

const FIELDS = ["time", "open", "high", "low", "close", "volume"] as const;
for (const tf of TIMEFRAMES) {
  const expected = await pandas.values(PANDAS_RULES[tf]);
  for (const [name, ours] of [
    ["aggregate", aggregate(candles, tf)],
    ["aggregateColumns", fromColumns(aggregateColumns(columns, tf))],
  ] as const) {
    const at = expected.findIndex((row, i) => FIELDS.some((k, j) => ours[i]?.[k] !== row[j]));
    if (ours.length !== expected.length || at >= 0)
      throw new Error(
        `${tf} ${name} differs from pandas at period ${at} (${ours.length} vs ${expected.length})`,
      );
  }
}
console.log(
  `\nexact: aggregate and aggregateColumns equal pandas over the year for ${TIMEFRAMES.join(", ")}`,
);
pandas.stop();
