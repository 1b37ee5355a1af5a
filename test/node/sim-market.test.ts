// The simulated market: deterministic by seed and minute, GARCH(1,1) that a fit recovers, candles on the
// tick grid whose highs and lows bracket opens and closes, served through the Binance API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fitGarch, logReturnsPct } from "../../core/models/garch";
import { DAY_MS, MINUTE_MS, SimMarket } from "../../scripts/sim/generator";
import { SIM_EDGE_AR, SIM_PARAMS } from "../../scripts/sim/params";
import { type SimServer, startSimServer } from "../../scripts/sim/server";

const T = Date.parse("2026-03-10T13:37:00Z");
const onGrid = (x: number, decimals: number) =>
  Math.abs(x * 10 ** decimals - Math.round(x * 10 ** decimals)) < 1e-6;

describe("the generated market", () => {
  it("gives the same candle for the same seed and minute, whatever was asked before", () => {
    const a = new SimMarket(7);
    const b = new SimMarket(7);
    b.range(T - 40 * DAY_MS, 3000); // a different history of requests and caches
    expect(b.candle(T)).toEqual(a.candle(T));
    expect(new SimMarket(7).candle(T - 400 * DAY_MS)).toEqual(a.candle(T - 400 * DAY_MS));
    expect(new SimMarket(8).candle(T)).not.toEqual(a.candle(T));
    // Consecutive minutes join: each open is the previous close, across a day boundary too.
    const midnight = Math.floor(T / DAY_MS) * DAY_MS;
    const pair = a.range(midnight - MINUTE_MS, 2);
    expect(pair[1].open).toBe(pair[0].close);
    expect(pair[1].openMs - pair[0].openMs).toBe(MINUTE_MS);
  });

  it("puts prices on the tick grid, volumes on the lot grid, highs and lows around opens and closes", () => {
    const m = new SimMarket(3);
    const candles = m.range(T - 5 * DAY_MS, 5 * 1440);
    for (const c of candles) {
      for (const p of [c.open, c.high, c.low, c.close]) {
        expect(p).toBeGreaterThan(0);
        expect(onGrid(p, SIM_PARAMS.priceDecimals), `${p}`).toBe(true);
      }
      expect(onGrid(c.volume, SIM_PARAMS.volumeDecimals)).toBe(true);
      expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
      expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
      expect(c.volume).toBeGreaterThan(0);
    }
  });

  it("has 1m log returns whose GARCH(1,1) fit recovers alpha and beta within 0.05", () => {
    const m = new SimMarket(11);
    const candles = m.range(Date.parse("2026-02-01T00:00:00Z"), 120 * 1440);
    const fit = fitGarch(logReturnsPct(candles.map((c) => c.close)));
    expect(Math.abs(fit.alpha - SIM_PARAMS.garch.alpha)).toBeLessThan(0.05);
    expect(Math.abs(fit.beta - SIM_PARAMS.garch.beta)).toBeLessThan(0.05);
  }, 60_000);

  it("trades more in the busy hours and in volatile minutes", () => {
    const m = new SimMarket(5);
    const candles = m.range(Date.parse("2026-04-01T00:00:00Z"), 30 * 1440);
    const hourMean = (h: number) => {
      const v = candles.filter((c) => new Date(c.openMs).getUTCHours() === h).map((c) => Math.log(c.volume));
      return v.reduce((a, b) => a + b, 0) / v.length;
    };
    expect(hourMean(14) - hourMean(4)).toBeGreaterThan(0.5); // the fitted cycle says 0.91
    const r = candles.map((c) => Math.abs(Math.log(c.close / c.open)));
    const v = candles.map((c) => Math.log(c.volume));
    const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
    const [mr, mv] = [mean(r), mean(v)];
    const cov = mean(r.map((x, i) => (x - mr) * (v[i] - mv)));
    const corr = cov / Math.sqrt(mean(r.map((x) => (x - mr) ** 2)) * mean(v.map((x) => (x - mv) ** 2)));
    expect(corr).toBeGreaterThan(0.15);
  });
});

describe("the simulator's Binance API", () => {
  let sim: SimServer;
  const now = Date.parse("2026-05-05T10:20:30Z");
  beforeAll(async () => {
    sim = await startSimServer({ seed: 9, clock: () => now });
  });
  afterAll(() => sim.close());
  const get = async (p: string) => {
    const res = await fetch(`${sim.url}${p}`);
    return { status: res.status, json: (await res.json()) as any };
  };

  it("pages klines like Binance and never shows a minute after the present", async () => {
    const market = new SimMarket(9);
    const latest = await get("/api/v3/klines?symbol=SIMUSDT&interval=1m&limit=3");
    expect(latest.json.map((k: any) => k[0])).toEqual(
      [now - 140_000, now - 80_000, now - 20_000].map((t) => Math.floor(t / MINUTE_MS) * MINUTE_MS),
    );
    const from = Date.parse("2026-05-01T00:00:00Z");
    const page = await get(`/api/v3/klines?symbol=SIMUSDT&interval=1m&startTime=${from}&limit=1000`);
    expect(page.json).toHaveLength(1000);
    expect(page.json[0][0]).toBe(from);
    expect(Number(page.json[0][4])).toBe(market.candle(from).close);
    // The open minute (30 s in) shows half its way, never its final close; the minute before is whole.
    const open = latest.json[2];
    const whole = market.candle(open[0]);
    expect(Number(open[4])).toBeCloseTo(whole.open + (whole.close - whole.open) / 2, 1);
    expect(Number(open[5])).toBeLessThan(whole.volume);
    expect(Number(latest.json[1][4])).toBe(market.candle(latest.json[1][0]).close);
    const future = await get(`/api/v3/klines?symbol=SIMUSDT&interval=1m&startTime=${now + DAY_MS}`);
    expect(future.json).toEqual([]);
    expect((await get("/api/v3/klines?symbol=BTCUSDT&interval=1m")).status).toBe(400);
    const info = await get("/api/v3/exchangeInfo");
    expect(info.json.symbols[0]).toMatchObject({ symbol: "SIMUSDT", baseAsset: "SIM", quoteAsset: "USDT" });
    expect(info.json.symbols[0].filters[0].tickSize).toBe("0.01000000");
  });

  it("serves the positive control beside it, each symbol its own market", async () => {
    const info = await get("/api/v3/exchangeInfo");
    expect(info.json.symbols.map((s: any) => s.symbol)).toEqual(["SIMUSDT", "SIMARUSDT"]);
    const edge = new SimMarket(10, { hourlyAr: SIM_EDGE_AR, startPrice: 2_481.37 });
    const from = Date.parse("2026-05-01T00:00:00Z");
    const page = await get(`/api/v3/klines?symbol=SIMARUSDT&interval=1m&startTime=${from}&limit=5`);
    expect(page.json.map((k: any) => Number(k[4]))).toEqual(edge.range(from, 5).map((c) => c.close));
    const tickers = await get("/api/v3/ticker/24hr");
    expect(tickers.json.map((t: any) => t.symbol)).toEqual(["SIMUSDT", "SIMARUSDT"]);
    expect((await get('/api/v3/exchangeInfo?symbols=["SIMARUSDT"]')).json.symbols).toHaveLength(1);
  });
});

describe("the positive control", () => {
  it("has hourly log returns with the AR(1) coefficient it was given, and a day joins the next", () => {
    const market = new SimMarket("edge", { hourlyAr: 0.3 }, 2);
    const from = Date.parse("2026-01-01T00:00:00Z");
    const closes: number[] = [];
    const minutes = market.range(from, 120 * 1440);
    for (let i = 59; i < minutes.length; i += 60) closes.push(minutes[i].close);
    const r = closes.slice(1).map((c, i) => Math.log(c / closes[i]));
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    let num = 0;
    let den = 0;
    for (let i = 0; i < r.length; i++) {
      den += (r[i] - mean) ** 2;
      if (i > 0) num += (r[i] - mean) * (r[i - 1] - mean);
    }
    // 2,880 hours: the sample coefficient's standard error is about 0.02.
    expect(num / den).toBeGreaterThan(0.24);
    expect(num / den).toBeLessThan(0.36);
    // The negative control's hours are uncorrelated.
    const flat = new SimMarket("edge", {}, 2).range(from, 120 * 1440).filter((_, i) => i % 60 === 59);
    const f = flat.slice(1).map((c, i) => Math.log(c.close / flat[i].close));
    const fm = f.reduce((a, b) => a + b, 0) / f.length;
    let fn = 0;
    let fd = 0;
    for (let i = 0; i < f.length; i++) {
      fd += (f[i] - fm) ** 2;
      if (i > 0) fn += (f[i] - fm) * (f[i - 1] - fm);
    }
    expect(Math.abs(fn / fd)).toBeLessThan(0.06);
  });
});
