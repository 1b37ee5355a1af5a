// Many synthetic symbols served by the replay exchange (scripts/sim/synthetic.ts): listed, deterministic
// from their names, each its own market, and a request built minute by minute gives the whole day's numbers.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ReplayServer, startReplayServer } from "../../scripts/replay/server";
import { SimMarket } from "../../scripts/sim/generator";
import { syntheticSymbol } from "../../scripts/sim/synthetic";

const SOL = path.resolve(import.meta.dirname, "../fixtures/replay/SOLUSDT-1m-2025-02.csv");
const get = async (base: string, p: string) => {
  const res = await fetch(`${base}${p}`);
  return { status: res.status, json: (await res.json()) as any };
};

describe("synthetic symbols", () => {
  let a: ReplayServer;
  let b: ReplayServer;
  beforeAll(async () => {
    a = await startReplayServer({ files: [SOL], port: 0, log: () => {}, synthetic: 25 });
    b = await startReplayServer({ port: 0, log: () => {}, synthetic: 25 });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it("names them SIM0001USDT...", () => {
    expect(syntheticSymbol(1)).toBe("SIM0001USDT");
    expect(syntheticSymbol(1000)).toBe("SIM1000USDT");
  });

  it("lists them in exchangeInfo beside the recorded series, also when asked by name", async () => {
    const all = (await get(a.url, "/api/v3/exchangeInfo")).json.symbols.map((s: any) => s.symbol);
    expect(all).toEqual(["SOLUSDT", ...Array.from({ length: 25 }, (_, i) => syntheticSymbol(i + 1))]);
    const one = (await get(a.url, "/api/v3/exchangeInfo?symbol=SIM0007USDT")).json.symbols;
    expect(one).toMatchObject([{ symbol: "SIM0007USDT", status: "TRADING", baseAsset: "SIM0007" }]);
    const q = encodeURIComponent(JSON.stringify(["SOLUSDT", "SIM0002USDT"]));
    const mixed = (await get(a.url, `/api/v3/exchangeInfo?symbols=${q}`)).json.symbols;
    expect(mixed.map((s: any) => s.symbol)).toEqual(["SOLUSDT", "SIM0002USDT"]);
    for (const bad of ["SIM0026USDT", "SIM0000USDT", "SIM01USDT"]) {
      const res = await get(a.url, `/api/v3/klines?symbol=${bad}&interval=1m`);
      expect(res).toMatchObject({ status: 400, json: { code: -1121 } });
    }
  });

  it("serves each symbol deterministically from its name, each its own market", async () => {
    const from = Math.floor(Date.now() / 60_000) * 60_000 - 30 * 60_000;
    const k = (base: string, s: string) =>
      get(base, `/api/v3/klines?symbol=${s}&interval=1m&startTime=${from}&limit=20`);
    const x = await k(a.url, "SIM0003USDT");
    expect(x.status).toBe(200);
    expect(x.json).toHaveLength(20);
    expect((await k(b.url, "SIM0003USDT")).json).toEqual(x.json);
    const y = (await k(a.url, "SIM0004USDT")).json;
    expect(y[0][1]).not.toBe(x.json[0][1]);
    for (let i = 1; i < 20; i++) expect(x.json[i][1]).toBe(x.json[i - 1][4]); // open = previous close
  });

  it("builds only the minutes asked for with the same numbers as the whole day", () => {
    const epoch = "2026-01-05";
    const cached = new SimMarket("SIM0009USDT", { epoch, startPrice: 123.45 }, 8);
    const lean = new SimMarket("SIM0009USDT", { epoch, startPrice: 123.45 }, 0);
    const from = Date.UTC(2026, 0, 6, 22, 30); // across midnight into the next day
    expect(lean.range(from, 180)).toEqual(cached.range(from, 180));
    expect(lean.candle(Date.UTC(2026, 0, 7, 5, 7))).toEqual(cached.candle(Date.UTC(2026, 0, 7, 5, 7)));
  });
});
