// Loads data.binance.vision kline files into one KlineSeries per symbol.
import path from "node:path";
import { klineFiles, readKlineText } from "../lib/binance-files";
import { type KlineSeries, SeriesBuilder } from "./series";

const KLINE_FILE = /\.(csv|csv\.gz|zip)$/i;
const FIELDS = 12;

/**
 * The symbol a dump file holds: the name before "-1m-", upper-cased. A "-PERP" suffix (this project's
 * name for USD-M futures dumps, e.g. ETHUSDT-PERP-1m-2023-07.csv.gz) is dropped: the replay serves
 * every file through the spot API, so ETHUSDT-PERP files answer as ETHUSDT. Null for other files.
 */
export function symbolOfFile(file: string): string | null {
  const name = path.basename(file);
  const at = name.indexOf("-1m-");
  if (at <= 0 || !KLINE_FILE.test(name)) return null;
  const symbol = name
    .slice(0, at)
    .toUpperCase()
    .replace(/-PERP$/, "");
  return /^[A-Z0-9]+$/.test(symbol) ? symbol : null;
}

/** Appends every data row of one file's text; a header row (non-numeric first field) is skipped. */
export function addKlineText(builder: SeriesBuilder, text: string, file: string): number {
  const chunk = builder.addChunk(text, file);
  let rows = 0;
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf("\n", pos);
    if (end < 0) end = text.length;
    const next = end + 1;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--; // CRLF
    const comma = text.indexOf(",", pos);
    const first = text.charCodeAt(pos);
    if (end - pos >= 3 && comma > pos && comma < end && first >= 48 && first <= 57) {
      if (rows === 0) checkColumns(text.slice(pos, end), file);
      const raw = text.slice(pos, comma);
      const value = Number(raw);
      if (!Number.isFinite(value)) throw new Error(`${file}: bad open_time ${raw}`);
      builder.push(raw.length >= 16 ? Math.floor(value / 1000) : value, chunk, pos, end);
      rows++;
    }
    pos = next;
  }
  return rows;
}

function checkColumns(line: string, file: string): void {
  const n = line.split(",").length;
  if (n !== FIELDS) throw new Error(`${file}: kline rows have ${n} columns, expected ${FIELDS}`);
}

/** Kline files of a folder (name order), or the given list. */
export function listKlineFiles(source: { dir?: string; files?: string[] }): string[] {
  if (source.files) return [...source.files];
  if (source.dir) return klineFiles(source.dir, KLINE_FILE);
  throw new Error("give a folder (dir) or a list of kline files (files)");
}

export interface LoadResult {
  series: Map<string, KlineSeries>;
  skipped: string[];
}

/** Reads the files and builds one series per symbol. */
export function loadKlines(files: string[]): LoadResult {
  const builders = new Map<string, SeriesBuilder>();
  const kinds = new Map<string, boolean>(); // symbol -> came from -PERP files
  const skipped: string[] = [];
  for (const file of [...files].sort((a, b) => path.basename(a).localeCompare(path.basename(b)))) {
    const symbol = symbolOfFile(file);
    if (!symbol) {
      skipped.push(file);
      continue;
    }
    const perp = /-PERP-1m-/i.test(path.basename(file));
    if (kinds.has(symbol) && kinds.get(symbol) !== perp) {
      throw new Error(`${symbol} has both spot and -PERP files; keep one market per symbol in the folder`);
    }
    kinds.set(symbol, perp);
    let builder = builders.get(symbol);
    if (!builder) {
      builder = new SeriesBuilder(symbol);
      builders.set(symbol, builder);
    }
    addKlineText(builder, readKlineText(file), file);
  }
  const series = new Map<string, KlineSeries>();
  for (const [symbol, builder] of builders) {
    const s = builder.build();
    if (s.openMs.length > 0) series.set(symbol, s);
  }
  return { series, skipped };
}
