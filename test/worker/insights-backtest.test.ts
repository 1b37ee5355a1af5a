// The stored backtest: the fixture models' evaluation forecasts (one-step model formulas over the hours
// after their "training") replayed when the set is refreshed, checked against a long-or-flat
// simulation written here; the ensemble's votes use only evidence from hours already closed.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { aggregate } from "../../core/candles/aggregate";
import type { Candle } from "../../core/candles/types";
import { loadNet } from "../../core/models/artifact";
import { backtestNet } from "../../core/models/nets";
import { saveEvaluation } from "../../worker/db/backtests";
import { getDb } from "../../worker/db/client";
import { activeModels } from "../../worker/db/models";
import { getProfile } from "../../worker/db/profiles";
import { refreshBacktest } from "../../worker/models/backtest";
import { buildBacktests, type EvaluatedModel, evidenceAt } from "../../worker/models/backtest-build";
import { api, bearer, call, expectJson } from "./helpers";
import { ARIMA, arrangeInstrument, FITTED_TO, GARCH, HOURS, series } from "./insights-fixtures";

const { all, NOW } = series();
let token: string;
let net: Uint8Array;
let profile: { id: number; symbol: string };
let evaluated: EvaluatedModel[];
const get = (path: string) => call("GET", `/api/instruments/${path}`, { token });
const hourly = aggregate(all, "1h").slice(-HOURS);
const closes = hourly.map((c) => c.close);
const start = hourly.findIndex((c) => c.time > FITTED_TO);
const KEEP = 1 - 10 / 10_000;

/** ARIMA(1,1,0) one step ahead: the drift plus phi times the last differenced value net of drift. */
const arima = (i: number) => ARIMA.const + ARIMA.ar[0] * (Math.log(closes[i] / closes[i - 1]) - ARIMA.const);
const origins = closes.map((_, i) => i).filter((i) => i >= start && i < closes.length - 1);

beforeAll(async () => {
  ({ token, net, profile } = await arrangeInstrument(all, NOW));
  const bt = backtestNet(await loadNet(net), hourly);
  const cnn = new Map(bt.times.map((t, k) => [t, bt.predicted[k]]));
  const sigma = garchSigma();
  const forecasts: Record<string, (i: number) => [number, number]> = {
    arima: (i) => [arima(i), 0.01],
    garch: (i) => [GARCH.mu / 100, sigma[i]],
    cnn_pattern: (i) => [cnn.get(hourly[i].time) as number, 0.01],
  };
  const db = getDb(env.DB);
  evaluated = [];
  for (const row of await activeModels(db, profile.id)) {
    const f = forecasts[row.modelType];
    const e = {
      times: origins.map((i) => hourly[i].time),
      mean: origins.map((i) => f(i)[0]),
      sigma: origins.map((i) => f(i)[1]),
    };
    evaluated.push({ model: row.modelType, ...e });
    await saveEvaluation(db, { modelId: row.id, ...e });
  }
}, 60_000);

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

type BacktestQuery = { model?: "arima" | "gru_attention" | "cnn_pattern"; mode?: "long_flat" | "long_short" };
/** The stored backtest through the typed client: its 200 answer as the route declares it. */
const backtest = (query: BacktestQuery) =>
  expectJson(
    api.instruments[":symbol"].backtest.$get({ param: { symbol: "INSUSDT" }, query }, bearer(token)),
    200,
  );

function expectReplay(b: Awaited<ReturnType<typeof backtest>>, sim: ReturnType<typeof simulate>) {
  expect(b).toMatchObject({
    symbol: "INSUSDT",
    from: hourly[start].time,
    to: hourly.at(-1)!.time,
    fees_bps: 10,
    computed_at: expect.any(String),
  });
  expect(b.sharpe_basis).toMatch(/hourly log returns .* x sqrt\(8760\)/);
  expect(b.equity.map((e) => e.time)).toEqual(hourly.slice(start).map((c) => c.time));
  b.equity.forEach((e, k) => {
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
  it("answers 409 until the active set's backtest is stored, then serves it as stored", async () => {
    const before = await get("INSUSDT/backtest");
    expect(before.status).toBe(409);
    expect(before.error?.code).toBe("no_out_of_sample_data");
    const db = getDb(env.DB);
    await refreshBacktest(env.BUCKET, db, (await getProfile(db, profile.id))!);
    const res = await backtest({});
    // The same numbers as the builder on the candles the refresh read (a week before the first origin on).
    const built = buildBacktests(hourly.slice(start - 168), evaluated, 8760);
    expect(res).toMatchObject(built.long_flat.ensemble!);
    const short = await backtest({ model: "arima", mode: "long_short" });
    expect(short).toMatchObject({ ...built.long_short.models.arima!, mode: "long_short" });
    expect((await get("INSUSDT/backtest?mode=both")).status).toBe(400);
  });

  it("replays one model on its own forecasts with ?model=, and refuses GARCH or an inactive model", async () => {
    expect(start).toBeGreaterThan(0);
    const sim = simulate(arima, garchSigma());
    expect(sim.trades).toBeGreaterThan(0);
    expectReplay(await backtest({ model: "arima" }), sim);
    const bt = backtestNet(await loadNet(net), hourly);
    const predicted = new Map(bt.times.map((t, k) => [t, bt.predicted[k]]));
    expectReplay(
      await backtest({ model: "cnn_pattern" }),
      simulate((i) => predicted.get(hourly[i].time) as number, garchSigma()),
    );
    expect((await get("INSUSDT/backtest?model=garch")).status).toBe(400);
    const missing = await get("INSUSDT/backtest?model=gru_attention");
    expect(missing.status).toBe(404);
    expect(missing.error?.code).toBe("model_not_found");
  });

  it("gives the ensemble votes only from evidence on closed hours: nobody votes in the first week", () => {
    const candles = hourly.slice(start - 168);
    const e = buildBacktests(candles, evaluated, 8760).long_flat.ensemble!;
    expect(e.equity.slice(0, 169).every((p) => p.value === 1)).toBe(true);
    const first = candles.findIndex((c) => c.time === hourly[start].time);
    const predicted = new Float64Array(candles.length).fill(Number.NaN);
    for (const i of origins) predicted[i - start + first] = arima(i);
    const ev = evidenceAt(candles, predicted);
    expect(Number.isNaN(ev.skill[first + 167])).toBe(true); // 167 scored hours: not yet
    // At origin first + 168 exactly 168 forecasts have been scored by closes up to it.
    let a = 0;
    let b = 0;
    for (let k = first; k < first + 168; k++) {
      a += Math.abs(candles[k].close * Math.exp(predicted[k]) - candles[k + 1].close);
      b += Math.abs(candles[k].close - candles[k + 1].close);
    }
    expect(ev.skill[first + 168]).toBeCloseTo(1 - a / b, 12);
  });

  it("has no look-ahead: changing every candle and forecast after hour T changes no entry up to T", () => {
    const candles = hourly.slice(start - 168);
    const T = candles[candles.length - 200].time;
    const changed: Candle[] = candles.map((c, i) =>
      c.time <= T ? c : { ...c, close: c.close * (1 + 0.03 * Math.sin(i)), high: c.high * 1.05 },
    );
    // An ARIMA that knew every next close (so it earns evidence, votes and trades), and after T the
    // opposite of what it said.
    const next = new Map(
      candles.slice(0, -1).map((c, i) => [c.time, Math.log(candles[i + 1].close / c.close)]),
    );
    const knowing = evaluated.map((e) =>
      e.model === "arima" ? { ...e, mean: e.times.map((t) => next.get(t) as number) } : e,
    );
    const shifted = knowing.map((e) => ({
      ...e,
      mean: e.mean.map((m, k) => (e.times[k] < T ? m : -m + 0.01)),
    }));
    const a = buildBacktests(candles, knowing, 8760);
    const b = buildBacktests(changed, shifted, 8760);
    expect(a.long_flat.ensemble?.trades).toBeGreaterThan(0);
    const pairs = (["long_flat", "long_short"] as const).flatMap((m) => [
      [a[m].ensemble!, b[m].ensemble!],
      [a[m].models.arima, b[m].models.arima],
    ]);
    for (const [x, y] of pairs) {
      const upTo = (r: typeof x) => r.equity.filter((p) => p.time <= T);
      expect(upTo(y)).toEqual(upTo(x));
      expect(y.equity).not.toEqual(x.equity);
    }
    // The hourly signals the history serves: the same up to the last hour before T's forecast changed.
    const beforeT = (s: typeof a.signals) => s.filter((p) => p.time < T);
    expect(beforeT(b.signals)).toEqual(beforeT(a.signals));
    expect(b.signals).not.toEqual(a.signals);
  });
});
