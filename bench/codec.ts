// Size and speed of the candle codec over the real data, one block per symbol per UTC day.
// Run: npx tsx bench/codec.ts [--runs 7]
import { gzipSync } from "node:zlib";
import { decodeCandles, encodeCandles } from "../core/candles/codec";
import { periodStart } from "../core/candles/timeframes";
import type { Candle } from "../core/candles/types";
import { klineFiles, loadCandles, readKlineText, sampleDataDir } from "../scripts/lib/binance-files";

const SETS = [
  { name: "BTCUSDT spot", files: /^BTCUSDT-1m-/ },
  { name: "ETHUSDT-PERP", files: /^ETHUSDT-PERP-1m-/ },
];
const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
const WARMUP = 2;
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

/** Median milliseconds of `fn` over RUNS runs after WARMUP untimed ones. */
function time(fn: () => void): number {
  const times: number[] = [];
  for (let r = 0; r < RUNS + WARMUP; r++) {
    const t0 = performance.now();
    fn();
    if (r >= WARMUP) times.push(performance.now() - t0);
  }
  return median(times);
}

const dir = sampleDataDir();
if (!dir) throw new Error("real data not found: set MONEYMONEY_SAMPLE_DATA");

console.log(`candle codec, one block per UTC day, median of ${RUNS} runs`);
for (const set of SETS) {
  const candles = loadCandles(dir, set.files);
  const days = byDay(candles);
  let blocks: Uint8Array[] = [];
  const encodeMs = time(() => {
    blocks = days.map((d) => encodeCandles(d));
  });
  const decodeMs = time(() => {
    for (const b of blocks) decodeCandles(b);
  });
  const bytes = blocks.reduce((n, b) => n + b.length, 0);
  // Peer for scale: the same six columns as CSV text, gzipped per month.
  const csv = klineFiles(dir, set.files).map((f) =>
    readKlineText(f)
      .split("\n")
      .map((line) => line.split(",", 6).join(","))
      .join("\n"),
  );
  const gzBytes = csv.reduce((n, t) => n + gzipSync(t, { level: 9 }).length, 0);
  const perCandle = bytes / candles.length;
  const rate = (ms: number) => (candles.length / ms / 1e3).toFixed(1);
  console.log(`${set.name}: ${candles.length} candles in ${days.length} blocks`);
  console.log(
    `  ${perCandle.toFixed(2)} bytes/candle (target <= ${TARGET_BYTES_PER_CANDLE}: ${perCandle <= TARGET_BYTES_PER_CANDLE ? "met" : "MISSED"}); ` +
      `OHLCV CSV gzip -9: ${(gzBytes / candles.length).toFixed(2)}`,
  );
  console.log(
    `  encode ${encodeMs.toFixed(1)} ms (${rate(encodeMs)} M candles/s), decode ${decodeMs.toFixed(1)} ms (${rate(decodeMs)} M candles/s)`,
  );
}
