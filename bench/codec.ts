// Size, speed and exactness of the candle codec over the real data, one block per symbol per UTC day.
// Run: npx tsx bench/codec.ts [--runs 15]
import { gzipSync } from "node:zlib";
import {
  decodeBlocksToColumns,
  decodeCandleColumns,
  decodeCandles,
  encodeCandles,
} from "../core/candles/codec";
import { periodStart } from "../core/candles/timeframes";
import type { Candle } from "../core/candles/types";
import { klineFiles, loadCandles, readKlineText, sampleDataDir } from "../scripts/lib/binance-files";

const SETS = [
  { name: "BTCUSDT spot", files: /^BTCUSDT-1m-/ },
  { name: "ETHUSDT-PERP", files: /^ETHUSDT-PERP-1m-/ },
];
const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;
const WARMUP = 3;
const TARGET_BYTES_PER_CANDLE = 16;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function byDay(candles: Candle[]): Candle[][] {
  const days: Candle[][] = [];
  let current = Number.NaN;
  for (const c of candles) {
    const d = periodStart(c.time, "1D");
    if (d !== current) days.push([]);
    current = d;
    days[days.length - 1].push(c);
  }
  return days;
}

/** Median process CPU milliseconds of `fn` over RUNS runs after WARMUP untimed ones (CPU time,
 * not wall time, because other work shares this machine; GC helper threads count). */
function time(fn: () => void): number {
  const times: number[] = [];
  for (let r = 0; r < RUNS + WARMUP; r++) {
    const c0 = process.cpuUsage();
    fn();
    const d = process.cpuUsage(c0);
    if (r >= WARMUP) times.push((d.user + d.system) / 1e3);
  }
  return median(times);
}

const dir = sampleDataDir();
if (!dir) throw new Error("real data not found: set MONEYMONEY_SAMPLE_DATA");

/** Encodes the set's day blocks (timed) and measures the peer; the candles are dropped on return. */
function encodePhase(files: RegExp) {
  const candles = loadCandles(dir as string, files);
  const days = byDay(candles);
  let blocks: Uint8Array[] = [];
  const encodeMs = time(() => {
    blocks = days.map((d) => encodeCandles(d));
  });
  // Exactness over the whole set (the unit test checks the committed weeks only).
  days.forEach((day, i) => {
    const back = decodeCandles(blocks[i]);
    const same = (a: Candle, b: Candle) =>
      (["time", "open", "high", "low", "close", "volume"] as const).every((k) => Object.is(a[k], b[k]));
    if (back.length !== day.length || day.some((c, j) => !same(c, back[j])))
      throw new Error(`day ${new Date(day[0].time * 1000).toISOString()} does not round-trip exactly`);
  });
  // Peer for scale: the same six columns as CSV text, gzipped per month.
  let gzBytes = 0;
  for (const f of klineFiles(dir as string, files)) {
    const lines = readKlineText(f).split("\n");
    gzBytes += gzipSync(lines.map((line) => line.split(",", 6).join(",")).join("\n"), { level: 9 }).length;
  }
  return { count: candles.length, blocks, encodeMs, gzBytes };
}

console.log(`candle codec, one block per UTC day, median CPU time of ${RUNS} runs`);
for (const set of SETS) {
  const { count, blocks, encodeMs, gzBytes } = encodePhase(set.files);
  // Decoding is timed without the source candles on the heap (a Worker decoding a day holds
  // little else); they would make every garbage collection scan half a million objects.
  // Columns first: decoding to objects leaves garbage whose collection would land on what follows.
  const columnsMs = time(() => {
    for (const b of blocks) decodeCandleColumns(b);
  });
  const rangeMs = time(() => decodeBlocksToColumns(blocks));
  const decodeMs = time(() => {
    for (const b of blocks) decodeCandles(b);
  });
  const bytes = blocks.reduce((n, b) => n + b.length, 0);
  const perCandle = bytes / count;
  const rate = (ms: number) => (count / ms / 1e3).toFixed(1);
  console.log(`${set.name}: ${count} candles in ${blocks.length} blocks`);
  console.log(
    `  ${perCandle.toFixed(2)} bytes/candle (target <= ${TARGET_BYTES_PER_CANDLE}: ${perCandle <= TARGET_BYTES_PER_CANDLE ? "met" : "MISSED"}); ` +
      `OHLCV CSV gzip -9: ${(gzBytes / count).toFixed(2)}`,
  );
  console.log(
    `  encode ${encodeMs.toFixed(1)} ms (${rate(encodeMs)} M candles/s), decode to objects ${decodeMs.toFixed(1)} ms ` +
      `(${rate(decodeMs)} M candles/s)`,
  );
  console.log(
    `  decode to columns ${columnsMs.toFixed(1)} ms (${rate(columnsMs)} M candles/s) block by block, ` +
      `${rangeMs.toFixed(1)} ms (${rate(rangeMs)} M candles/s) all blocks into one set of columns`,
  );
}
