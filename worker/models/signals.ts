// The live signal of an instrument's current predictions, decided by the vote rule (core/models/vote.ts)
// from each model's stored evaluation, with the reasons in sentences. The confidence is never a p-value:
// it is the calibrated probability (core/models/calibration.ts) that the next close moves the way the
// voters lean; with no voter there is no confidence at all.
import { formatPct, formatPValue } from "../../core/format";
import { CALIBRATION_MIN_SAMPLES, type SignalCalibration } from "../../core/models/calibration";
import { confidencePercent } from "../../core/models/confidence";
import { kindOf } from "../../core/models/registry";
import {
  type Decision,
  decide,
  FEE_BPS,
  ROUND_TRIP_COST,
  SIGNAL_EDGE_SIGMAS,
  VOTE_FAMILY_ALPHA,
  type Vote,
} from "../../core/models/vote";
import { MODEL_PERIOD_SECONDS } from "./insight-config";

import type { InstrumentPrediction } from "./predict";

export type { SignalCalibration } from "../../core/models/calibration";
export { type Decision, decide, holm, tradeThreshold, type Vote } from "../../core/models/vote";

const pct = (x: number, digits = 3) => formatPct(x, digits);
/** A size without a sign (a threshold, a volatility). */
const size = (x: number, digits = 3) => formatPct(x, digits, false);
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
        : `p ${formatPValue(v.pValue)}${bar ? ` (needs < ${formatPValue(bar)})` : ""}`;
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
      : `${SIGNAL_EDGE_SIGMAS} x the next-${period} volatility of ${size(sigma, 2)} (${volatility ? labelOf(volatility.model_type) : "last week's hourly returns"})`;
  reasons.push(
    `A trade needs more than ${size(d.threshold)} either way: the larger of the ${size(ROUND_TRIP_COST, 2)} round-trip fees (${FEE_BPS} bps a side) and ${vol}.`,
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
