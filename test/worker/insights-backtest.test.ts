// The backtest route: the fixture models' signals replayed after their training window, checked
// against a long-or-flat simulation written here from the one-step model formulas.
import { beforeAll, describe, expect, it } from "vitest";
import { aggregate } from "../../core/candles/aggregate";
import { loadNet } from "../../core/models/artifact";
import { backtestNet } from "../../core/models/nets";
import { call } from "./helpers";
import { ARIMA, arrangeInstrument, FITTED_TO, GARCH, HOURS, series } from "./insights-fixtures";

const { all, NOW } = series();
let token: string;
let net: Uint8Array;
const get = (path: string) => call("GET", `/api/instruments/${path}`, { token });
const hourly = aggregate(all, "1h").slice(-HOURS);
const closes = hourly.map((c) => c.close);
const start = hourly.findIndex((c) => c.time > FITTED_TO);
const KEEP = 1 - 10 / 10_000;

beforeAll(async () => {
  ({ token, net } = await arrangeInstrument(all, NOW));
});

/** GARCH's one-step sd of the return from close i to close i + 1, as a log return. */
function garchSigma(): number[] {
  const { mu, omega, alpha, beta, backcast } = GARCH;
  const out: number[] = [];
  let s2 = omega + (alpha + beta) * backcast;
  for (let i = 0; i + 1 < closes.length; i++) {
    out.push(Math.sqrt(s2) / 100);
    const e = 100 * Math.log(closes[i + 1] / closes[i]) - mu;
    s2 = omega + alpha * e * e + beta * s2;
  }
  return out;
}

/** Long-or-flat: buy above the band when flat, sell below it when long, 10 bps a side. */
function simulate(expected: (i: number) => number, sigma: number[]) {
  let value = 1;
  let entry: number | null = null;
  let trades = 0;
  let wins = 0;
  const equity = [1];
  const close = (price: number) => {
    value *= KEEP;
    trades += 1;
    if ((price / (entry as number)) * KEEP * KEEP > 1) wins += 1;
    entry = null;
  };
  for (let i = start; i + 1 < closes.length; i++) {
    const band = Math.max(0.002, 0.1 * sigma[i]);
    if (expected(i) > band && entry === null) {
      value *= KEEP;
      entry = closes[i];
    } else if (expected(i) < -band && entry !== null) close(closes[i]);
    if (entry !== null) value *= closes[i + 1] / closes[i];
    equity.push(value);
  }
  if (entry !== null) close(closes[closes.length - 1]);
  equity[equity.length - 1] = value;
  return { value, trades, wins, equity };
}

function expectReplay(res: any, sim: ReturnType<typeof simulate>) {
  expect(res.status).toBe(200);
  const b = res.json;
  expect(b).toMatchObject({
    symbol: "INSUSDT",
    from: hourly[start].time,
    to: hourly.at(-1)!.time,
    fees_bps: 10,
  });
  expect(b.equity.map((e: any) => e.time)).toEqual(hourly.slice(start).map((c) => c.time));
  b.equity.forEach((e: any, k: number) => {
    expect(e.value).toBeCloseTo(sim.equity[k], 12);
  });
  expect(b.trades).toBe(sim.trades);
  expect(b.win_rate).toBe(sim.trades ? sim.wins / sim.trades : null);
  expect(b.total_return).toBeCloseTo(sim.value - 1, 12);
  expect(b.buy_and_hold_return).toBeCloseTo((closes.at(-1)! / closes[start]) * KEEP * KEEP - 1, 12);
  const r = sim.equity.slice(1).map((v, k) => Math.log(v / sim.equity[k]));
  const mean = r.reduce((a, v) => a + v, 0) / r.length;
  const sd = Math.sqrt(r.reduce((a, v) => a + (v - mean) ** 2, 0) / (r.length - 1));
  if (sd > 0) expect(b.sharpe_annualized).toBeCloseTo((mean / sd) * Math.sqrt(8760), 9);
  else expect(b.sharpe_annualized).toBeNull();
  const dd = Math.min(...sim.equity.map((v, k) => v / Math.max(1, ...sim.equity.slice(0, k + 1)) - 1));
  expect(b.max_drawdown).toBeCloseTo(dd, 12);
}

describe("backtest", () => {
  it("replays the ensemble (ARIMA votes, the negative-skill CNN does not) after the training window", async () => {
    expect(start).toBeGreaterThan(0);
    // ARIMA(1,1,0) one step ahead: the drift plus phi times the last differenced value net of drift.
    const arima = (i: number) =>
      ARIMA.const + ARIMA.ar[0] * (Math.log(closes[i] / closes[i - 1]) - ARIMA.const);
    const sim = simulate(arima, garchSigma());
    expect(sim.trades).toBeGreaterThan(0);
    expectReplay(await get("INSUSDT/backtest"), sim);
  });

  it("replays one model on its own forecasts with ?model=, and refuses GARCH or an inactive model", async () => {
    const bt = backtestNet(await loadNet(net), hourly);
    const predicted = new Map(bt.times.map((t, k) => [t, bt.predicted[k]]));
    const sim = simulate((i) => predicted.get(hourly[i].time) as number, garchSigma());
    expectReplay(await get("INSUSDT/backtest?model=cnn_pattern"), sim);
    expect((await get("INSUSDT/backtest?model=garch")).status).toBe(400);
    const missing = await get("INSUSDT/backtest?model=gru_attention");
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe("model_not_found");
  });
});
