// Feature rows, scaling and windowing shared by network training (trainer) and inference (Worker).
import type { Candle } from "../candles/types";

/** Columns of a feature row, in order. Prices enter only as ratios, so the rows are scale-free. */
export const FEATURE_NAMES = [
  "log_return", // ln(close / previous close)
  "high_rel", // ln(high / close)
  "low_rel", // ln(low / close)
  "open_rel", // ln(open / close)
  "log_volume", // ln(1 + volume)
  "hour_sin", // hour of day (UTC) on the unit circle: crypto volume and volatility follow the clock
  "hour_cos",
] as const;

export const FEATURE_COUNT = FEATURE_NAMES.length;

/** One row per candle from the second one on (the first has no previous close). */
export interface FeatureTable {
  /** Period open of each row's candle (Unix seconds). */
  times: number[];
  /** Close of each row's candle: the base the predicted return applies to. */
  closes: number[];
  X: Float32Array[];
}

/** Per-column standardisation, fitted on training rows only. */
export interface Scaler {
  mean: number[];
  std: number[];
}

/** Windows of consecutive rows, flattened row-major into [n, window, features]. */
export interface Windows {
  n: number;
  window: number;
  features: number;
  x: Float32Array;
  /** Log return from the window's last close to the close `horizon` rows later (NaN when unknown). */
  y: Float32Array;
  /** Row index of each window's last row (the forecast origin). */
  origins: number[];
}

const TWO_PI = 2 * Math.PI;
const HOUR = 3600;
const DAY_SECONDS = 86_400;
/** A column whose training spread is below this is left unscaled (divided by 1) instead of blown up. */
const MIN_STD = 1e-12;

export function buildFeatures(candles: readonly Candle[]): FeatureTable {
  const table: FeatureTable = { times: [], closes: [], X: [] };
  for (let i = 1; i < candles.length; i++) {
    const c = candles[i];
    const hour = (((c.time % DAY_SECONDS) + DAY_SECONDS) % DAY_SECONDS) / HOUR;
    const row = new Float32Array(FEATURE_COUNT);
    row[0] = Math.log(c.close / candles[i - 1].close);
    row[1] = Math.log(c.high / c.close);
    row[2] = Math.log(c.low / c.close);
    row[3] = Math.log(c.open / c.close);
    row[4] = Math.log1p(c.volume);
    row[5] = Math.sin((TWO_PI * hour) / 24);
    row[6] = Math.cos((TWO_PI * hour) / 24);
    for (const v of row) if (!Number.isFinite(v)) throw new Error(`non-finite feature at candle ${c.time}`);
    table.times.push(c.time);
    table.closes.push(c.close);
    table.X.push(row);
  }
  return table;
}

/** Mean and population standard deviation (ddof 0) of each column of `rows`: pass training rows only. */
export function fitScaler(rows: readonly Float32Array[]): Scaler {
  if (rows.length === 0) throw new Error("fitScaler needs at least one row");
  const width = rows[0].length;
  const mean = new Array<number>(width).fill(0);
  const std = new Array<number>(width).fill(0);
  for (const row of rows) for (let j = 0; j < width; j++) mean[j] += row[j];
  for (let j = 0; j < width; j++) mean[j] /= rows.length;
  for (const row of rows) for (let j = 0; j < width; j++) std[j] += (row[j] - mean[j]) ** 2;
  for (let j = 0; j < width; j++) {
    const s = Math.sqrt(std[j] / rows.length);
    std[j] = s < MIN_STD ? 1 : s;
  }
  return { mean, std };
}

/** A copy of `table` whose rows are standardised with `scaler`; times and closes are shared. */
export function applyScaler(table: FeatureTable, scaler: Scaler): FeatureTable {
  const width = scaler.mean.length;
  const X = table.X.map((row) => {
    if (row.length !== width) throw new Error(`row has ${row.length} features, scaler has ${width}`);
    const out = new Float32Array(width);
    for (let j = 0; j < width; j++) out[j] = (row[j] - scaler.mean[j]) / scaler.std[j];
    return out;
  });
  return { times: table.times, closes: table.closes, X };
}

/**
 * Every window of `window` consecutive rows whose origin (last row) has a known close `horizon` rows
 * later; with `includeOpen` also the windows at the end whose target lies in the future (y = NaN).
 */
export function makeWindows(
  table: FeatureTable,
  window: number,
  horizon: number,
  includeOpen = false,
): Windows {
  if (window < 1 || horizon < 1) throw new Error("window and horizon must be >= 1");
  const rows = table.X.length;
  const features = rows > 0 ? table.X[0].length : 0;
  const lastOrigin = includeOpen ? rows - 1 : rows - 1 - horizon;
  const n = Math.max(0, lastOrigin - (window - 1) + 1);
  const x = new Float32Array(n * window * features);
  const y = new Float32Array(n);
  const origins: number[] = [];
  for (let k = 0; k < n; k++) {
    const origin = window - 1 + k;
    for (let t = 0; t < window; t++) x.set(table.X[origin - window + 1 + t], (k * window + t) * features);
    const target = origin + horizon;
    y[k] = target < rows ? Math.log(table.closes[target] / table.closes[origin]) : Number.NaN;
    origins.push(origin);
  }
  return { n, window, features, x, y, origins };
}
