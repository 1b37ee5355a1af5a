// Test-only: contract-shaped market answers built from real Binance 1m candles, for the screenshots and
// the markers test (the mock parses each with the contract's schema); forecasts and the signal from
// forecast-fixture.ts, the track record and the ledger's CSV from ledger-fixture.ts.
import { aggregate } from "../../core/candles/aggregate";
import type { Candle } from "../../core/candles/types";
import { loadCandles } from "../../scripts/lib/binance-files";
import type { Timeframe } from "../../web/src/api-types";
import { calibratedBasis, calibratedSignal, originOf, predictions } from "./forecast-fixture";
import { type LedgerFixture, ledgerFixture } from "./ledger-fixture";
import type { ApiData, MarketAnswers } from "./mock-api";

export interface Market {
  symbol: string;
  name: string;
  exchange: string;
  m1: Candle[];
  cache: Map<Timeframe, Candle[]>;
}

export function loadMarket(
  dir: string,
  symbol: string,
  name: string,
  pattern: RegExp,
  exchange: string,
): Market {
  return { symbol, name, exchange, m1: loadCandles(dir, pattern), cache: new Map() };
}

export function candles(m: Market, tf: Timeframe, limit: number, end?: number): Candle[] {
  let all = m.cache.get(tf);
  if (!all) {
    all = aggregate(m.m1, tf);
    m.cache.set(tf, all);
  }
  const upto = end === undefined ? all : all.filter((c) => c.time <= end);
  return upto.slice(Math.max(0, upto.length - limit));
}

const last = (m: Market) => m.m1.at(-1)!;
const iso = (sec: number) => new Date(sec * 1000).toISOString();
const closeAgo = (m: Market, minutes: number) => m.m1[Math.max(0, m.m1.length - 1 - minutes)].close;

export function instrument(m: Market) {
  const price = last(m).close;
  return {
    symbol: m.symbol,
    name: m.name,
    category: "crypto",
    exchange: m.exchange,
    tick_size: 0.01,
    price,
    change_percent: (price / closeAgo(m, 1440) - 1) * 100,
    last_updated: iso(last(m).time + 60),
    simulated: false,
  };
}

function std(xs: number[]): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
}

export function stats(m: Market) {
  const price = last(m).close;
  const daily1D = candles(m, "1D", 365);
  const daily = daily1D.map((c) => c.close);
  const rets = daily.slice(1).map((c, i) => c / daily[i] - 1);
  const mean = rets.reduce((a, b) => a + b, 0) / rets.length;
  const vol = std(rets) * Math.sqrt(365);
  let peak = daily[0];
  let maxDd = 0;
  for (const c of daily) {
    peak = Math.max(peak, c);
    maxDd = Math.max(maxDd, 1 - c / peak);
  }
  return {
    symbol: m.symbol,
    as_of: iso(last(m).time + 60),
    price,
    change_24h: price / closeAgo(m, 1440) - 1,
    returns: {
      "1d": price / closeAgo(m, 1440) - 1,
      "7d": price / closeAgo(m, 7 * 1440) - 1,
      "30d": price / closeAgo(m, 30 * 1440) - 1,
    },
    volatility_annualized: vol,
    sharpe_annualized: (mean * 365) / vol,
    max_drawdown: -maxDd,
    window: { from: daily1D[0].time, to: daily1D.at(-1)!.time, daily_returns: rets.length },
  };
}

/** A fee-aware 4h moving-average crossover replay: enough to give the card a real-looking curve. */
export function backtest(m: Market) {
  const bars = candles(m, "4h", 540);
  const fee = 0.001;
  let equity = 1;
  let inPos = false;
  let entry = 0;
  let wins = 0;
  let trades = 0;
  const curve: { time: number; value: number }[] = [];
  // Each fill at the close of the 4h bar's last hour (fills name the hour they filled at).
  const fills: { time: number; side: "buy" | "sell"; price: number }[] = [];
  const fill = (i: number, side: "buy" | "sell") =>
    fills.push({ time: bars[i].time + 3 * 3600, side, price: bars[i].close });
  for (let i = 20; i < bars.length; i++) {
    const ma = bars.slice(i - 20, i).reduce((a, c) => a + c.close, 0) / 20;
    const px = bars[i].close;
    if (inPos) equity *= px / bars[i - 1].close;
    if (!inPos && px > ma) {
      inPos = true;
      entry = px;
      fill(i, "buy");
      equity *= 1 - fee;
    } else if (inPos && px < ma) {
      inPos = false;
      fill(i, "sell");
      equity *= 1 - fee;
      trades += 1;
      if (px > entry) wins += 1;
    }
    curve.push({ time: bars[i].time, value: equity });
  }
  const first = bars[20].close;
  return {
    symbol: m.symbol,
    from: bars[20].time,
    to: bars.at(-1)!.time,
    trades,
    win_rate: trades ? wins / trades : null,
    total_return: equity - 1,
    buy_and_hold_return: bars.at(-1)!.close / first - 1,
    sharpe_annualized: 1.12,
    max_drawdown: -0.143,
    fees_bps: fee * 1e4,
    mode: "long_flat" as const,
    sharpe_basis: "mean / sample sd of the 4h log returns of the equity, x sqrt(2190) periods a year",
    computed_at: iso(bars.at(-1)!.time),
    equity: curve,
    fills,
  };
}

/**
 * Hourly signals of the last 20 days in [from, to] (a close 0.4% above or below its 24-hour mean is a
 * buy or a sell); the last two days are "live", earlier hours "backtest".
 */
export function signalHistory(m: Market, from: number, to: number) {
  const hours = candles(m, "1h", 24 * 21);
  const liveFrom = hours[hours.length - 48].time;
  const signals = hours.flatMap((c, i) => {
    if (i < 24 || c.time < from || c.time > to) return [];
    const mean = hours.slice(i - 24, i).reduce((a, h) => a + h.close, 0) / 24;
    const r = c.close / mean - 1;
    const signal = r > 0.004 ? "buy" : r < -0.004 ? "sell" : "hold";
    const confidence = Math.min(1, Math.abs(r) * 50);
    return [{ time: c.time, signal, confidence, source: c.time < liveFrom ? "backtest" : "live" }];
  });
  return { symbol: m.symbol, from, to, live_from: liveFrom, signals };
}

/** The market's ledger over its last five days, made once per market. */
const ledgers = new WeakMap<Market, Promise<LedgerFixture>>();
function ledgerOf(m: Market): Promise<LedgerFixture> {
  let made = ledgers.get(m);
  if (!made) {
    const closed = aggregate(m.m1, "1h").filter((c) => c.time <= originOf(m.m1));
    made = ledgerFixture(m.symbol, closed, 5 * 24);
    ledgers.set(m, made);
  }
  return made;
}

/** What GET /api/admin/profiles/:id/track-record answers for `m`: its record and its calibration. */
export async function adminTrackRecord(m: Market) {
  return { ...(await ledgerOf(m)).record, calibration: calibratedBasis().basis };
}

export function answers(m: Market): MarketAnswers {
  return {
    candles: (tf, limit, end) => candles(m, tf, limit, end),
    predictions: () => predictions(m),
    signal: () => calibratedSignal(m.symbol, originOf(m.m1) + 3600 + 20, 0.68),
    trackRecord: async () => (await ledgerOf(m)).record,
    ledgerCsv: async (from, to) => (await ledgerOf(m)).csv(from, to),
    stats: () => stats(m),
    backtest: () => backtest(m),
    history: (from, to) => signalHistory(m, from, to),
  };
}

/** The user's side of the API over `markets`; no admin rows. */
export function marketData(markets: Market[]): ApiData {
  return {
    instruments: markets.map(instrument),
    markets: new Map(markets.map((m) => [m.symbol, answers(m)])),
    profiles: [],
    jobs: [],
    models: [],
    trainers: [],
  };
}
