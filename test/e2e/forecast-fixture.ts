// Test-only: contract-shaped forecasts and signals for the browser tests. Four hourly forecast paths
// made at the close of the last closed hour (`origin`), each point at its target hour's open, with the
// evaluation metrics each kind reports (GARCH: QLIKE against the EWMA and its calibrated 24 h range);
// and the signal in its three states: calibrated (its basis fitted and checked by core's calibration),
// a hold with no voter, and a voter without enough hours to calibrate.
import { aggregate } from "../../core/candles/aggregate";
import { periodStart } from "../../core/candles/timeframes";
import type { Candle } from "../../core/candles/types";
import {
  type CalibrationSample,
  fitCalibration,
  probabilityOf,
  rollingCalibration,
} from "../../core/models/calibration";
import { confidencePercent } from "../../core/models/confidence";
import type { ForecastPoint } from "../../web/src/api-types";

const HOUR = 3600;
const iso = (sec: number) => new Date(sec * 1000).toISOString();

export interface ForecastMarket {
  symbol: string;
  m1: Candle[];
}

/** Open of the last closed hour: the forecasts were made at its close. */
export const originOf = (m1: readonly Candle[]) => periodStart(m1.at(-1)!.time + 60, "1h") - HOUR;

function hourlySigma(m1: Candle[]): number {
  const h = aggregate(m1, "1h").slice(-24 * 14 - 1);
  const r = h.slice(1).map((c, i) => Math.log(c.close / h[i].close));
  const mean = r.reduce((a, b) => a + b, 0) / r.length;
  return Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1));
}

/** The predictions answer; `voter`: GRU + attention passes Holm's test (p 0.004), else no model does. */
export function predictions(m: ForecastMarket, { voter = true } = {}) {
  const sigma = hourlySigma(m.m1);
  const origin = originOf(m.m1);
  const price = m.m1.filter((c) => c.time < origin + HOUR).at(-1)!.close;
  const path = (steps: number, drift: number, wobble: number, widen: number): ForecastPoint[] =>
    Array.from({ length: steps }, (_, k) => {
      const h = k + 1;
      const mid = price * Math.exp(drift * h + wobble * Math.sin(h / 3) * sigma);
      const half = 1.96 * sigma * Math.sqrt(h) * widen;
      return {
        time: origin + h * HOUR,
        value: mid,
        lower: mid * Math.exp(-half),
        upper: mid * Math.exp(half),
      };
    });
  const metrics = (skill: number, dm_pvalue: number, dir: number, extra = {}) => ({
    timeframe: "1h",
    horizon: 1,
    evaluation: "rolling_origin",
    n: 720,
    mae: price * sigma * 0.8 * (1 - skill),
    naive_mae: price * sigma * 0.8,
    skill,
    dm_pvalue,
    coverage_95: 0.947,
    directional_accuracy: dir,
    ...extra,
  });
  const rangeZ = 1.02;
  const garch = path(24, 0, 0, 1.25).map((p) => ({ ...p, value: price, sigma: sigma * 1.25 }));
  const model = (
    model_type: string,
    version: number,
    forecast: ForecastPoint[],
    m: unknown,
    range: unknown = null,
  ) => ({
    model_type,
    version,
    trained_at: iso(origin - 2 * HOUR),
    forecast,
    metrics: m,
    range,
    ledger: { seq: 1000 + version, hash: `${version}`.repeat(64) },
  });
  const half = rangeZ * sigma * 1.25 * Math.sqrt(24);
  return {
    symbol: m.symbol,
    generated_at: iso(origin + HOUR + 20),
    origin,
    models: [
      model("arima", 3, path(24, 0.0004, 0.2, 1), metrics(0.021, 0.21, 0.524)),
      model(
        "garch",
        3,
        garch,
        metrics(0.004, 0.4, 0.5, {
          qlike: 1.183,
          naive_qlike: 1.247,
          qlike_benchmark: "ewma_0.94",
          qlike_dm_pvalue: 0.031,
          range_hours: 24,
          range_coverage: 0.943,
          range_n: 1236,
          range_band_z: rangeZ,
        }),
        { hours: 24, lower: price * Math.exp(-half), upper: price * Math.exp(half) },
      ),
      model("gru_attention", 2, path(12, 0.0009, 0.6, 0.8), metrics(0.034, voter ? 0.004 : 0.38, 0.547)),
      model("cnn_pattern", 2, path(8, -0.0006, 0.4, 0.9), metrics(-0.012, 0.64, 0.509)),
    ],
  };
}

/** A deterministic stream in [0, 1) (mulberry32), so the calibration is the same every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A calibration as the Worker stores one: fitted and checked by core on out-of-sample hours. */
export function calibratedBasis(samples = 480) {
  const next = random(17);
  const hours: CalibrationSample[] = Array.from({ length: samples }, () => {
    const score = next() * 0.8;
    return { score, hit: next() < 1 / (1 + Math.exp(-(0.05 + 0.9 * score))) };
  });
  const fit = fitCalibration(hours)!;
  const { check } = rollingCalibration(hours);
  const basis = { source: "rolling_evaluation", samples, n: fit.n, hits: fit.hits, held_out: check };
  return { basis, confidenceAt: (score: number) => probabilityOf(fit, score) };
}

const RULE =
  "Rule: a model votes only if, over its rolling out-of-sample evaluation, it beats the random walk (pooled skill > 0) and its one-sided Diebold-Mariano p-value passes Holm's test across the 3 models at a 10% family-wise error rate.";

export function calibratedSignal(symbol: string, at: number, confidence: number) {
  const { basis } = calibratedBasis();
  return {
    symbol,
    signal: "buy",
    confidence,
    confidence_basis: basis,
    reasons: [
      RULE,
      "Skill-weighted expected return over the next hour: +0.310%, from GRU + attention +0.310% (skill +3.40%, p 0.004 (needs < 0.033)).",
      `Confidence ${confidencePercent(confidence)}%: the probability that the next hour's close moves up, as calibrated on ${basis.n} out-of-sample hours when the voters leaned.`,
    ],
    generated_at: iso(at),
    ledger: { seq: 1004, hash: "4".repeat(64) },
  };
}

export function noEdgeSignal(symbol: string, at: number) {
  return {
    symbol,
    signal: "hold",
    confidence: null,
    confidence_basis: { source: "rolling_evaluation", samples: 0, n: null, hits: null, held_out: null },
    reasons: [
      RULE,
      "ARIMA gets no vote (skill +2.10%, p 0.21 (needs < 0.05)).",
      "GRU + attention gets no vote (skill +3.40%, p 0.38 (needs < 0.10)).",
      "CNN pattern gets no vote (skill −1.20%, p 0.64 (needs < 0.033)).",
      "Hold: no evidence of an edge: no model beats the random walk significantly. No confidence is given.",
    ],
    generated_at: iso(at),
    ledger: { seq: 5, hash: "5".repeat(64) },
  };
}

export function uncalibratedSignal(symbol: string, at: number) {
  return {
    ...calibratedSignal(symbol, at, 0.5),
    confidence: null,
    confidence_basis: { source: "rolling_evaluation", samples: 37, n: null, hits: null, held_out: null },
    reasons: [
      RULE,
      "No confidence: too few out-of-sample hours with voters to calibrate one (37, needs 100).",
    ],
  };
}
