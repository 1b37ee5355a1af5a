// The user model routes end to end: stored candles and model versions in, forecasts, signal and stats
// out, each number checked against the model formulas and hand computation on the synthetic series.
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { aggregate } from "../../core/candles/aggregate";
import type { Candle } from "../../core/candles/types";
import { formatPct } from "../../core/format";
import { loadNet } from "../../core/models/artifact";
import { INTERVAL_Z } from "../../core/models/model-config";
import { netForecast } from "../../core/models/nets";
import { getDb } from "../../worker/db/client";
import { storeCandles } from "../../worker/market/store";
import { api, bearer, call, expectJson, openApiDoc } from "./helpers";
import { ARIMA, arrangeInstrument, GARCH, HOURS, series } from "./insights-fixtures";

const { DAY0, all, NOW } = series();
const db = getDb(env.DB);
let token: string;
let net: Uint8Array;
let profile: { id: number; symbol: string };
const get = (path: string) => call("GET", `/api/instruments/${path}`, { token });
const symbolRoute = () => api.instruments[":symbol"];
const insUsdt = { param: { symbol: "INSUSDT" } };
const predictions = () => expectJson(symbolRoute().predictions.$get(insUsdt, bearer(token)), 200);
const signal = () => expectJson(symbolRoute().signals.$get(insUsdt, bearer(token)), 200);

beforeAll(async () => {
  ({ token, net, profile } = await arrangeInstrument(all, NOW));
});

/** RiskMetrics: v = 0.94 v + 0.06 r^2 from the mean r^2 of the first 24 returns; the last sd. */
function ewmaSd(closes: number[]) {
  const r = closes.slice(1).map((c, i) => Math.log(c / closes[i]));
  let v = r.slice(0, 24).reduce((a, x) => a + x * x, 0) / 24;
  for (const x of r) v = 0.94 * v + 0.06 * x * x;
  return Math.sqrt(v);
}

/**
 * ARIMA(1,1,0) on log closes, by the textbook formulas: psi weights of the integrated AR(1); the
 * variance path is scaled to the running volatility and the band uses the artifact's band_z.
 */
function arimaReference(closes: number[]) {
  const scale = ewmaSd(closes) ** 2 / ARIMA.sigma2;
  const y = closes.map(Math.log);
  const n = y.length - 1;
  const w = y[n] - y[n - 1] - ARIMA.const;
  const phi = ARIMA.ar[0];
  let sumPhi = 0;
  let psi = 0;
  let variance = 0;
  return Array.from({ length: 24 }, (_, k) => {
    sumPhi += phi ** (k + 1);
    psi += phi ** k; // psi_k = 1 + phi + ... + phi^k
    variance += ARIMA.sigma2 * psi ** 2;
    const mean = y[n] + ARIMA.const * (k + 1) + w * sumPhi;
    const half = ARIMA.band_z * Math.sqrt(scale * variance);
    return { value: Math.exp(mean), lower: Math.exp(mean - half), upper: Math.exp(mean + half) };
  });
}

/** GARCH(1,1) variance recursion from the stored backcast, then the cumulative interval. */
function garchReference(closes: number[]) {
  const { mu, omega, alpha, beta, backcast } = GARCH;
  let s2 = omega + (alpha + beta) * backcast;
  for (let t = 1; t < closes.length; t++) {
    const e = 100 * Math.log(closes[t] / closes[t - 1]) - mu;
    s2 = omega + alpha * e * e + beta * s2;
  }
  const last = closes[closes.length - 1];
  let total = 0;
  return Array.from({ length: 24 }, (_, k) => {
    const h = k === 0 ? s2 : omega + (alpha + beta) * s2;
    s2 = h;
    total += h;
    const half = (INTERVAL_Z * Math.sqrt(total)) / 100;
    return { value: last, lower: last * Math.exp(-half), upper: last * Math.exp(half), h };
  });
}

const near = (a: number | null, b: number, rel = 1e-9) => {
  expect(a).not.toBeNull();
  expect(Math.abs(a! - b)).toBeLessThanOrEqual(rel * Math.abs(b));
};

describe("access", () => {
  it("answers 401 without a user token and 404 for unknown or untrained symbols", async () => {
    for (const route of ["predictions", "signals", "stats", "backtest"]) {
      const anon = await call("GET", `/api/instruments/INSUSDT/${route}`);
      expect(anon.status).toBe(401);
      expect(anon.error?.code).toBe("unauthorized");
      for (const symbol of ["NOPEUSDT", "RAWUSDT"]) {
        const res = await get(`${symbol}/${route}`);
        expect(res.status).toBe(404);
        expect(res.error).toMatchObject({ code: "instrument_not_found", message: expect.any(String) });
      }
    }
    expect((await get("insusdt/stats")).status).toBe(200); // symbols are case-insensitive, like /data
  });

  it("documents the routes in the OpenAPI document", async () => {
    const doc = await openApiDoc();
    for (const r of ["predictions", "signals", "stats"])
      expect(doc.paths[`/api/instruments/{symbol}/${r}`]).toBeDefined();
  });
});

describe("predictions", () => {
  it("gives 24 hourly points after the last candle per model, matching the model formulas", async () => {
    const res = await predictions();
    const hourly = aggregate(all, "1h").slice(-HOURS);
    const last = hourly[hourly.length - 1];
    const closes = hourly.map((c) => c.close);
    const byType = Object.fromEntries(res.models.map((m) => [m.model_type, m]));
    expect(Object.keys(byType).sort()).toEqual(["arima", "cnn_pattern", "garch"]);
    for (const m of res.models) {
      expect(m).toMatchObject({ version: 1, trained_at: expect.any(String), metrics: { horizon: 1 } });
      expect(m.forecast).toHaveLength(24);
      m.forecast.forEach((f, k) => {
        expect(f.time).toBe(last.time + (k + 1) * 3600);
        expect(f.lower).toBeLessThanOrEqual(f.value);
        expect(f.value).toBeLessThanOrEqual(f.upper);
      });
    }
    arimaReference(closes).forEach((r, k) => {
      for (const f of ["value", "lower", "upper"] as const) near(byType.arima.forecast[k][f], r[f]);
    });
    garchReference(closes).forEach((r, k) => {
      for (const f of ["value", "lower", "upper"] as const) near(byType.garch.forecast[k][f], r[f]);
    });
    // The net's one-step value; its band: 1.96 (no band_z stored) x the running sd x sqrt(steps).
    const vol = ewmaSd(closes);
    netForecast(await loadNet(net), hourly, 24).points.forEach((p, k) => {
      const f = byType.cnn_pattern.forecast[k];
      near(f.value, p.value); // as the ledger recorded it: 10 significant digits
      near(f.lower, p.value * Math.exp(-INTERVAL_Z * vol * Math.sqrt(k + 1)));
      near(f.upper, p.value * Math.exp(INTERVAL_Z * vol * Math.sqrt(k + 1)));
    });
  });

  it("serves the forecasts made at the last closed hour's close until the next hour closes", async () => {
    const first = await predictions();
    expect(first.origin).toBe(aggregate(all, "1h").at(-1)?.time);
    expect((await predictions()).generated_at).toBe(first.generated_at);
    await new Promise((r) => setTimeout(r, 5));
    const minute = (prev: Candle): Candle => ({
      ...prev,
      time: prev.time + 60,
      open: prev.close,
      close: prev.close * 1.001,
      high: prev.close * 1.001,
    });
    // A minute of a new hour: that hour has not closed, so nothing is forecast from it yet.
    all.push(minute(all[all.length - 1]));
    await storeCandles(env.BUCKET, db, profile, all.slice(-1), NOW + 60);
    expect(await predictions()).toEqual(first);
    // Its last minute: now it has, and the forecasts start an hour later.
    for (let i = 0; i < 59; i++) all.push(minute(all[all.length - 1]));
    await storeCandles(env.BUCKET, db, profile, all.slice(-59), NOW + 3600);
    const after = await predictions();
    expect(after.generated_at).not.toBe(first.generated_at);
    expect(after.origin).toBe((first.origin as number) + 3600);
    const arima = (a: typeof first) => a.models.find((m) => m.model_type === "arima")!.forecast[0];
    expect(arima(after).time).toBe(arima(first).time + 3600);
    expect((await signal()).generated_at).toBe(after.generated_at);
  });

  it("sends a warm answer gzipped once, as kept, to a client taking gzip", async () => {
    const first = await get("INSUSDT/predictions");
    const ask = () =>
      exports.default.fetch("http://mm.test/api/instruments/INSUSDT/predictions", {
        headers: { authorization: `Bearer ${token}`, "accept-encoding": "gzip" },
        encodeResponseBody: "manual", // the bytes as sent
      });
    let res = await ask();
    for (let i = 0; i < 50 && res.headers.get("content-encoding") !== "gzip"; i++) {
      await new Promise((r) => setTimeout(r, 20)); // kept gzipped in the background
      res = await ask();
    }
    expect(res.headers.get("content-encoding")).toBe("gzip");
    const raw = new Uint8Array(await res.arrayBuffer());
    expect([raw[0], raw[1]]).toEqual([0x1f, 0x8b]);
    const inflated = new Response(new Blob([raw]).stream().pipeThrough(new DecompressionStream("gzip")));
    expect(JSON.parse(await inflated.text())).toEqual(first.json);
    expect((await get("INSUSDT/predictions")).json).toEqual(first.json); // inflated for a plain client
  });
});

describe("signals", () => {
  it("follows the skilled ARIMA's expected return and gives the negative-skill net no vote", async () => {
    const res = await signal();
    const closes = aggregate(all, "1h")
      .slice(-HOURS)
      .map((c) => c.close);
    const expected = Math.log(arimaReference(closes)[0].value / closes[closes.length - 1]);
    expect(expected).toBeGreaterThan(0.002); // above the 0.2% round-trip fees and 0.1 sigma
    expect(res).toMatchObject({ symbol: "INSUSDT", signal: "buy" });
    // No rolling-evaluation forecasts are stored for this set: nothing to calibrate a confidence on,
    // so none is given (never a p-value in its place).
    expect(res.confidence).toBeNull();
    const reasons = res.reasons;
    expect(reasons.some((r) => r.startsWith("No confidence: too few out-of-sample hours"))).toBe(true);
    expect(
      reasons.some((r) => r.includes(`expected return over the next hour: ${formatPct(expected, 3)}`)),
      reasons.join("\n"),
    ).toBe(true);
    // Written as everywhere else (core/format.ts): the minus sign.
    expect(reasons.some((r) => r.startsWith("CNN pattern gets no vote") && r.includes("−2.00%"))).toBe(true);
    expect(reasons[0]).toContain("passes Holm's test across the 2 models at a 10% family-wise error rate");
    expect(reasons.some((r) => r.includes("CNN pattern +"))).toBe(false);
  });
});

describe("stats", () => {
  it("matches hand computation on the stored series", async () => {
    const s = await expectJson(symbolRoute().stats.$get(insUsdt, bearer(token)), 200);
    const last = all[all.length - 1];
    const dayAgo = all.find((c) => c.time === last.time - 86_400)!;
    const daily = aggregate(all, "1D");
    const today = daily[daily.length - 1].time;
    const at = (days: number) => daily.find((c) => c.time === today - days * 86_400)!.close;
    const r = daily.slice(1).map((c, i) => Math.log(c.close / daily[i].close));
    const mean = r.reduce((s, v) => s + v, 0) / r.length;
    const sd = Math.sqrt(r.reduce((s, v) => s + (v - mean) ** 2, 0) / (r.length - 1));
    let dd = 0;
    for (let i = 0; i < daily.length; i++) {
      const peak = Math.max(...daily.slice(0, i + 1).map((c) => c.close));
      dd = Math.min(dd, daily[i].close / peak - 1);
    }
    expect(s).toMatchObject({
      symbol: "INSUSDT",
      price: last.close,
      as_of: new Date((last.time + 60) * 1000).toISOString(),
    });
    near(s.returns["1d"], last.close / dayAgo.close - 1);
    expect(s.change_24h).toBe(s.returns["1d"]);
    near(s.returns["7d"], last.close / at(7) - 1);
    near(s.returns["30d"], last.close / at(30) - 1);
    near(s.volatility_annualized, sd * Math.sqrt(365));
    near(s.sharpe_annualized, (mean / sd) * Math.sqrt(365));
    expect(dd).toBeLessThan(0);
    near(s.max_drawdown, dd);
    expect(s.window).toEqual({ from: DAY0, to: today, daily_returns: 40 });
  });
});
