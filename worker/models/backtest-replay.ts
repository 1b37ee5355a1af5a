// Replays hourly signals as a long-or-flat spot strategy with fees: the arithmetic of the backtest.
import type { Candle } from "../../core/candles/types";
import { decide, type Vote } from "../../core/models/vote";

export interface ReplayInput {
  /** Hourly candles, oldest first. */
  candles: readonly Candle[];
  /** First origin index: decisions are made at the close of candles[start..n-2]. */
  start: number;
  /**
   * Per model, at each origin index: its predicted next log return, and the skill and DM p-value known
   * at that origin (NaN where it has none: no forecast, or no evidence yet).
   */
  models: {
    model: string;
    predicted: ArrayLike<number>;
    skill: ArrayLike<number>;
    pValue: ArrayLike<number>;
  }[];
  /** Next-period standard deviation of the log return at each origin index (NaN when unknown). */
  sigma: ArrayLike<number>;
  feeBps: number;
  periodsPerYear: number;
  /** Long/short: a sell signal also opens a short (default: long or flat). */
  allowShort?: boolean;
}

export interface ReplayResult {
  from: number;
  to: number;
  trades: number;
  win_rate: number | null;
  total_return: number;
  buy_and_hold_return: number;
  sharpe_annualized: number | null;
  max_drawdown: number;
  fees_bps: number;
  mode: "long_flat" | "long_short";
  sharpe_basis: string;
  equity: { time: number; value: number }[];
  /** Every order at the close it was filled at: entries and exits (a reversal is two fills). */
  fills: { time: number; side: "buy" | "sell"; price: number }[];
}

/** The signal at origin i from the models' forecasts and the evidence known there (the live rule). */
export function decisionAt(models: ReplayInput["models"], sigma: ArrayLike<number>, i: number) {
  const votes: Vote[] = [];
  for (const m of models) {
    const p = m.predicted[i];
    if (!Number.isFinite(p)) continue;
    const skill = Number.isFinite(m.skill[i]) ? m.skill[i] : null;
    const pValue = Number.isFinite(m.pValue[i]) ? m.pValue[i] : null;
    votes.push({ model: m.model, expectedReturn: p, skill, pValue });
  }
  const s = sigma[i];
  return decide(votes, Number.isFinite(s) ? s : null);
}

/** One hour's signal: decided at the close of the hourly candle that opens at `time`. */
export interface HourSignal {
  time: number;
  signal: "buy" | "sell" | "hold";
  /** Calibrated on earlier hours only (signal-calibration.ts); null with no voter or too few earlier hours. */
  confidence: number | null;
}

/** An hour's decision before calibration: the signal and how far the voters leaned (null: no voter). */
export interface DecidedHour {
  time: number;
  signal: HourSignal["signal"];
  expected: number | null;
  score: number | null;
}

/** The decisions at origins from..to-1 (every hour of a replay whose next close is known). */
export function decisionsOf(
  input: Pick<ReplayInput, "candles" | "models" | "sigma">,
  from: number,
  to: number,
): DecidedHour[] {
  const out: DecidedHour[] = [];
  for (let i = from; i < to; i++) {
    const d = decisionAt(input.models, input.sigma, i);
    out.push({ time: input.candles[i].time, signal: d.signal, expected: d.expected, score: d.score });
  }
  return out;
}

/**
 * At each origin close: buy (when flat) on a buy signal, sell (when long) on a sell signal, keep the
 * position on a hold; each side pays `feeBps`. With `allowShort` a buy also covers a short and a sell
 * also opens one. The position then earns the next candle's close-to-close return r (a short earns
 * -r on the equity, re-sized hourly). An open position is closed at the last close, so every trade is
 * complete and paid for. Buy and hold pays the same two fees. Sharpe: per-period equity log returns,
 * sample sd, annualised.
 */
export function replay(input: ReplayInput): ReplayResult {
  const { candles, start, models, sigma, feeBps, periodsPerYear } = input;
  const last = candles.length - 1;
  if (start < 0 || start >= last) throw new Error("no origin with a known next close");
  const keep = 1 - feeBps / 10_000;
  let value = 1;
  let position = 0 as number; // 1 long, -1 short, 0 flat
  let trade = 1; // growth of the equity over the open trade, before fees
  let trades = 0;
  let wins = 0;
  const fills: ReplayResult["fills"] = [];
  const fill = (i: number, side: "buy" | "sell") =>
    fills.push({ time: candles[i].time, side, price: candles[i].close });
  const close = (i: number) => {
    fill(i, position === 1 ? "sell" : "buy");
    value *= keep;
    trades++;
    if (trade * keep * keep > 1) wins++;
    position = 0;
  };
  const open = (i: number, side: number) => {
    fill(i, side === 1 ? "buy" : "sell");
    value *= keep;
    position = side;
    trade = 1;
  };
  const equity = [{ time: candles[start].time, value }];
  for (let i = start; i < last; i++) {
    const { signal } = decisionAt(models, sigma, i);
    if (signal === "buy" && position !== 1) {
      if (position === -1) close(i);
      open(i, 1);
    } else if (signal === "sell" && position !== -1) {
      if (position === 1) close(i);
      if (input.allowShort) open(i, -1);
    }
    const r = candles[i + 1].close / candles[i].close - 1;
    const growth = position === 1 ? 1 + r : position === -1 ? 1 - r : 1;
    value *= growth;
    trade *= growth;
    equity.push({ time: candles[i + 1].time, value });
  }
  if (position !== 0) {
    close(last);
    equity[equity.length - 1].value = value;
  }

  const r = equity.slice(1).map((e, k) => Math.log(e.value / equity[k].value));
  const mean = r.reduce((a, b) => a + b, 0) / r.length;
  const sd = r.length > 1 ? Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1)) : 0;
  let peak = 1;
  let drawdown = 0;
  for (const e of equity) {
    peak = Math.max(peak, e.value);
    drawdown = Math.min(drawdown, e.value / peak - 1);
  }
  return {
    from: candles[start].time,
    to: candles[last].time,
    trades,
    win_rate: trades ? wins / trades : null,
    total_return: value - 1,
    buy_and_hold_return: (candles[last].close / candles[start].close) * keep * keep - 1,
    sharpe_annualized: sd > 0 ? (mean / sd) * Math.sqrt(periodsPerYear) : null,
    max_drawdown: drawdown,
    fees_bps: feeBps,
    mode: input.allowShort ? "long_short" : "long_flat",
    sharpe_basis: `mean / sample sd of the ${r.length} hourly log returns of the equity from ${new Date(candles[start].time * 1000).toISOString().slice(0, 13)}h to ${new Date(candles[last].time * 1000).toISOString().slice(0, 13)}h UTC (flat hours count as 0), x sqrt(${Math.round(periodsPerYear)}) periods a year, no risk-free rate`,
    equity,
    fills,
  };
}
