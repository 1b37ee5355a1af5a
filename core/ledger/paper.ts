// The recorded signal traded on paper: each hourly signal acts at the open of the first hour that
// starts after it was made (the next hour's open when made in time), long or flat, FEE_BPS a side,
// against buying and holding from the same open with the same fees. A reducer over closed hourly
// candles, so the ledger keeps it up to date hour by hour and a verifier replays it from the export.
import type { LedgerEntry } from "./entry";
import { HOUR_SECONDS, type HourBar, LEDGER_GRACE_SECONDS } from "./score";

export const PAPER_FEE_BPS = 10;

export interface PaperState {
  /** Open of the last hour applied (null before the first signal's hour). */
  last: number | null;
  long: boolean;
  /** Equity of the account and of buy-and-hold, marked at the last close (fees paid so far). */
  value: number;
  buy_and_hold: number;
  /** The close the marks were taken at. */
  mark: number | null;
  trades: number;
  /** Open of the first hour traded. */
  from: number | null;
}

export const NEW_PAPER: PaperState = {
  last: null,
  long: false,
  value: 1,
  buy_and_hold: 1,
  mark: null,
  trades: 0,
  from: null,
};

/** The hour (open) a signal entry acts at: the first hour after its origin that opens after it was made. */
export function actsAt(entry: Pick<LedgerEntry, "origin" | "made_at">): number {
  const made = Date.parse(entry.made_at) / 1000 - LEDGER_GRACE_SECONDS;
  return Math.max(entry.origin + HOUR_SECONDS, Math.ceil(made / HOUR_SECONDS) * HOUR_SECONDS);
}

/**
 * Applies one closed hour: first its signal's order at the open (`signal`: the latest signal acting at
 * this hour, or null to keep the position), then the hour's move to its close. The move from the last
 * mark to this open (a gap between hours) counts for a position held over it.
 */
export function stepPaper(
  state: PaperState,
  bar: HourBar,
  signal: "buy" | "sell" | "hold" | null,
  feeBps = PAPER_FEE_BPS,
): PaperState {
  const keep = 1 - feeBps / 10_000;
  const s = { ...state };
  if (s.from === null) {
    if (signal === null) return state; // nothing is traded before the first signal
    s.from = bar.time;
    s.buy_and_hold = keep; // bought at this open
    s.mark = bar.open;
  }
  const gap = bar.open / (s.mark as number);
  if (s.long) s.value *= gap;
  s.buy_and_hold *= gap;
  if (signal === "buy" && !s.long) {
    s.long = true;
    s.value *= keep;
    s.trades++;
  } else if (signal === "sell" && s.long) {
    s.long = false;
    s.value *= keep;
  }
  const move = bar.close / bar.open;
  if (s.long) s.value *= move;
  s.buy_and_hold *= move;
  s.mark = bar.close;
  s.last = bar.time;
  return s;
}

/** Returns as if both positions were closed at the last mark (the exit fee paid). */
export function paperReturns(state: PaperState, feeBps = PAPER_FEE_BPS) {
  const keep = 1 - feeBps / 10_000;
  if (state.from === null) return { total_return: null, buy_and_hold_return: null };
  return {
    total_return: state.value * (state.long ? keep : 1) - 1,
    buy_and_hold_return: state.buy_and_hold * keep - 1,
  };
}

/** The signal acting at each hour (the latest recorded for it), from signal entries in seq order. */
export function signalsByHour(entries: readonly LedgerEntry[]): Map<number, "buy" | "sell" | "hold"> {
  const out = new Map<number, "buy" | "sell" | "hold">();
  for (const e of entries) if (e.kind === "signal" && e.signal) out.set(actsAt(e), e.signal.signal);
  return out;
}

/** The account replayed from scratch over `bars` (closed hourly candles, oldest first). */
export function replayPaper(entries: readonly LedgerEntry[], bars: readonly HourBar[]) {
  const acting = signalsByHour(entries);
  let state = NEW_PAPER;
  const equity: { time: number; value: number; buy_and_hold: number }[] = [];
  for (const bar of bars) {
    state = stepPaper(state, bar, acting.get(bar.time) ?? null);
    if (state.from !== null)
      equity.push({ time: bar.time, value: state.value, buy_and_hold: state.buy_and_hold });
  }
  return { state, equity };
}
