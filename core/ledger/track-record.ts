// The track record an instrument's ledger answers with: what its tallies add up to, per model and per
// horizon, the signal's calibration as it turned out and its paper account, and the chain head that
// commits to every entry behind it. Built the same way by the ledger and by a verifier.
import type { ReliabilityBin } from "../models/calibration";
import { PAPER_FEE_BPS, paperReturns } from "./paper";
import { CONFIDENCE_BIN, type LedgerTallies } from "./replay";
import { type HorizonSummary, summarise } from "./summary";

export const BACKTEST_DIFFERENCE =
  "The backtest replays the models' rolling evaluation, decided at each hour's close with fold models fitted before it; this record holds only the forecasts and signals the product actually served, written before their outcome, so it starts when the models went live and grows an hour at a time.";

export interface LedgerCounts {
  /** Entries per model type (the signal's under "signal"), versions seen per model type. */
  entries: Record<string, number>;
  versions: Record<string, number[]>;
  since: string | null;
  head: { seq: number; hash: string } | null;
}

export interface ModelRecord {
  model_type: string;
  versions: number[];
  entries: number;
  /** The next hour's scores (horizon 1), the headline. */
  next_hour: HorizonSummary | null;
  horizons: HorizonSummary[];
}

export function trackRecordOf(
  symbol: string,
  tallies: LedgerTallies,
  counts: LedgerCounts,
  equity: { time: number; value: number; buy_and_hold: number }[],
) {
  const types = new Set([...Object.keys(counts.entries), ...Object.keys(tallies.models)]);
  types.delete("signal");
  const models: ModelRecord[] = [...types].sort().map((model_type) => {
    const horizons = summarise(tallies.models[model_type] ?? {});
    return {
      model_type,
      versions: counts.versions[model_type] ?? [],
      entries: counts.entries[model_type] ?? 0,
      next_hour: horizons.find((h) => h.horizon === 1) ?? null,
      horizons,
    };
  });
  const c = tallies.confidence;
  const reliability: ReliabilityBin[] = Object.entries(c.bins)
    .map(([k, b]) => ({
      from: Number(k) * CONFIDENCE_BIN,
      to: (Number(k) + 1) * CONFIDENCE_BIN,
      n: b.n,
      predicted: b.p / b.n,
      observed: b.h / b.n,
    }))
    .sort((a, b) => a.from - b.from);
  const p = tallies.paper;
  return {
    symbol,
    since: counts.since,
    entries: Object.values(counts.entries).reduce((a, b) => a + b, 0),
    scored_through: tallies.scored_through,
    head: counts.head,
    models,
    signal: {
      entries: counts.entries.signal ?? 0,
      confidence:
        c.n > 0
          ? {
              n: c.n,
              hits: c.hits,
              brier: c.brier / c.n,
              brier_base_rate: c.brier_base_rate / c.n,
              reliability,
            }
          : null,
      paper: {
        from: p.from,
        to: p.last,
        positions_opened: p.trades,
        long: p.long,
        fees_bps: PAPER_FEE_BPS,
        ...paperReturns(p),
        equity,
      },
    },
    differs_from_backtest: BACKTEST_DIFFERENCE,
  };
}

export type TrackRecord = ReturnType<typeof trackRecordOf>;
