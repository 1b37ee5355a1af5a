// Buy / sell / hold from the models' next-period expected returns, counting only proven models.
//
// A model votes only if its rolling out-of-sample evaluation shows pooled skill > 0 against the random
// walk AND its one-sided Diebold-Mariano p-value is below VOTE_MAX_PVALUE. Voters' expected log returns
// are averaged with weights = skill. A trade needs that average to clear the larger of the round-trip
// fees and SIGNAL_EDGE_SIGMAS next-period standard deviations; anything inside the band is a hold.
// Confidence is the evidence: the share of the voting weight that points the signal's way, each voter
// counted by 1 - its p-value; inside the band, times how deep inside the average lies. With no voter,
// the hold's confidence is the smallest p-value among the direction models (how little evidence there
// is of any edge: 1 when none beats the random walk at all).
import { confidencePercent } from "../../core/models/confidence";
import { kindOf } from "../../core/models/registry";
import type { SignalKind } from "../contract";
import {
  FEE_BPS,
  MODEL_PERIOD_SECONDS,
  ROUND_TRIP_COST,
  SIGNAL_EDGE_SIGMAS,
  VOTE_MAX_PVALUE,
} from "./insight-config";
import type { InstrumentPrediction } from "./predict";

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
  confidence: number;
  /** Skill-weighted mean expected log return of the voters; null when no model may vote. */
  expected: number | null;
  threshold: number;
  voters: Vote[];
  silenced: Vote[];
  /** Share of the voting weight pointing the way of the expected return, each voter times 1 - p. */
  evidence: number;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** The rule of a vote: positive pooled skill and a DM p-value below VOTE_MAX_PVALUE. */
export const mayVote = (v: Pick<Vote, "skill" | "pValue">) =>
  v.skill !== null && v.skill > 0 && v.pValue !== null && v.pValue < VOTE_MAX_PVALUE;

/** The fee and volatility band a trade's expected return must leave. */
export const tradeThreshold = (sigma: number | null) =>
  Math.max(ROUND_TRIP_COST, sigma === null ? 0 : SIGNAL_EDGE_SIGMAS * sigma);

export function decide(votes: readonly Vote[], sigma: number | null): Decision {
  const voters = votes.filter(mayVote);
  const silenced = votes.filter((v) => !voters.includes(v));
  const threshold = tradeThreshold(sigma);
  if (voters.length === 0) {
    const pValues = votes.map((v) => v.pValue).filter((p): p is number => p !== null);
    const confidence = pValues.length ? clamp01(Math.min(...pValues)) : 0;
    return { signal: "hold", confidence, expected: null, threshold, voters, silenced, evidence: 0 };
  }
  const w = (v: Vote) => v.skill as number;
  const weight = voters.reduce((s, v) => s + w(v), 0);
  const expected = voters.reduce((s, v) => s + w(v) * v.expectedReturn, 0) / weight;
  const direction = Math.sign(expected);
  const evidence =
    voters
      .filter((v) => Math.sign(v.expectedReturn) === direction)
      .reduce((s, v) => s + w(v) * (1 - (v.pValue as number)), 0) / weight;
  const signal: SignalKind = expected > threshold ? "buy" : expected < -threshold ? "sell" : "hold";
  const depth = signal === "hold" ? 1 - Math.abs(expected) / threshold : 1;
  return { signal, confidence: clamp01(depth * evidence), expected, threshold, voters, silenced, evidence };
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

export const NO_EDGE_REASON = "no model beats the random walk significantly";

/** The signal of an instrument's current predictions, with the reasons in sentences. */
export function signalOf(p: InstrumentPrediction) {
  const votes: Vote[] = p.models
    .filter((m) => m.expectedReturn !== null)
    .map((m) => voteOf(m.model_type, m.expectedReturn as number, m.metrics));
  const volatility = p.models.find((m) => isVolatility(m.model_type));
  const sigma = volatility?.sigma ?? p.realizedSigma;
  const d = decide(votes, sigma);
  const hours = MODEL_PERIOD_SECONDS / 3600;
  const period = hours === 1 ? "hour" : `${hours} hours`;
  const reasons: string[] = [
    `Rule: a model votes only if, over its rolling out-of-sample evaluation, it beats the random walk (pooled skill > 0) with a one-sided Diebold-Mariano p-value below ${VOTE_MAX_PVALUE}.`,
  ];
  const evidence = (v: Vote) =>
    `skill ${v.skill === null ? "unknown" : pct(v.skill, 2)}, p ${v.pValue === null ? "unknown" : v.pValue.toFixed(3)}`;
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
  if (d.expected !== null) {
    reasons.push(
      `Confidence ${confidencePercent(d.confidence)}%: ${Math.round(d.evidence * 100)}% of the voting weight points ${d.expected >= 0 ? "up" : "down"}, each voter counted by 1 - its p-value${d.signal === "hold" ? ", times how deep inside the band the expected return lies" : ""}.`,
    );
  }
  if (d.signal === "hold" && d.expected !== null)
    reasons.push("Hold: the expected return does not cover the band.");
  if (d.expected === null) {
    reasons.push(`Hold: ${NO_EDGE_REASON}.`);
    if (votes.length)
      reasons.push(
        `Confidence ${confidencePercent(d.confidence)}%: the smallest Diebold-Mariano p-value among the direction models.`,
      );
  }
  return { signal: d.signal, confidence: d.confidence, reasons, decision: d };
}
