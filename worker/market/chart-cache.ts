// Built chart answers kept per isolate and in the Cache API, keyed by the version of exactly the data
// they were built from: a new minute changes only the version of ranges that reach today's D1 rows;
// a range wholly in finished, archived days changes only if an archived day is rewritten (a gap
// refill), so it is served from memory and answered 304 to a client that already has it. Answers are
// kept gzipped (see middleware/gzip-body.ts): a repeated one is sent without being compressed again.
import { nextPeriodStart, periodStart, type Timeframe } from "../../core/candles/timeframes";
import { Memo } from "../db/memo";
import { ByteLru, CACHE_BYTES } from "../memory";
import { type DataVersion, readDataVersion } from "./d1-candles";

// The path names the stored format: answers kept by an older release (plain JSON) are never read as gzip.
const CACHE_ORIGIN = "https://chart-cache.moneymoney.internal/gzip";
// Gzipped UTF-8 bodies: a 1m answer of 1,000 candles is ~100 KB of JSON, ~22 KB gzipped.
const memory = new ByteLru<string, Uint8Array>(CACHE_BYTES.chartAnswers, (b) => b.byteLength);

const versions = new Memo<string, DataVersion>(["candles", "profiles"]);

/**
 * The version of a symbol's stored candles, read at most FACTS_TTL_MS ago: candles stored by this
 * isolate show at once, those stored elsewhere (the cron, a backfill runner) within that bound.
 */
export const dataVersion = (d1: D1Database, symbol: string): Promise<DataVersion> =>
  versions.get(symbol, () => readDataVersion(d1, symbol));

export interface ChartRequest {
  symbol: string;
  tf: Timeframe;
  limit: number;
  end?: number;
}

/**
 * The cache key of a chart answer and whether its range is finished: a range that ends before the
 * first minute still in D1 (and before today) is built from archived days only.
 */
export function chartKey(r: ChartRequest, v: DataVersion, nowSec: number) {
  const before =
    r.end === undefined ? Number.POSITIVE_INFINITY : nextPeriodStart(periodStart(r.end, r.tf), r.tf);
  const today = nowSec - (nowSec % 86_400);
  const finished = before <= today && (v.recent.first === null || before <= v.recent.first);
  const recent = finished ? "" : `${v.recent.n}.${v.recent.first}.${v.recent.last}`;
  const key = `${r.symbol}/${r.tf}/${r.limit}/${r.end ?? ""}/${v.days}/${recent}`;
  return { key, etag: `"c${fnv1a(key)}"`, finished };
}

/** The gzipped body of `key`, from this isolate's memory or the Cache API; null when neither has it. */
export async function cachedGzip(key: string): Promise<Uint8Array | null> {
  const hit = memory.get(key);
  if (hit !== undefined) return hit;
  const res = await caches.default.match(cacheUrl(key)).catch(() => undefined);
  if (!res) return null;
  const body = new Uint8Array(await res.arrayBuffer());
  memory.set(key, body);
  return body;
}

/** Keeps a built answer's gzip in memory and in the Cache API (as opaque bytes: no cache layer decodes them). */
export async function keepGzip(key: string, gz: Uint8Array) {
  memory.set(key, gz);
  const res = new Response(gz, {
    headers: { "content-type": "application/octet-stream", "cache-control": "public, max-age=86400" },
  });
  await caches.default.put(cacheUrl(key), res);
}

const cacheUrl = (key: string) => `${CACHE_ORIGIN}/${encodeURIComponent(key)}`;

/** 52-bit FNV-1a of a string, in base 36: a short, stable ETag for a key. */
function fnv1a(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return ((h2 & 0xfffff) * 2 ** 32 + h1).toString(36);
}
