// The ledger's scoring walk, shared by the ledger itself (a window of target hours at a time, as they
// close) and a verifier (the whole export at once): the same pairs in the same order give the same sums.
import type { LedgerEntry } from "./entry";
import { NEW_PAPER, type PaperState, signalsByHour, stepPaper } from "./paper";
import { eligible, HOUR_SECONDS, type HorizonScore, type HourBar, scoreHorizon } from "./score";
import { addScore, type ModelTally } from "./summary";

/** Width of the reliability table's bins of predicted probability. */
export const CONFIDENCE_BIN = 0.05;

/** The recorded confidences against what happened next (each predicted by the base rate known before it). */
export interface ConfidenceTally {
  n: number;
  hits: number;
  brier: number;
  brier_base_rate: number;
  /** Per bin of CONFIDENCE_BIN (key: floor(p / CONFIDENCE_BIN)): count, summed probability, hits. */
  bins: Record<string, { n: number; p: number; h: number }>;
}

/** Everything the scores add up to: per model type its tallies, the signal's confidence and paper account. */
export interface LedgerTallies {
  models: Record<string, ModelTally>;
  confidence: ConfidenceTally;
  paper: PaperState;
  /** Open of the last target hour scored (every pair with a target up to it is in the tallies). */
  scored_through: number | null;
}

export const NEW_TALLIES = (): LedgerTallies => ({
  models: {},
  confidence: { n: 0, hits: 0, brier: 0, brier_base_rate: 0, bins: {} },
  paper: NEW_PAPER,
  scored_through: null,
});

/** A signal entry's outcome: whether the next hour's close moved the way its voters leaned. */
export function confidenceOutcome(entry: LedgerEntry, closeAt: (time: number) => number | undefined) {
  const s = entry.signal;
  const target = entry.origin + HOUR_SECONDS;
  if (!s || s.confidence === null || s.expected === null || !eligible(entry, target)) return null;
  const close = closeAt(target);
  if (close === undefined) return null;
  return { target, p: s.confidence, hit: Math.sign(close - entry.last_close) === Math.sign(s.expected) };
}

function addConfidence(c: ConfidenceTally, p: number, hit: boolean) {
  const base = (c.hits + 1) / (c.n + 2);
  const y = hit ? 1 : 0;
  c.brier += (p - y) ** 2;
  c.brier_base_rate += (base - y) ** 2;
  c.n++;
  if (hit) c.hits++;
  const key = String(Math.min(Math.round(1 / CONFIDENCE_BIN) - 1, Math.floor(p / CONFIDENCE_BIN)));
  c.bins[key] ??= { n: 0, p: 0, h: 0 };
  const bin = c.bins[key];
  bin.n++;
  bin.p += p;
  bin.h += y;
}

/** The (entry, horizon) pairs whose target hour lies in (after, through], by target hour then seq. */
export function pairsIn(entries: readonly LedgerEntry[], after: number | null, through: number) {
  const pairs: { entry: LedgerEntry; k: number; target: number }[] = [];
  for (const entry of entries) {
    if (entry.kind !== "forecast") continue;
    entry.forecast.forEach((p, k) => {
      if ((after === null || p.time > after) && p.time <= through) pairs.push({ entry, k, target: p.time });
    });
  }
  return pairs.sort((a, b) => a.target - b.target || a.entry.seq - b.entry.seq);
}

/**
 * Adds to `tallies` (in place) every pair whose target closed in (scored_through, last bar], and walks
 * the paper account over those hours. `entries` must hold every entry with a target in that window,
 * and `bars` the closed hourly candles from the window's first hour (and the one before it: a
 * volatility score needs the previous close). Returns the scores added, by entry seq, and the paper
 * account's equity at each new hour.
 */
export function scoreWindow(
  tallies: LedgerTallies,
  entries: readonly LedgerEntry[],
  bars: readonly HourBar[],
) {
  const scores = new Map<number, HorizonScore[]>();
  const equity: { time: number; value: number; buy_and_hold: number }[] = [];
  const last = bars.at(-1);
  if (!last || (tallies.scored_through !== null && last.time <= tallies.scored_through))
    return { scores, equity };
  const closes = new Map(bars.map((b) => [b.time, b.close]));
  for (const { entry, k } of pairsIn(entries, tallies.scored_through, last.time)) {
    const s = scoreHorizon(entry, k, (t) => closes.get(t));
    if (!s) continue;
    tallies.models[entry.model_type] ??= {};
    addScore(tallies.models[entry.model_type], s);
    scores.set(entry.seq, [...(scores.get(entry.seq) ?? []), s]);
  }
  const outcomes = entries
    .map((e) => (e.kind === "signal" ? confidenceOutcome(e, (t) => closes.get(t)) : null))
    .filter((o) => o !== null && (tallies.scored_through === null || o.target > tallies.scored_through))
    .sort((a, b) => (a?.target ?? 0) - (b?.target ?? 0));
  for (const o of outcomes) if (o && o.target <= last.time) addConfidence(tallies.confidence, o.p, o.hit);
  const acting = signalsByHour(entries);
  for (const bar of bars) {
    if (tallies.scored_through !== null && bar.time <= tallies.scored_through) continue;
    const p = stepPaper(tallies.paper, bar, acting.get(bar.time) ?? null);
    tallies.paper = p;
    if (p.from !== null) equity.push({ time: bar.time, value: p.value, buy_and_hold: p.buy_and_hold });
  }
  tallies.scored_through = last.time;
  return { scores, equity };
}
