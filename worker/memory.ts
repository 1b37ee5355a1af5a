// What an isolate keeps between requests, bounded in bytes from one budget. A Worker isolate has
// 128 MB for everything: the bundle's code and its parsed modules, the tfjs backend, the requests in
// flight (a 1m/5000 chart answer is built from ~1 MB of columns) and these caches. The caches share
// CACHE_BUDGET_BYTES (50 MiB), under half of it; each has its part below and evicts its least recently
// used entries past it. Sizes are estimates of the JavaScript heap an entry holds (bytes for byte
// arrays, twice the JSON length for objects: V8 stores small numbers and short strings about that
// densely). Besides these, the D1 facts memos (db/memo.ts) keep at most 1,024 small rows each, and the
// exchange markets (market/markets-cache.ts) one list per exchange.
export const ISOLATE_MEMORY_BYTES = 128 * 1024 * 1024;

const MiB = 1024 * 1024;

/** Each cache's part of the budget, in bytes. */
export const CACHE_BYTES = {
  /** Built chart answers, gzipped (a 1m/1000 answer is ~22 KB): market/chart-cache.ts */
  chartAnswers: 12 * MiB,
  /** Archived days as stored in R2 (~13 KB each): market/day-cache.ts */
  dayBlocks: 12 * MiB,
  /** Decoded model artifacts (tfjs weights, ARIMA and GARCH parameters; ~2x the artifact): models/model-cache.ts */
  models: 12 * MiB,
  /** Forecasts of the last closed hour per instrument and set: models/predict.ts */
  forecasts: 2 * MiB,
  /** What the ledger recorded and the predictions route serves, with its gzipped answer: ledger/served.ts */
  served: 2 * MiB,
  /** Price statistics per instrument: models/stats.ts */
  stats: 1 * MiB,
  /** Signal calibrations per model set: models/calibration-store.ts */
  calibrations: 1 * MiB,
  /** Stored backtest answers (equity curves, fills): models/backtest.ts */
  backtests: 4 * MiB,
  /** Hourly signal histories, stored and live: models/signal-history.ts */
  signalHistory: 4 * MiB,
} as const;

export const CACHE_BUDGET_BYTES = Object.values(CACHE_BYTES).reduce((a, b) => a + b, 0);

/** The estimated heap of a plain value (rows, forecasts, answers): twice its JSON, plus an entry's overhead. */
export function bytesOfJson(value: unknown): number {
  return 2 * (JSON.stringify(value)?.length ?? 0) + ENTRY_OVERHEAD;
}

/** A Map entry, its key and its bookkeeping. */
export const ENTRY_OVERHEAD = 128;

/**
 * A Map that keeps at most `budget` bytes of values (by `sizeOf`) and forgets its least recently used
 * entries beyond that, telling `onEvict`. A value larger than the whole budget is not kept at all
 * (`set` says false; it stays the caller's).
 */
export class ByteLru<K, V> {
  private readonly map = new Map<K, { value: V; bytes: number }>();
  private held = 0;

  constructor(
    readonly budget: number,
    private readonly sizeOf: (value: V, key: K) => number,
    private readonly onEvict?: (value: V) => void,
  ) {}

  /** Entries kept. */
  get size() {
    return this.map.size;
  }

  /** Estimated bytes kept. */
  get bytes() {
    return this.held;
  }

  get(key: K): V | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, e);
    return e.value;
  }

  set(key: K, value: V): boolean {
    const bytes = this.sizeOf(value, key);
    this.remove(key, value);
    if (bytes > this.budget) return false;
    this.map.set(key, { value, bytes });
    this.held += bytes;
    for (const [k, e] of this.map) {
      if (this.held <= this.budget) break;
      this.map.delete(k);
      this.held -= e.bytes;
      this.onEvict?.(e.value);
    }
    return true;
  }

  delete(key: K) {
    this.remove(key);
  }

  clear() {
    for (const k of [...this.map.keys()]) this.remove(k);
  }

  private remove(key: K, replacement?: V) {
    const old = this.map.get(key);
    if (old === undefined) return;
    this.map.delete(key);
    this.held -= old.bytes;
    if (old.value !== replacement) this.onEvict?.(old.value);
  }
}
