// Buy / sell / hold from the models' next-period expected returns, counting only proven models.
//
// A model votes only if its rolling out-of-sample evaluation shows pooled skill > 0 against the random
// walk AND its one-sided Diebold-Mariano p-value passes Holm's step-down test across the direction
// models at a family-wise error rate of VOTE_FAMILY_ALPHA: with four models each tested at 10% alone, a
// market with nothing to predict would get a false voter in about a third of windows; Holm keeps that
// at 10% whatever the models' dependence. Voters' expected log returns are averaged with weights =
// skill. A trade needs that average to clear the larger of the round-trip fees and SIGNAL_EDGE_SIGMAS
// next-period standard deviations; anything inside the band is a hold. The confidence is not a
// p-value: it is the calibrated probability (core/models/calibration.ts) that the next close moves the
// way the voters lean, from how far they lean; with no voter there is no confidence at all.
import {
  CALIBRATION_MIN_SAMPLES,
  type Calibration,
  type HeldOutCheck,
  probabilityOf,
} from "../../core/models/calibration";
import { confidencePercent } from "../../core/models/confidence";
import { kindOf } from "../../core/models/registry";
import type { SignalKind } from "../contract";
import {
  FEE_BPS,
  MODEL_PERIOD_SECONDS,
  ROUND_TRIP_COST,
  SIGNAL_EDGE_SIGMAS,
  VOTE_FAMILY_ALPHA,
} from "./insight-config";
import type { InstrumentPrediction } from "./predict";

/** The stored calibration of an instrument's signal: the fit the live signal uses and its held-out check. */
export interface SignalCalibration {
  fit: Calibration | null;
  check: HeldOutCheck | null;
  /** Hours with voters it could use. */
  samples: number;
  source: "rolling_evaluation" | "ledger";
}

export interface Vote {
  model: string;
  /** Next-period log return the model expects. */
  expectedReturn: number;
  /** Pooled out-of-sample skill and one-sided DM p-value against the random walk (null: unknown). */
  skill: number | null;
  pValue: number | null;
}

export interface Decision {
  signal: SignalKind;
  /** Calibrated probability that the next close moves the voters' way; null without voter or calibration. */
  confidence: number | null;
  /** Skill-weighted mean expected log return of the voters; null when no model may vote. */
  expected: number | null;
  /** |expected| / sigma: how far the voters lean in next-period standard deviations (null: unknown). */
  score: number | null;
  threshold: number;
  voters: Vote[];
  silenced: Vote[];
  /** Per model with a p-value, the largest p-value Holm's step lets it pass with. */
  bars: Map<Vote, number>;
}

/**
 * Holm (1979): the m p-values sorted ascending, the k-th (from 1) is rejected when it and every
 * smaller one lies below alpha / (m - k + 1). Returns each vote's bar and whether its step rejected.
 */
export function holm(votes: readonly Vote[], alpha = VOTE_FAMILY_ALPHA) {
  const tested = votes
    .filter((v) => v.pValue !== null)
    .sort((a, b) => (a.pValue as number) - (b.pValue as number));
  const bars = new Map<Vote, number>();
  const rejected = new Set<Vote>();
  let stopped = false;
  tested.forEach((v, k) => {
    const bar = alpha / (tested.length - k);
    bars.set(v, bar);
    if (!stopped && (v.pValue as number) < bar) rejected.add(v);
    else stopped = true;
  });
  return { bars, rejected };
}

/** The fee and volatility band a trade's expected return must leave. */
export const tradeThreshold = (sigma: number | null) =>
  Math.max(ROUND_TRIP_COST, sigma === null ? 0 : SIGNAL_EDGE_SIGMAS * sigma);

export function decide(
  votes: readonly Vote[],
  sigma: number | null,
  calibration: Calibration | null = null,
): Decision {
  const { bars, rejected } = holm(votes);
  const voters = votes.filter((v) => rejected.has(v) && v.skill !== null && v.skill > 0);
  const silenced = votes.filter((v) => !voters.includes(v));
  const threshold = tradeThreshold(sigma);
  const none = { confidence: null, expected: null, score: null, threshold, voters, silenced, bars };
  if (voters.length === 0) return { signal: "hold", ...none };
  const w = (v: Vote) => v.skill as number;
  const weight = voters.reduce((s, v) => s + w(v), 0);
  const expected = voters.reduce((s, v) => s + w(v) * v.expectedReturn, 0) / weight;
  const signal: SignalKind = expected > threshold ? "buy" : expected < -threshold ? "sell" : "hold";
  const score = sigma !== null && sigma > 0 ? Math.abs(expected) / sigma : null;
  const confidence = calibration && score !== null ? probabilityOf(calibration, score) : null;
  return { signal, confidence, expected, score, threshold, voters, silenced, bars };
}

const pct = (x: number, digits = 3) => `${x >= 0 ? "+" : ""}${(100 * x).toFixed(digits)}%`;
const num = (metrics: Record<string, unknown> | null, key: string) => {
  const v = metrics?.[key];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
};
const labelOf = (type: string) => {
  try {
    return kindOf(type).label;
  } catch {
    return type;
  }
};
const isVolatility = (type: string) => {
  try {
    return kindOf(type).volatility;
  } catch {
    return false;
  }
};

/** A model's vote from its stored metrics: pooled `skill` and `dm_pvalue` of the rolling evaluation. */
export const voteOf = (model: string, expectedReturn: number, metrics: Record<string, unknown> | null) => ({
  model,
  expectedReturn,
  skill: num(metrics, "skill"),
  pValue: num(metrics, "dm_pvalue"),
});

export const NO_EDGE_REASON = "no evidence of an edge: no model beats the random walk significantly";

const pValueText = (p: number) => (p < 0.001 ? "< 0.001" : p.toFixed(3));

/** The signal of an instrument's current predictions, with the reasons in sentences. */
export function signalOf(p: InstrumentPrediction, calibration: SignalCalibration | null = null) {
  const votes: Vote[] = p.models
    .filter((m) => m.expectedReturn !== null)
    .map((m) => voteOf(m.model_type, m.expectedReturn as number, m.metrics));
  const volatility = p.models.find((m) => isVolatility(m.model_type));
  const sigma = volatility?.sigma ?? p.realizedSigma;
  const d = decide(votes, sigma, calibration?.fit ?? null);
  const hours = MODEL_PERIOD_SECONDS / 3600;
  const period = hours === 1 ? "hour" : `${hours} hours`;
  const reasons: string[] = [
    `Rule: a model votes only if, over its rolling out-of-sample evaluation, it beats the random walk (pooled skill > 0) and its one-sided Diebold-Mariano p-value passes Holm's test across the ${votes.length || "direction"} models at a ${VOTE_FAMILY_ALPHA * 100}% family-wise error rate.`,
  ];
  const evidence = (v: Vote) => {
    const bar = d.bars.get(v);
    const p =
      v.pValue === null
        ? "p unknown"
        : `p ${pValueText(v.pValue)}${bar ? ` (needs < ${bar.toFixed(3)})` : ""}`;
    return `skill ${v.skill === null ? "unknown" : pct(v.skill, 2)}, ${p}`;
  };
  if (d.expected !== null) {
    const parts = d.voters.map((v) => `${labelOf(v.model)} ${pct(v.expectedReturn)} (${evidence(v)})`);
    reasons.push(
      `Skill-weighted expected return over the next ${period}: ${pct(d.expected)}, from ${parts.join(", ")}.`,
    );
  }
  for (const v of d.silenced) reasons.push(`${labelOf(v.model)} gets no vote (${evidence(v)}).`);
  if (votes.length === 0) reasons.push("No active model forecasts the direction of the price.");
  const vol =
    sigma === null
      ? "no volatility estimate"
      : `${SIGNAL_EDGE_SIGMAS} x the next-${period} volatility of ${pct(sigma, 2).slice(1)} (${volatility ? labelOf(volatility.model_type) : "last week's hourly returns"})`;
  reasons.push(
    `A trade needs more than ${pct(d.threshold).slice(1)} either way: the larger of the ${pct(ROUND_TRIP_COST, 2).slice(1)} round-trip fees (${FEE_BPS} bps a side) and ${vol}.`,
  );
  if (d.expected !== null) reasons.push(confidenceReason(d, calibration, period));
  if (d.signal === "hold" && d.expected !== null)
    reasons.push("Hold: the expected return does not cover the band.");
  if (d.expected === null) reasons.push(`Hold: ${NO_EDGE_REASON}. No confidence is given.`);
  return { signal: d.signal, confidence: d.confidence, reasons, decision: d };
}

/** What a signal answer says its confidence rests on. */
export const confidenceBasis = (c: SignalCalibration | null) =>
  c
    ? {
        source: c.source,
        samples: c.samples,
        n: c.fit?.n ?? null,
        hits: c.fit?.hits ?? null,
        held_out: c.check,
      }
    : null;

function confidenceReason(d: Decision, calibration: SignalCalibration | null, period: string) {
  const way = (d.expected as number) >= 0 ? "up" : "down";
  const fit = calibration?.fit;
  if (d.confidence === null || !fit)
    return `No confidence: too few out-of-sample hours with voters to calibrate one (${fit?.n ?? calibration?.samples ?? 0}, needs ${CALIBRATION_MIN_SAMPLES}).`;
  const check = calibration.check;
  const checked = check
    ? ` On ${check.n} held-out hours its Brier score was ${check.brier.toFixed(3)} against ${check.brier_base_rate.toFixed(3)} for the base rate (lower is better).`
    : "";
  return `Confidence ${confidencePercent(d.confidence)}%: the probability that the next ${period}'s close moves ${way}, as calibrated on ${fit.n} out-of-sample hours when the voters leaned (${fit.hits} went their way), for a lean of ${(d.score as number).toFixed(2)} standard deviations.${checked}`;
}
