// Prints what a stored year costs: R2 objects and bytes (the blobs themselves, decoded), the D1 rows
// and their bytes, and the codec over the whole recording for comparison.
import path from "node:path";
import { encodeCandles } from "../../core/candles/codec";
import { type Candle, DAY } from "../../core/candles/types";
import { loadCandles, sampleDataDir } from "../../scripts/lib/binance-files";
import { d1Holdings } from "./d1-disk";
import { ROOT } from "./local-worker";
import { r2Holdings } from "./r2-disk";
import { BTC_FILES } from "./replay";
import { fmtInt } from "./stats";

const TARGET_BYTES_PER_CANDLE = 16;

/** The BTCUSDT recording encoded day by day in Node: the figure for every day, stored or not. */
function codecOverRecording() {
  const dir = sampleDataDir();
  if (!dir) return null;
  const byDay = new Map<number, Candle[]>();
  for (const c of loadCandles(dir, BTC_FILES)) {
    const day = c.time - (c.time % DAY);
    const list = byDay.get(day);
    if (list) list.push(c);
    else byDay.set(day, [c]);
  }
  let bytes = 0;
  let candles = 0;
  for (const list of byDay.values()) {
    bytes += encodeCandles(list).length;
    candles += list.length;
  }
  return { days: byDay.size, candles, bytes };
}

/** Run with the Worker stopped (D1 is read through wrangler and from its file). */
export async function printStorage(persistTo: string, profileId: number) {
  const r2 = r2Holdings(persistTo);
  const d1 = await d1Holdings(persistTo, profileId);
  const perCandle = r2.bytes / r2.candles;
  const met = perCandle <= TARGET_BYTES_PER_CANDLE ? "met" : "MISSED";
  console.log(
    `\nR2 (blobs on disk under ${path.relative(ROOT, persistTo)}, each decoded): ${r2.objects} day objects` +
      `${r2.replaced ? ` (+${r2.replaced} replaced blobs not yet removed, ignored)` : ""}, ${fmtInt(r2.bytes)} bytes, ` +
      `${fmtInt(r2.candles)} candles -> ${perCandle.toFixed(2)} bytes per 1m candle ` +
      `(target <= ${TARGET_BYTES_PER_CANDLE}: ${met}); largest object ${fmtInt(r2.largest)} bytes`,
  );
  const agrees = d1.indexedBytes === r2.bytes && d1.indexedCandles === r2.candles;
  console.log(
    `D1 index candle_days: ${d1.candleDays} rows, ${fmtInt(d1.indexedBytes)} bytes, ` +
      `${fmtInt(d1.indexedCandles)} candles (${agrees ? "agrees with the blobs" : "DIFFERS from the blobs"})`,
  );
  console.log(
    `D1 rows: recent 1m ${fmtInt(d1.recentCandles)}, 1h rollups ${fmtInt(d1.rollups1h)}, ` +
      `1D rollups ${d1.rollups1D}, candle_days ${d1.candleDays}`,
  );
  const t = d1.tableBytes;
  if (t) {
    const per = (name: string, rows: number) => (rows ? ((t[name] ?? 0) / rows).toFixed(0) : "-");
    console.log(
      `D1 bytes (SQLite pages of each table with its indexes, dbstat): candles ${fmtInt(t.candles ?? 0)} ` +
        `(${per("candles", d1.recentCandles)}/row), candle_rollups ${fmtInt(t.candle_rollups ?? 0)} ` +
        `(${per("candle_rollups", d1.rollups1h + d1.rollups1D)}/row), candle_days ${fmtInt(t.candle_days ?? 0)} ` +
        `(${per("candle_days", d1.candleDays)}/row)`,
    );
  }
  const full = codecOverRecording();
  if (full) {
    console.log(
      `codec over the whole recording (one block per UTC day, as the archive writes them): ${full.days} days, ` +
        `${fmtInt(full.candles)} candles, ${fmtInt(full.bytes)} bytes -> ${(full.bytes / full.candles).toFixed(2)} bytes per candle`,
    );
  }
}
