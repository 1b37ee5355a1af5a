// Test-only: the dashboard's API for the browser tests, built from the committed real candles with the
// Worker's own statistics; the mock (mock-api.ts) parses every answer with the contract's schema.
// `down` on the mock makes every request fail as a lost connection would.
import type { Page } from "playwright-core";
import { aggregate } from "../../core/candles/aggregate";
import type { Timeframe } from "../../core/candles/timeframes";
import type { Candle } from "../../core/candles/types";
import { computeStats } from "../../worker/models/stats-compute";
import { realCandles } from "../helpers/real-data";
import {
  calibratedSignal,
  predictions as fixturePredictions,
  noEdgeSignal,
  originOf,
  uncalibratedSignal,
} from "./forecast-fixture";
import { ledgerFixture } from "./ledger-fixture";
import { type ApiData, type MarketAnswers, type MockApi, mockApi, USER } from "./mock-api";

const iso = (sec: number) => new Date(sec * 1000).toISOString();
export const SYMBOL = "BTCUSDT";
export const CONFIDENCE = 0.685; // shown as 69%: the ring's arc, its text and the reason must agree

export interface DashboardMock extends MockApi {
  /** Close (Unix seconds) of the last stored 1m candle. */
  lastClose: number;
}

/** A forex instrument for the category filter: ETHUSDT-PERP's candles scaled to EURUSD's level. */
function forexCandles(): Candle[] {
  const eth = realCandles("ETHUSDT-PERP");
  const k = 1.08345 / eth.at(-1)!.close;
  return eth.map((c) => ({ ...c, open: c.open * k, high: c.high * k, low: c.low * k, close: c.close * k }));
}

function instrumentOf(symbol: string, name: string, category: "crypto" | "forex", m1: Candle[]) {
  const last = m1.at(-1)!;
  const dayAgo = m1[m1.length - 1 - 1440];
  return {
    symbol,
    name,
    category,
    exchange: category === "crypto" ? "binance" : "oanda",
    // The markets' ticks: Binance's BTC and ETH quote in cents, EURUSD in tenths of a pip.
    tick_size: category === "crypto" ? 0.01 : 0.00001,
    price: last.close,
    change_percent: (last.close / dayAgo.close - 1) * 100,
    last_updated: iso(last.time + 60),
    simulated: false,
  };
}

/**
 * What the Worker's replay gives when no model may vote: the signal holds every hour of the last two
 * weeks, no trade, the equity stays at 1, and buy and hold pays its two fees
 * (worker/models/backtest-replay.ts).
 */
function heldBacktest(symbol: string, hourly: Candle[], computedAt: number) {
  const window = hourly.slice(hourly.length - 24 * 14);
  const keep = 1 - 10 / 10_000;
  return {
    symbol,
    from: window[0].time,
    to: window.at(-1)!.time,
    trades: 0,
    win_rate: null,
    total_return: 0,
    buy_and_hold_return: (window.at(-1)!.close / window[0].close) * keep * keep - 1,
    sharpe_annualized: null,
    max_drawdown: 0,
    fees_bps: 10,
    mode: "long_flat",
    sharpe_basis: `mean / sample sd of the ${window.length - 1} hourly log returns of the equity, x sqrt(8760) periods a year, no risk-free rate`,
    computed_at: iso(computedAt),
    equity: window.map((c) => ({ time: c.time, value: 1 })),
    fills: [],
  };
}

/**
 * A market whose signal has no confidence: ETHUSDT holds with no voter and went live at the last
 * hour's close (its entries made, nothing scored yet); EURUSD has a voter but too few hours to
 * calibrate, and no ledger yet (its track record answers 404).
 */
async function uncertainMarket(symbol: string, m1: Candle[], voter: boolean): Promise<MarketAnswers> {
  const origin = originOf(m1);
  const at = origin + 3600 + 20;
  const ledger = voter
    ? null
    : await ledgerFixture(
        symbol,
        aggregate(m1, "1h").filter((c) => c.time <= origin),
        1,
      );
  return {
    candles: (tf, limit, end) =>
      aggregate(m1, tf)
        .filter((c) => end === undefined || c.time <= end)
        .slice(-limit),
    predictions: () => fixturePredictions({ symbol, m1 }, { voter }),
    signal: () => (voter ? uncalibratedSignal(symbol, at) : noEdgeSignal(symbol, at)),
    stats: () => ({
      symbol,
      ...computeStats({
        last: m1.at(-1)!,
        dayAgo: m1[m1.length - 1441],
        daily: aggregate(m1, "1D"),
        periodsPerYear: 365,
      }),
    }),
    backtest: () => heldBacktest(symbol, aggregate(m1, "1h"), m1.at(-1)!.time),
    history: (from, to) => ({ symbol, from, to, live_from: to, signals: [] }),
    ...(ledger && {
      // Entries made, none of their hours closed yet.
      trackRecord: () => ({
        ...ledger.record,
        scored_through: null,
        models: ledger.record.models.map((m) => ({ ...m, next_hour: null, horizons: [] })),
      }),
    }),
  };
}

async function dashboardData(): Promise<{ data: ApiData; lastClose: number }> {
  const btc = realCandles("BTCUSDT");
  const last = btc.at(-1)!;
  const hourly = aggregate(btc, "1h");
  const predictions = fixturePredictions({ symbol: SYMBOL, m1: btc });
  const byTf = new Map<Timeframe, Candle[]>();
  const candles = (tf: Timeframe, limit: number, end?: number) => {
    const all = byTf.get(tf) ?? aggregate(btc, tf);
    byTf.set(tf, all);
    return (end === undefined ? all : all.filter((c) => c.time <= end)).slice(-limit);
  };
  const signal = calibratedSignal(SYMBOL, last.time + 60, CONFIDENCE);
  const ledger = await ledgerFixture(SYMBOL, hourly, 5 * 24);
  const stats = {
    symbol: SYMBOL,
    ...computeStats({
      last,
      dayAgo: btc[btc.length - 1 - 1440],
      daily: aggregate(btc, "1D"),
      periodsPerYear: 365,
    }),
  };
  const backtest = heldBacktest(SYMBOL, hourly, last.time);
  const window = hourly.slice(hourly.length - 24 * 14);
  // The same story hour by hour: the signal held every hour of the replay, so no marker.
  const history = {
    symbol: SYMBOL,
    from: window[0].time,
    to: window.at(-1)!.time,
    live_from: window.at(-1)!.time + 3600,
    signals: window.map((c) => ({ time: c.time, signal: "hold", confidence: null, source: "backtest" })),
  };
  const market = {
    candles,
    predictions: () => predictions,
    signal: () => signal,
    stats: () => stats,
    backtest: () => backtest,
    history: () => history,
    trackRecord: () => ledger.record,
    ledgerCsv: ledger.csv,
  };
  const eth = realCandles("ETHUSDT-PERP");
  const data: ApiData = {
    instruments: [
      // A long name must not push the five-digit price out of its row.
      instrumentOf(SYMBOL, "Bitcoin / Tether US (spot, Binance)", "crypto", btc),
      instrumentOf("ETHUSDT", "Ether / Tether (perp)", "crypto", eth),
      instrumentOf("EURUSD", "Euro / US Dollar", "forex", forexCandles()),
    ],
    markets: new Map([
      [SYMBOL, market],
      ["ETHUSDT", await uncertainMarket("ETHUSDT", eth, false)],
      ["EURUSD", await uncertainMarket("EURUSD", forexCandles(), true)],
    ]),
    profiles: [],
    jobs: [],
    models: [],
    trainers: [],
  };
  return { data, lastClose: last.time + 60 };
}

let cached: ReturnType<typeof dashboardData> | null = null;

/** The dashboard's API mocked in `page`. */
export async function mockDashboard(page: Page): Promise<DashboardMock> {
  cached ??= dashboardData();
  const { data, lastClose } = await cached;
  data.stars = new Set(); // each page starts with no star
  return Object.assign(await mockApi(page, data), { lastClose });
}

/** Signs the test user in before any page script runs. */
export async function signIn(page: Page): Promise<void> {
  await page.addInitScript((user) => {
    localStorage.setItem("mm.user.token", "user-token");
    localStorage.setItem("mm.user", JSON.stringify(user));
  }, USER);
}
