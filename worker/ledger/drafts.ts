// What the ledger records of an instrument's forecasts at an hour's close: one entry per active model
// (its path and band, version and artifact hash; a volatility model adds its per-hour sd, the EWMA
// benchmark and its calibrated 24 h range) and one for the signal decided from them.
import { compact, type LedgerDraft, type LedgerPoint } from "../../core/ledger/entry";
import { kindOf } from "../../core/models/registry";
import { RANGE_HOURS } from "../../core/models/volatility-score";
import type { InstrumentPrediction, ModelPrediction } from "../models/predict";
import type { Decision } from "../models/signals";

const isVolatility = (type: string) => {
  try {
    return kindOf(type).volatility;
  } catch {
    return false;
  }
};

/** The set of models a signal was decided by, as the ledger names it. */
export const modelSetOf = (p: InstrumentPrediction) =>
  p.models
    .map((m) => `${m.model_type}:${m.version}`)
    .sort()
    .join(",");

function points(m: ModelPrediction): LedgerPoint[] {
  return m.forecast.map((f) => ({
    time: f.time,
    value: compact(f.value),
    lower: compact(f.lower),
    upper: compact(f.upper),
    ...(f.sigma !== undefined ? { sigma: compact(f.sigma) } : {}),
  }));
}

/** The calibrated range of a volatility model: its sd over RANGE_HOURS times the multiplier it earned. */
export function rangeOf(m: ModelPrediction, lastClose: number) {
  const z = m.metrics?.range_band_z;
  if (m.rangeSigma === undefined || typeof z !== "number" || !(z > 0)) return undefined;
  const half = z * m.rangeSigma;
  return {
    hours: RANGE_HOURS,
    lower: compact(lastClose * Math.exp(-half)),
    upper: compact(lastClose * Math.exp(half)),
  };
}

export function draftsOf(p: InstrumentPrediction, decision: Decision, madeAt: Date): LedgerDraft[] {
  if (!p.last) return [];
  const base = {
    symbol: p.symbol,
    made_at: madeAt.toISOString(),
    origin: p.last.time,
    last_close: compact(p.last.close),
  };
  const models: LedgerDraft[] = p.models.map((m) => {
    const volatility = isVolatility(m.model_type) && p.ewmaSigma !== null;
    const range = volatility ? rangeOf(m, p.last?.close as number) : undefined;
    return {
      ...base,
      kind: "forecast",
      model_type: m.model_type,
      model_version: m.version,
      artifact_sha256: m.artifact_sha256,
      forecast: points(m),
      ...(volatility ? { ewma_sigma: compact(p.ewmaSigma as number) } : {}),
      ...(range ? { range } : {}),
    };
  });
  const signal: LedgerDraft = {
    ...base,
    kind: "signal",
    model_type: "signal",
    model_version: null,
    artifact_sha256: null,
    forecast: [],
    signal: {
      signal: decision.signal,
      confidence: decision.confidence === null ? null : compact(decision.confidence),
      expected: decision.expected === null ? null : compact(decision.expected),
      score: decision.score === null ? null : compact(decision.score),
      voters: decision.voters.map((v) => v.model),
      models: modelSetOf(p),
    },
  };
  return [...models, signal];
}
