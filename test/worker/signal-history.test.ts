// GET /api/instruments/:symbol/signals/history: the stored backtest's decisions over the rolling
// evaluation, then the active models' own signals after it, each from candles up to its hour only.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { aggregate } from "../../core/candles/aggregate";
import type { Candle } from "../../core/candles/types";
import { SignalHistory } from "../../worker/contract/insights";
import { saveEvaluation } from "../../worker/db/backtests";
import { getDb } from "../../worker/db/client";
import { activeModels } from "../../worker/db/models";
import { getProfile } from "../../worker/db/profiles";
import { storeCandles } from "../../worker/market/store";
import { refreshBacktest } from "../../worker/models/backtest";
import { storedCalibration } from "../../worker/models/calibration-store";
import { decide } from "../../worker/models/signals";
import { api, bearer, call, expectJson, openApiDoc } from "./helpers";
import { ARIMA, arrangeInstrument, GARCH, register, series } from "./insights-fixtures";

const { all, NOW } = series();
const hourly = aggregate(all, "1h");
const closes = hourly.map((c) => c.close);
/** First evaluated origin: the evaluation's fold models start well before the shipped models' window. */
const start = 300;
/** The evaluation (and so the stored backtest) ends 72 hours before the data: those are live hours. */
const EVAL_END = hourly.length - 73;
const LIVE_FROM = hourly[EVAL_END + 1].time;
const T = hourly[hourly.length - 30].time;
let token: string;
let insId: number;
const get = (path: string) => call("GET", `/api/instruments/${path}`, { token });

const arima = (i: number) => ARIMA.const + ARIMA.ar[0] * (Math.log(closes[i] / closes[i - 1]) - ARIMA.const);

/** GARCH's one-step sd at every origin (its stored backcast starts the recursion). */
function garchSigma(c: readonly number[]): number[] {
  const { mu, omega, alpha, beta, backcast } = GARCH;
  const out: number[] = [];
  let s2 = omega + (alpha + beta) * backcast;
  for (let i = 0; i < c.length; i++) {
    out.push(Math.sqrt(s2) / 100);
    const e = 100 * Math.log(c[i + 1] / c[i]) - mu;
    s2 = omega + alpha * e * e + beta * s2;
  }
  return out;
}

/** Evaluation forecasts over start..EVAL_END (an ARIMA fold that knew each next close, so it earns
 * evidence and trades; GARCH's sd) and the set's backtest. */
async function evaluate(profileId: number) {
  const db = getDb(env.DB);
  const sigma = garchSigma(closes);
  const origins = closes.map((_, i) => i).filter((i) => i >= start && i <= EVAL_END);
  for (const row of await activeModels(db, profileId)) {
    const knowing = (i: number) => Math.log(closes[i + 1] / closes[i]);
    const f = (i: number) => (row.modelType === "garch" ? GARCH.mu / 100 : knowing(i));
    const at = (i: number) => (row.modelType === "garch" ? sigma[i] : 0.01);
    if (row.modelType === "cnn_pattern") continue; // a model without evaluation forecasts
    await saveEvaluation(db, {
      modelId: row.id,
      times: origins.map((i) => hourly[i].time),
      mean: origins.map(f),
      sigma: origins.map(at),
    });
  }
  await refreshBacktest(env.BUCKET, db, (await getProfile(db, profileId))!);
}

beforeAll(async () => {
  const arranged = await arrangeInstrument(all, NOW);
  token = arranged.token;
  const { profile, net } = arranged;
  insId = profile.id;
  await evaluate(profile.id);
  // The same models over candles that differ from INSUSDT's only after hour T.
  const row = await env.DB.prepare("insert into trading_profiles (symbol, name) values (?, ?) returning id")
    .bind("ALTUSDT", "ALTUSDT")
    .first<{ id: number }>();
  const alt = { id: row!.id, symbol: "ALTUSDT" };
  const changed: Candle[] = all.map((c, i) => {
    if (c.time < T + 3600) return c;
    const k = 1 + 0.02 * Math.sin(i / 50);
    return { ...c, open: c.open * k, high: c.high * k * 1.001, low: c.low * k * 0.999, close: c.close * k };
  });
  await storeCandles(env.BUCKET, getDb(env.DB), alt, changed, NOW);
  await register(alt, "arima", new TextEncoder().encode(JSON.stringify(ARIMA)), 0.03, 0.02);
  await register(alt, "garch", new TextEncoder().encode(JSON.stringify(GARCH)), 0.001, 0.5);
  await register(alt, "cnn_pattern", net, -0.02, 0.9);
  await evaluate(alt.id);
}, 120_000);

const range = `from=${hourly[0].time}&to=${NOW}`;

describe("signal history", () => {
  it("answers the backtest's decisions over the evaluation, then the active models' own signals", async () => {
    const res = await get(`INSUSDT/signals/history?${range}`);
    expect(res.status).toBe(200);
    const body = SignalHistory.parse(res.json);
    expect(body.live_from).toBe(LIVE_FROM);
    const times = body.signals.map((s) => s.time);
    // Every hour from the first evaluated origin to the last closed hour, once, in order.
    expect(times).toEqual(hourly.slice(start).map((c) => c.time));
    expect(body.signals.filter((s) => s.source === "live").map((s) => s.time)).toEqual(
      hourly.slice(EVAL_END + 1).map((c) => c.time),
    );
    // The backtest traded on these signals: each entry is a buy hour, each exit a sell hour.
    const route = api.instruments[":symbol"];
    const ins = { param: { symbol: "INSUSDT" } };
    const bt = await expectJson(route.backtest.$get({ ...ins, query: {} }, bearer(token)), 200);
    const byTime = new Map(body.signals.map((s) => [s.time, s.signal]));
    const fills = bt.fills.filter((f) => f.time < bt.to);
    expect(fills.length).toBeGreaterThan(0);
    for (const f of fills) expect(byTime.get(f.time)).toBe(f.side);
    // Live hours: ARIMA votes with its training skill and p-value; GARCH's one-step sd sets the band;
    // the confidence is the stored calibration's probability at the hour's lean.
    const sigma = garchSigma(closes);
    const db = getDb(env.DB);
    const profile = (await getProfile(db, insId))!;
    const fit =
      (await storedCalibration(env.BUCKET, db, profile, await activeModels(db, profile.id)))?.fit ?? null;
    expect(fit).not.toBeNull();
    let confident = 0;
    for (const s of body.signals.filter((p) => p.source === "live")) {
      const i = hourly.findIndex((c) => c.time === s.time);
      const d = decide(
        [{ model: "arima", expectedReturn: arima(i), skill: 0.03, pValue: 0.02 }],
        sigma[i],
        fit,
      );
      expect(s.signal).toBe(d.signal);
      expect(s.confidence).toBeCloseTo(d.confidence as number, 3);
      if (s.confidence !== null) confident++;
    }
    expect(confident).toBeGreaterThan(0);
    expect(new Set(body.signals.map((s) => s.signal)).size).toBeGreaterThan(1);
    // The last closed hour's signal is what the live signal says now.
    const now = await expectJson(route.signals.$get(ins, bearer(token)), 200);
    expect(body.signals.at(-1)?.signal).toBe(now.signal);
    expect(now.confidence).not.toBeNull();
    expect(body.signals.at(-1)?.confidence).toBeCloseTo(now.confidence!, 3);
  });

  it("has no look-ahead: candles that differ only after hour T leave every signal up to T unchanged", async () => {
    const a = SignalHistory.parse((await get(`INSUSDT/signals/history?${range}`)).json);
    const b = SignalHistory.parse((await get(`ALTUSDT/signals/history?${range}`)).json);
    const upTo = (s: typeof a.signals) => s.filter((p) => p.time <= T);
    expect(upTo(b.signals).length).toBeGreaterThan(0);
    expect(upTo(b.signals)).toEqual(upTo(a.signals));
    expect(b.signals).not.toEqual(a.signals);
  });

  it("keeps to [from, to] and refuses bad or too wide ranges in the error shape", async () => {
    const from = hourly[EVAL_END - 5].time;
    const to = hourly[EVAL_END + 5].time;
    const query = { from: String(from), to: String(to) };
    const history = api.instruments[":symbol"].signals.history.$get(
      { param: { symbol: "INSUSDT" }, query },
      bearer(token),
    );
    expect((await expectJson(history, 200)).signals.map((s) => s.time)).toEqual(
      hourly.slice(EVAL_END - 5, EVAL_END + 6).map((c) => c.time),
    );
    for (const q of [
      `from=${to}&to=${from}`,
      `from=${NOW - 367 * 86_400}&to=${NOW}`,
      `from=${from * 1000}&to=${to * 1000}`,
      "from=abc",
    ]) {
      const bad = await get(`INSUSDT/signals/history?${q}`);
      expect(bad.status, q).toBe(400);
      expect(bad.error).toMatchObject({ code: "validation_error", message: expect.any(String) });
    }
    expect((await get(`NOPEUSDT/signals/history?${range}`)).status).toBe(404);
    expect((await get(`RAWUSDT/signals/history?${range}`)).status).toBe(404);
    expect((await call("GET", `/api/instruments/INSUSDT/signals/history?${range}`)).status).toBe(401);
  });

  it("is documented in the OpenAPI document with its query, its failures and the rate limit", async () => {
    const doc = await openApiDoc();
    const op = doc.paths["/api/instruments/{symbol}/signals/history"]?.get;
    expect(op).toBeDefined();
    expect(op?.parameters?.map((p) => p.name).sort()).toEqual(["from", "symbol", "to"]);
    for (const status of ["200", "400", "401", "404", "429"]) expect(op?.responses[status]).toBeDefined();
    expect(doc.components.schemas.SignalHistory).toBeDefined();
  });
});
