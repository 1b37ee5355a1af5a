// What every model kind provides (see registry.ts): fitting, its artifact's encoding and checks, its
// one-step forecasts at past origins (evaluation, backtest) and its forecast path (predictions).
import type { Candle } from "../../candles/types";
import type { KindInfo } from "../kind-info";

export interface ForecastPoint {
  time: number;
  value: number;
  lower: number;
  upper: number;
  /** A volatility model's sd of this period's log return. */
  sigma?: number;
}

export interface ModelOutlook {
  forecast: ForecastPoint[];
  /** Log return from the last close to the next period's forecast value; null for a volatility model. */
  expectedReturn: number | null;
  /** Standard deviation of the next period's log return as the model sees it. */
  sigma: number;
  /** A volatility model's sd of the log return over the next RANGE_HOURS periods. */
  rangeSigma?: number;
}

/**
 * One-step-ahead forecasts at origins i of a candle array: `mean[i]` is the predicted log return
 * ln(close[i + 1] / close[i]) and `sigma[i]` its standard deviation, both made from candles[0..i]
 * only. NaN where the model has no forecast (before `firstOrigin`, too little history, the last index).
 */
export interface OneStep {
  mean: Float64Array;
  sigma: Float64Array;
}

export type Progress = (fraction: number, message: string) => Promise<void>;

/** A decoded artifact: the model and the 95% band multiplier of its sigma (calibrated at training). */
export interface Decoded<M> {
  model: M;
  bandZ: number;
}

/** A kind's label and flags, taken from kind-info.ts (which the web app reads too), and its model code. */
export interface ModelKind<M>
  extends Pick<KindInfo, "label" | "direction" | "volatility" | "tfjs" | "folds"> {
  /** Fits on `candles` (hourly, oldest first): every one of them is training data. */
  fit(candles: readonly Candle[], progress: Progress): Promise<M>;
  /** The parameter record stored with the version (DESIGN.md "Models"). */
  parameters(model: M): Record<string, unknown>;
  encode(model: M, bandZ: number): Promise<Uint8Array>;
  /** Checks and loads an artifact exactly as inference reads it; throws a readable error. */
  decode(bytes: Uint8Array): Promise<Decoded<M>>;
  dispose(model: M): void;
  oneStep(model: M, candles: readonly Candle[], firstOrigin: number): OneStep;
  /**
   * A volatility model's sd of ln(close[i + steps] / close[i]) forecast at each origin i >= firstOrigin
   * from candles[0..i] (NaN elsewhere): the range it implies over the next `steps` periods.
   */
  rangeSigma?(model: M, candles: readonly Candle[], firstOrigin: number, steps: number): Float64Array;
  /** The next `steps` periods after the last candle, with the band mean +- bandZ sigma in log space. */
  forecast(model: M, candles: readonly Candle[], steps: number, bandZ: number): ModelOutlook;
}

const finite = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

/** The band multiplier stored in an artifact: a positive finite number, or the normal 95% quantile. */
export function readBandZ(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!finite(value) || value <= 0 || value > 50) throw new Error("artifact band_z must be in (0, 50]");
  return value;
}

export function parseJson(type: string, bytes: Uint8Array): Record<string, unknown> {
  let a: unknown;
  try {
    a = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    throw new Error(`${type} artifact is not valid UTF-8 JSON`);
  }
  if (!a || typeof a !== "object" || (a as { kind?: unknown }).kind !== type)
    throw new Error(`artifact kind is not ${type}`);
  return a as Record<string, unknown>;
}

export const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
export { finite };

export const nanArray = (n: number) => new Float64Array(n).fill(Number.NaN);

/** Period opens of the `steps` periods after `last`. */
export const nextTimes = (last: number, period: number, steps: number) =>
  Array.from({ length: steps }, (_, k) => last + (k + 1) * period);
