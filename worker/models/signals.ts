// Buy / sell / hold from the models' next-period expected returns, weighted by out-of-sample skill.
//
// Only models that beat the random walk out of sample (skill > 0) vote; their expected log returns are
// averaged with weights = skill. A trade needs that average to clear the larger of the round-trip fees
// and SIGNAL_EDGE_SIGMAS next-period standard deviations; anything inside the band is a hold.
// Confidence = (how much of the vote's weight agrees) x (how skilled the voters are, capped at 1); for a
// hold the first factor is how deep inside the band the average lies.

import type { SignalKind } from "../contract";
import {
  FEE_BPS,
  FULL_CONFIDENCE_SKILL,
  MODEL_PERIOD_SECONDS,
  ROUND_TRIP_COST,
  SIGNAL_EDGE_SIGMAS,
} from "./insight-config";
import type { InstrumentPrediction } from "./predict";

export interface Vote {
  model: string;
  /** Next-period log return the model expects. */
  expectedReturn: number;
  skill: number | null;
}

export interface Decision {
  signal: SignalKind;
  confidence: number;
  /** Skill-weighted mean expected log return of the voters; null when no model may vote. */
  expected: number | null;
  threshold: number;
  voters: Vote[];
  silenced: Vote[];
  agreement: number;
  /** Skill-weighted mean skill of the voters, and that over FULL_CONFIDENCE_SKILL capped at 1. */
  meanSkill: number;
  skillFactor: number;
}

export const MODEL_NAMES: Record<string, string> = {
  arima: "ARIMA",
  garch: "GARCH",
  gru_attention: "GRU + attention",
  cnn_pattern: "CNN pattern",
};
const nameOf = (m: string) => MODEL_NAMES[m] ?? m;
const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** The fee and volatility band a trade's expected return must leave. */
export const tradeThreshold = (sigma: number | null) =>
  Math.max(ROUND_TRIP_COST, sigma === null ? 0 : SIGNAL_EDGE_SIGMAS * sigma);

export function decide(votes: readonly Vote[], sigma: number | null): Decision {
  const voters = votes.filter((v) => v.skill !== null && v.skill > 0);
  const silenced = votes.filter((v) => !voters.includes(v));
  const threshold = tradeThreshold(sigma);
  const weight = voters.reduce((s, v) => s + (v.skill as number), 0);
  if (voters.length === 0) {
    const none = { expected: null, agreement: 0, meanSkill: 0, skillFactor: 0 };
    return { signal: "hold", confidence: 0, threshold, voters, silenced, ...none };
  }
  const expected = voters.reduce((s, v) => s + (v.skill as number) * v.expectedReturn, 0) / weight;
  const direction = Math.sign(expected);
  const agreeing = voters.filter((v) => Math.sign(v.expectedReturn) === direction);
  const agreement = agreeing.reduce((s, v) => s + (v.skill as number), 0) / weight;
  const meanSkill = voters.reduce((s, v) => s + (v.skill as number) ** 2, 0) / weight;
  const skillFactor = clamp01(meanSkill / FULL_CONFIDENCE_SKILL);
  const signal: SignalKind = expected > threshold ? "buy" : expected < -threshold ? "sell" : "hold";
  const strength = signal === "hold" ? 1 - Math.abs(expected) / threshold : agreement;
  return {
    signal,
    confidence: clamp01(strength * skillFactor),
    expected,
    threshold,
    voters,
    silenced,
    agreement,
    meanSkill,
    skillFactor,
  };
}

const pct = (x: number, digits = 3) => `${x >= 0 ? "+" : ""}${(100 * x).toFixed(digits)}%`;
const skillOf = (metrics: Record<string, unknown> | null) =>
  typeof metrics?.skill === "number" && Number.isFinite(metrics.skill) ? metrics.skill : null;

/** The signal of an instrument's current predictions, with the reasons in sentences. */
export function signalOf(p: InstrumentPrediction) {
  const votes: Vote[] = p.models
    .filter((m) => m.expectedReturn !== null)
    .map((m) => ({
      model: m.model_type,
      expectedReturn: m.expectedReturn as number,
      skill: skillOf(m.metrics),
    }));
  const garch = p.models.find((m) => m.model_type === "garch");
  const sigma = garch?.sigma ?? p.realizedSigma;
  const d = decide(votes, sigma);
  const hours = MODEL_PERIOD_SECONDS / 3600;
  const period = hours === 1 ? "hour" : `${hours} hours`;
  const reasons: string[] = [];
  if (d.expected !== null) {
    const parts = d.voters.map(
      (v) => `${nameOf(v.model)} ${pct(v.expectedReturn)} (skill ${pct(v.skill as number, 1)})`,
    );
    reasons.push(
      `Skill-weighted expected return over the next ${period}: ${pct(d.expected)}, from ${parts.join(", ")}.`,
    );
  }
  for (const v of d.silenced) {
    const s = v.skill === null ? "is unknown" : `is ${pct(v.skill, 1)}`;
    reasons.push(`${nameOf(v.model)} gets no vote: its out-of-sample skill against the random walk ${s}.`);
  }
  if (votes.length === 0) reasons.push("No active model forecasts the direction of the price.");
  const vol =
    sigma === null
      ? "no volatility estimate"
      : `${SIGNAL_EDGE_SIGMAS} x the next-${period} volatility of ${pct(sigma, 2).slice(1)} (${garch ? "GARCH" : "last week's hourly returns"})`;
  reasons.push(
    `A trade needs more than ${pct(d.threshold).slice(1)} either way: the larger of the ${pct(ROUND_TRIP_COST, 2).slice(1)} round-trip fees (${FEE_BPS} bps a side) and ${vol}.`,
  );
  if (d.expected !== null) {
    const side = d.expected >= 0 ? "up" : "down";
    reasons.push(
      `${Math.round(d.agreement * 100)}% of the voting skill points ${side}; their mean skill of ${pct(d.meanSkill, 1)} gives ${Math.round(d.skillFactor * 100)}% of full confidence (reached at ${pct(FULL_CONFIDENCE_SKILL, 0)}).`,
    );
  }
  if (d.signal === "hold" && d.expected !== null)
    reasons.push("Hold: the expected return does not cover the band.");
  if (d.expected === null) reasons.push("Hold: no model beats the random walk out of sample.");
  return { signal: d.signal, confidence: d.confidence, reasons, decision: d };
}
