// Real Binance candles for tests, from the committed fixture (test/fixtures/real, made by
// scripts/make-real-fixture.ts): decoded candles, and the same candles as kline dump files for the replay
// exchange (written to a temporary folder, so that no packed kline file lives in the repository).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { decodeCandles } from "../../core/candles/codec";
import type { Candle } from "../../core/candles/types";
import { REAL_SERIES, type RealSeries } from "./real-series";

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/real");
/** The USD-M dumps start with this header row; spot dumps have none. */
const FUTURES_HEADER =
  "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore";

export type RealPrefix = RealSeries["prefix"];

export function realSeries(prefix: RealPrefix): RealSeries & { fromSec: number; toSec: number } {
  const s = REAL_SERIES.find((r) => r.prefix === prefix) as RealSeries;
  return { ...s, fromSec: Date.parse(s.from) / 1000, toSec: Date.parse(s.to) / 1000 };
}

const cache = new Map<RealPrefix, Candle[]>();

/** Every 1m candle of the fixture's weeks (no gaps), oldest first. Callers must not mutate them. */
export function realCandles(prefix: RealPrefix): Candle[] {
  let candles = cache.get(prefix);
  if (!candles) {
    candles = decodeCandles(new Uint8Array(readFileSync(path.join(FIXTURES, realSeries(prefix).file))));
    cache.set(prefix, candles);
  }
  return candles;
}

/** One data.binance.vision row: open_time in ms, OHLCV; the columns the fixture does not keep are 0. */
const row = (c: Candle) =>
  `${c.time * 1000},${c.open},${c.high},${c.low},${c.close},${c.volume},${c.time * 1000 + 59_999},0,0,0,0,0`;

function writeKlineDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "mm-real-klines-"));
  for (const s of REAL_SERIES) {
    const lines = realCandles(s.prefix).map(row);
    if (s.prefix.endsWith("-PERP")) lines.unshift(FUTURES_HEADER);
    writeFileSync(path.join(dir, `${s.prefix}-1m-${s.from.slice(0, 10)}.csv`), `${lines.join("\n")}\n`);
  }
  return dir;
}

let klineDir: string | null = null;

/** A folder of kline dump files (one per fixture series, named as the sample data is) for the replay. */
export function realKlineDir(): string {
  klineDir ??= writeKlineDir();
  return klineDir;
}

/** The kline dump file of one series in realKlineDir(). */
export function realKlineFile(prefix: RealPrefix): string {
  return path.join(realKlineDir(), `${prefix}-1m-${realSeries(prefix).from.slice(0, 10)}.csv`);
}
