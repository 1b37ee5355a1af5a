// Writes test/fixtures/real/: a few weeks of real Binance 1m candles in the project's candle codec, cut
// from the sample data (../shared/data/binance or $MONEYMONEY_SAMPLE_DATA), so that a clean clone runs
// every test on real data. OHLCV is kept bit for bit; the dumps' other columns are not.
// Run: npx tsx scripts/make-real-fixture.ts
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { encodeCandles } from "../core/candles/codec";
import { REAL_SERIES } from "../test/helpers/real-series";
import { loadCandles, sampleDataDir } from "./lib/binance-files";

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../test/fixtures/real");
const dir = sampleDataDir();
if (!dir) throw new Error("sample data not found (../shared/data/binance or MONEYMONEY_SAMPLE_DATA)");

mkdirSync(OUT, { recursive: true });
for (const s of REAL_SERIES) {
  const from = Date.parse(s.from) / 1000;
  const to = Date.parse(s.to) / 1000;
  const candles = loadCandles(dir, new RegExp(`^${s.prefix}-1m-`)).filter(
    (c) => c.time >= from && c.time < to,
  );
  if (candles.length !== (to - from) / 60)
    throw new Error(`${s.prefix}: ${candles.length} candles, expected no gap`);
  const bytes = encodeCandles(candles);
  writeFileSync(path.join(OUT, s.file), bytes);
  console.log(`${s.file}: ${candles.length} candles ${s.from} .. ${s.to}, ${bytes.length} bytes`);
}
