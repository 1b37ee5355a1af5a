// Test-only: the dashboard's API for the browser tests, built from the committed real candles with the
// Worker's own statistics; the mock (mock-api.ts) parses every answer with the contract's schema.
// `down` on the mock makes every request fail as a lost connection would.
import type { Page } from "playwright-core";
import { aggregate } from "../../core/candles/aggregate";
import type { Timeframe } from "../../core/candles/timeframes";
import type { Candle } from "../../core/candles/types";
import { confidencePercent } from "../../core/models/confidence";
import { computeStats } from "../../worker/models/stats-compute";
import { realCandles } from "../helpers/real-data";
import { predictions as fixturePredictions } from "./market-fixture";
import { type ApiData, type MockApi, mockApi, USER } from "./mock-api";

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
    price: last.close,
    change_percent: (last.close / dayAgo.close - 1) * 100,
    last_updated: iso(last.time + 60),
    simulated: false,
  };
}

function dashboardData(): { data: ApiData; lastClose: number } {
  const btc = realCandles("BTCUSDT");
  const last = btc.at(-1)!;
  const hourly = aggregate(btc, "1h");
  // What the Worker's replay gives when no model may vote: the signal holds every hour, no trade, the
  // equity stays at 1, and buy and hold pays its two fees (worker/models/backtest-replay.ts).
  const start = hourly.length - 24 * 14;
  const window = hourly.slice(start);
  const keep = 1 - 10 / 10_000;
  const run = {
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
    equity: window.map((c) => ({ time: c.time, value: 1 })),
    fills: [],
  };
  const predictions = fixturePredictions({
    symbol: SYMBOL,
    name: "",
    exchange: "binance",
    m1: btc,
    cache: new Map(),
  });
  const byTf = new Map<Timeframe, Candle[]>();
  const candles = (tf: Timeframe, limit: number, end?: number) => {
    const all = byTf.get(tf) ?? aggregate(btc, tf);
    byTf.set(tf, all);
    return (end === undefined ? all : all.filter((c) => c.time <= end)).slice(-limit);
  };
  const signal = {
    symbol: SYMBOL,
    signal: "buy",
    confidence: CONFIDENCE,
    reasons: [
      `Confidence ${confidencePercent(CONFIDENCE)}%: 69% of the voting weight points up, each voter counted by 1 - its p-value.`,
    ],
    generated_at: iso(last.time + 60),
  };
  const stats = {
    symbol: SYMBOL,
    ...computeStats({
      last,
      dayAgo: btc[btc.length - 1 - 1440],
      daily: aggregate(btc, "1D"),
      periodsPerYear: 365,
    }),
  };
  const backtest = { symbol: SYMBOL, ...run, computed_at: iso(last.time) };
  // The same story hour by hour: the signal held every hour of the replay, so no marker.
  const history = {
    symbol: SYMBOL,
    from: window[0].time,
    to: window.at(-1)!.time,
    live_from: window.at(-1)!.time + 3600,
    signals: window.map((c) => ({ time: c.time, signal: "hold", confidence: 0, source: "backtest" })),
  };
  const market = {
    candles,
    predictions: () => predictions,
    signal: () => signal,
    stats: () => stats,
    backtest: () => backtest,
    history: () => history,
  };
  const data: ApiData = {
    instruments: [
      // A long name must not push the five-digit price out of its row.
      instrumentOf(SYMBOL, "Bitcoin / Tether US (spot, Binance)", "crypto", btc),
      instrumentOf("ETHUSDT", "Ether / Tether (perp)", "crypto", realCandles("ETHUSDT-PERP")),
      instrumentOf("EURUSD", "Euro / US Dollar", "forex", forexCandles()),
    ],
    markets: new Map([[SYMBOL, market]]),
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
  return Object.assign(await mockApi(page, cached.data), { lastClose: cached.lastClose });
}

/** Signs the test user in before any page script runs. */
export async function signIn(page: Page): Promise<void> {
  await page.addInitScript((user) => {
    localStorage.setItem("mm.user.token", "user-token");
    localStorage.setItem("mm.user", JSON.stringify(user));
  }, USER);
}
