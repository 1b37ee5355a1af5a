// Test-only: the dashboard's /api/* answers for the browser tests, built from the committed real candles
// with the Worker's own statistics and parsed by the contract's zod schemas,
// so they cannot drift from the API. `down` makes every request fail as a lost connection would.
import type { Page, WebSocketRoute } from "playwright-core";
import { aggregate } from "../../core/candles/aggregate";
import { TIMEFRAMES, type Timeframe } from "../../core/candles/timeframes";
import type { Candle } from "../../core/candles/types";
import { confidencePercent } from "../../core/models/confidence";
import { CandlesAnswer } from "../../worker/contract/candles";
import { Backtest, Predictions, Signal, SignalHistory, Stats } from "../../worker/contract/insights";
import { Instrument } from "../../worker/contract/instruments";
import { LiveEvent } from "../../worker/contract/live";
import { computeStats } from "../../worker/models/stats-compute";
import { realCandles } from "../helpers/real-data";
import { predictions as fixturePredictions } from "./market-fixture";

const iso = (sec: number) => new Date(sec * 1000).toISOString();
export const SYMBOL = "BTCUSDT";
export const CONFIDENCE = 0.685; // shown as 69%: the ring's arc, its text and the reason must agree

export interface DashboardMock {
  /** Close (Unix seconds) of the last stored 1m candle. */
  lastClose: number;
  /** Every request reaching the mock fails (net::ERR_INTERNET_DISCONNECTED) while true. */
  down: boolean;
  log: string[];
  /** The open live socket of the page, if any. */
  socket: WebSocketRoute | null;
  /** Pushes a closed 1m candle over the live socket (contract-checked). */
  pushCandle(candle: Candle): void;
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
  return Instrument.parse({
    symbol,
    name,
    category,
    exchange: category === "crypto" ? "binance" : "oanda",
    price: last.close,
    change_percent: (last.close / dayAgo.close - 1) * 100,
    last_updated: iso(last.time + 60),
    simulated: false,
  });
}

function answers() {
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
  const fixture = fixturePredictions({
    symbol: SYMBOL,
    name: "",
    exchange: "binance",
    m1: btc,
    cache: new Map(),
  });
  return {
    btc,
    lastClose: last.time + 60,
    instruments: [
      // A long name must not push the five-digit price out of its row.
      instrumentOf(SYMBOL, "Bitcoin / Tether US (spot, Binance)", "crypto", btc),
      instrumentOf("ETHUSDT", "Ether / Tether (perp)", "crypto", realCandles("ETHUSDT-PERP")),
      instrumentOf("EURUSD", "Euro / US Dollar", "forex", forexCandles()),
    ],
    predictions: Predictions.parse({
      ...fixture,
      generated_at: iso(fixture.generated_at),
      models: fixture.models.map((m) => ({ ...m, trained_at: iso(m.trained_at) })),
    }),
    signal: Signal.parse({
      symbol: SYMBOL,
      signal: "buy",
      confidence: CONFIDENCE,
      reasons: [
        `Confidence ${confidencePercent(CONFIDENCE)}%: 69% of the voting weight points up, each voter counted by 1 - its p-value.`,
      ],
      generated_at: iso(last.time + 60),
    }),
    stats: Stats.parse({
      symbol: SYMBOL,
      ...computeStats({
        last,
        dayAgo: btc[btc.length - 1 - 1440],
        daily: aggregate(btc, "1D"),
        periodsPerYear: 365,
      }),
    }),
    backtest: Backtest.parse({ symbol: SYMBOL, ...run, computed_at: iso(last.time) }),
    // The same story hour by hour: the signal held every hour of the replay, so no marker.
    history: SignalHistory.parse({
      symbol: SYMBOL,
      from: window[0].time,
      to: window.at(-1)!.time,
      live_from: window.at(-1)!.time + 3600,
      signals: window.map((c) => ({ time: c.time, signal: "hold", confidence: 0, source: "backtest" })),
    }),
  };
}

let cached: ReturnType<typeof answers> | null = null;

export async function mockDashboard(page: Page): Promise<DashboardMock> {
  cached ??= answers();
  const a = cached;
  const byTf = new Map<Timeframe, Candle[]>();
  const mock: DashboardMock = {
    lastClose: a.lastClose,
    down: false,
    log: [],
    socket: null,
    pushCandle(candle) {
      const event = LiveEvent.parse({ type: "candle", symbol: SYMBOL, candle });
      mock.socket?.send(JSON.stringify(event));
    },
  };
  await page.route("**/api/**", async (route) => {
    const url = new URL(route.request().url());
    mock.log.push(`${route.request().method()} ${url.pathname}${url.search}`);
    if (mock.down) return route.abort("internetdisconnected");
    const json = (body: unknown) =>
      route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify(body) });
    const path = url.pathname;
    if (path === "/api/auth/me") return json({ user: { id: 7, email: "ada@desk.example" } });
    if (path === "/api/instruments") return json(a.instruments);
    if (path === "/api/instruments/ws/ticket") return json({ ticket: "live-ticket" });
    if (path === `/api/instruments/${SYMBOL}/signals/history`) return json(a.history);
    const m = path.match(/^\/api\/instruments\/BTCUSDT\/(data\/(\w+)|predictions|signals|stats|backtest)$/);
    if (!m)
      return route.fulfill({
        status: 404,
        contentType: "application/json",
        body: '{"error":{"code":"not_found","message":"not mocked"}}',
      });
    if (m[2]) {
      const tf = m[2] as Timeframe;
      if (!TIMEFRAMES.includes(tf)) throw new Error(`bad timeframe ${tf}`);
      const all = byTf.get(tf) ?? aggregate(a.btc, tf);
      byTf.set(tf, all);
      const end = url.searchParams.get("end");
      const upto = end === null ? all : all.filter((c) => c.time <= Number(end));
      const limit = Number(url.searchParams.get("limit") ?? 100);
      return json(CandlesAnswer.parse({ symbol: SYMBOL, timeframe: tf, candles: upto.slice(-limit) }));
    }
    const kind = m[1] as "predictions" | "signals" | "stats" | "backtest";
    return json(kind === "signals" ? a.signal : a[kind]);
  });
  await page.routeWebSocket("**/api/instruments/*/ws**", (ws) => {
    mock.log.push(`WS ${ws.url()}`);
    if (mock.down) return ws.close({ code: 4000, reason: "offline" });
    mock.socket = ws;
    ws.onClose(() => {
      if (mock.socket === ws) mock.socket = null;
    });
    ws.send(JSON.stringify(LiveEvent.parse({ type: "connected", symbol: SYMBOL })));
  });
  return mock;
}

/** Signs the test user in before any page script runs. */
export async function signIn(page: Page): Promise<void> {
  await page.addInitScript(() => {
    localStorage.setItem("mm.user.token", "user-token");
    localStorage.setItem("mm.user", JSON.stringify({ id: 7, email: "ada@desk.example" }));
  });
}
