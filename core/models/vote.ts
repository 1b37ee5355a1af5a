// The vote rule of the signal: which models may vote (Holm's step-down test of their one-sided
// Diebold-Mariano p-values at a family-wise error rate of VOTE_FAMILY_ALPHA, and skill > 0), what they
// expect together (skill-weighted), whether that clears the fee and volatility band, and the calibrated
// probability that the next close goes their way. Pure: the Worker's live signal, the backtest's replay
// and the controls' benchmark all decide with it.
import { type Calibration, probabilityOf } from "./calibration";

/** Exchange fee per side in basis points (Binance spot taker 0.1%): a buy then a sell pays it twice. */
export const FEE_BPS = 10;
export const ROUND_TRIP_COST = (2 * FEE_BPS) / 10_000;
/** A trade also needs an edge of this many next-period standard deviations (volatile markets ask more). */
export const SIGNAL_EDGE_SIGMAS = 0.1;
/** Family-wise error rate of the vote: Holm's test of the direction models' one-sided DM p-values. */
export const VOTE_FAMILY_ALPHA = 0.1;

export type SignalKind = "buy" | "sell" | "hold";

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
