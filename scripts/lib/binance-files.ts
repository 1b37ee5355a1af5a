// Node-side loading of data.binance.vision kline files (.csv, .csv.gz, .zip) and the sample data folder.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { unzipSync } from "fflate";
import { parseBinanceKlines } from "../../core/candles/binance-csv";
import type { Candle } from "../../core/candles/types";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The folder of real Binance files: $MONEYMONEY_SAMPLE_DATA, else ../shared/data/binance; null if absent. */
export function sampleDataDir(): string | null {
  const dir = process.env.MONEYMONEY_SAMPLE_DATA ?? path.resolve(ROOT, "../shared/data/binance");
  return existsSync(dir) ? dir : null;
}

/** The text of one kline file, whatever its packaging. */
export function readKlineText(file: string): string {
  const bytes = readFileSync(file);
  if (file.endsWith(".gz")) return gunzipSync(bytes).toString("utf8");
  if (file.endsWith(".zip")) {
    const entries = unzipSync(new Uint8Array(bytes), { filter: (f) => f.name.endsWith(".csv") });
    return Object.values(entries)
      .map((b) => Buffer.from(b).toString("utf8"))
      .join("\n");
  }
  return bytes.toString("utf8");
}

/** Kline files in a folder whose names match `pattern`, in name order (months sort by name). */
export function klineFiles(dir: string, pattern: RegExp = /\.(csv|csv\.gz|zip)$/): string[] {
  return readdirSync(dir)
    .filter((name) => pattern.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

/** All candles of the files in `dir` matching `pattern`, sorted, duplicates (same time) dropped. */
export function loadCandles(dir: string, pattern?: RegExp): Candle[] {
  const all = klineFiles(dir, pattern).flatMap((f) => parseBinanceKlines(readKlineText(f)));
  all.sort((a, b) => a.time - b.time);
  return all.filter((c, i) => i === 0 || all[i - 1].time !== c.time);
}
