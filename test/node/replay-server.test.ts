// The replay exchange alone, over the hand-made fixtures: file formats, week shift, Binance semantics.

import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { symbolOfFile } from "../../scripts/replay/load";
import { type ReplayServer, startReplayServer, weekShiftMs } from "../../scripts/replay/server";
import { REPLAY_FIXTURES } from "../helpers/replay-fixtures";

const FIXTURES = REPLAY_FIXTURES;
const expected = JSON.parse(readFileSync(path.join(FIXTURES, "expected.json"), "utf8"));
const WEEK = 604_800_000;
const MIN = 60_000;

type Row = [number, string, string, string, string, string, number, string, number, string, string, string];
/** XBTUSDT as recorded: plain ms rows, read here with a split, independently of the replay's loader. */
const xbt: Row[] = gunzipSync(readFileSync(path.join(FIXTURES, "XBTUSDT-1m-2024-01.csv.gz")))
  .toString()
  .trim()
  .split("\n")
  .map((line) => {
    const f = line.split(",");
    return [+f[0], f[1], f[2], f[3], f[4], f[5], +f[6], f[7], +f[8], f[9], f[10], "0"];
  });
const shifted = (rows: Row[], shift: number): Row[] =>
  rows.map((r): Row => {
    const moved = [...r] as Row;
    moved[0] += shift;
    moved[6] += shift;
    return moved;
  });

const lastXbt = xbt[xbt.length - 1][0];
const SHIFT = 100 * WEEK;

async function get(server: ReplayServer, pathAndQuery: string) {
  const res = await fetch(server.url + pathAndQuery);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

describe("replay server over the fixtures", () => {
  let server: ReplayServer;
  beforeAll(async () => {
    // The present is the last XBTUSDT minute + 30 s, 100 weeks later: the shift is exactly 100 weeks.
    server = await startReplayServer({
      dir: FIXTURES,
      nowAt: lastXbt,
      clock: () => lastXbt + SHIFT + 30_000,
    });
  });
  afterAll(() => server.close());

  it("shifts by whole weeks and serves every recorded XBTUSDT candle", async () => {
    expect(server.shiftSeconds).toBe(SHIFT / 1000);
    expect(server.symbols.sort()).toEqual(["ETHUSDT", "SOLUSDT", "XBTUSDT"]);
    const rows: unknown[] = [];
    for (let start = 0; ; ) {
      const { body } = await get(
        server,
        `/api/v3/klines?symbol=XBTUSDT&interval=1m&limit=1000&startTime=${start}`,
      );
      if (body.length === 0) break;
      rows.push(...body);
      start = body[body.length - 1][0] + 1;
    }
    expect(rows).toEqual(shifted(xbt, SHIFT));
  });

  it("reads a header row and drops the -PERP suffix (ETHUSDT-PERP csv -> ETHUSDT)", async () => {
    const { body } = await get(server, "/api/v3/klines?symbol=ETHUSDT&interval=1m&startTime=0");
    expect(body).toEqual(shifted(expected.klines.ETHUSDT, SHIFT));
  });

  it("withholds SOLUSDT (recorded in 2025, after the present) entirely", async () => {
    const { body } = await get(server, "/api/v3/klines?symbol=SOLUSDT&interval=1m&startTime=0");
    expect(body).toEqual([]);
  });

  it("follows Binance's startTime / endTime / limit rules", async () => {
    const q = (s: string) => get(server, `/api/v3/klines?symbol=XBTUSDT&interval=1m${s}`).then((r) => r.body);
    const all = shifted(xbt, SHIFT);
    expect(await q("")).toEqual(all.slice(-500)); // the latest 500
    expect(await q("&limit=5000")).toEqual(all.slice(-1000)); // capped at 1000
    expect(await q(`&startTime=${all[10][0]}&limit=3`)).toEqual(all.slice(10, 13));
    expect(await q(`&startTime=${all[10][0] + 1}&limit=3`)).toEqual(all.slice(11, 14));
    expect(await q(`&endTime=${all[10][0]}&limit=3`)).toEqual(all.slice(8, 11));
    expect(await q(`&startTime=${all[10][0]}&endTime=${all[12][0]}`)).toEqual(all.slice(10, 13));
    // A start inside the 30-minute halt answers from the first candle after it.
    const gapStart = expected.xbtGap.fromMs + SHIFT;
    const afterGap = await q(`&startTime=${gapStart}&limit=2`);
    expect(afterGap[0][0]).toBe(gapStart + 30 * MIN);
  });

  it("answers bad requests with Binance's error codes", async () => {
    const cases: [string, number, number][] = [
      ["/api/v3/klines?symbol=NOPEUSDT&interval=1m", 400, -1121],
      ["/api/v3/klines?interval=1m", 400, -1102],
      ["/api/v3/klines?symbol=XBTUSDT", 400, -1102],
      ["/api/v3/klines?symbol=XBTUSDT&interval=5m", 400, -1120],
      ["/api/v3/klines?symbol=XBTUSDT&interval=1m&startTime=2&endTime=1", 400, -1023],
      ["/api/v3/klines?symbol=XBTUSDT&interval=1m&startTime=abc", 400, -1100],
      ["/api/v3/klines?symbol=XBTUSDT&interval=1m&limit=0", 400, -1130],
      ["/api/v3/exchangeInfo?symbol=NOPEUSDT", 400, -1121],
      ["/api/v3/ticker/24hr?symbols=%5B%22NOPEUSDT%22%5D", 400, -1121],
      ["/api/v3/depth?symbol=XBTUSDT", 404, -1000],
    ];
    for (const [url, status, code] of cases) {
      const res = await get(server, url);
      expect([url, res.status, res.body.code, typeof res.body.msg]).toEqual([url, status, code, "string"]);
    }
  });

  it("answers ping, time and exchangeInfo in Binance's shape", async () => {
    expect((await get(server, "/api/v3/ping")).body).toEqual({});
    expect((await get(server, "/api/v3/time")).body).toEqual({ serverTime: lastXbt + SHIFT + 30_000 });
    const info = (await get(server, "/api/v3/exchangeInfo?symbol=XBTUSDT")).body;
    expect(info.timezone).toBe("UTC");
    expect(info.symbols).toHaveLength(1);
    const s = info.symbols[0];
    expect([s.symbol, s.status, s.baseAsset, s.quoteAsset]).toEqual(["XBTUSDT", "TRADING", "XBT", "USDT"]);
    const filters = Object.fromEntries(s.filters.map((f: { filterType: string }) => [f.filterType, f]));
    expect(filters.PRICE_FILTER.tickSize).toBe("0.01000000"); // prices recorded with 2 decimals
    expect(filters.LOT_SIZE.stepSize).toBe("0.00001000"); // volumes recorded with 5 decimals
    const every = (await get(server, "/api/v3/exchangeInfo")).body.symbols.map(
      (x: { symbol: string }) => x.symbol,
    );
    expect(every.sort()).toEqual(["ETHUSDT", "SOLUSDT", "XBTUSDT"]);
  });

  it("computes ticker/24hr exactly as Python's decimal reference does", async () => {
    expect(expected.ticker.nowMs + SHIFT).toBe(lastXbt + SHIFT + 30_000);
    const t = (await get(server, "/api/v3/ticker/24hr?symbol=XBTUSDT")).body;
    expect(t).toMatchObject(expected.ticker.XBTUSDT);
    expect([t.openTime, t.closeTime]).toEqual([
      expected.ticker.nowMs + SHIFT - 86_400_000,
      expected.ticker.nowMs + SHIFT,
    ]);
    server.advance(-30);
    try {
      const atOpen = (await get(server, "/api/v3/ticker/24hr?symbol=XBTUSDT")).body;
      expect(atOpen).toMatchObject(expected.tickerAtOpen.XBTUSDT);
    } finally {
      server.advance(30);
    }
    const both = (await get(server, '/api/v3/ticker/24hr?symbols=["XBTUSDT","ETHUSDT"]')).body;
    expect(both.map((x: { symbol: string }) => x.symbol)).toEqual(["XBTUSDT", "ETHUSDT"]);
    expect(both[1].volume).toBe("0.00000000"); // ETHUSDT's candles are more than a day old
  });

  it("injects faults through POST /__replay/fault, for the next N API requests", async () => {
    const post = (body: unknown) =>
      fetch(`${server.url}/__replay/fault`, { method: "POST", body: JSON.stringify(body) });
    expect((await post({ kind: "429", times: 2, retryAfterSec: 3 })).status).toBe(200);
    expect((await post({ kind: "malformed" })).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const r = await get(server, "/api/v3/ping");
      expect([r.status, r.headers.get("retry-after"), r.body.code]).toEqual([429, "3", -1003]);
    }
    const bad = await fetch(`${server.url}/api/v3/klines?symbol=XBTUSDT&interval=1m&limit=3`).then((r) =>
      r.text(),
    );
    expect(() => JSON.parse(bad)).toThrow();
    expect((await get(server, "/api/v3/ping")).status).toBe(200);
    for (const [kind, status] of [
      ["418", 418],
      ["451", 451],
      ["500", 500],
    ] as const) {
      server.setFault({ kind });
      const r = await get(server, "/api/v3/ping");
      expect([r.status, typeof r.body.msg]).toEqual([status, "string"]);
    }
    expect((await post({ kind: "teapot" })).status).toBe(400);
    await post({ kind: "500", times: 5 });
    await fetch(`${server.url}/__replay/fault`, { method: "DELETE" });
    expect((await get(server, "/api/v3/ping")).status).toBe(200);
  });

  it("holds a 'timeout' request for hangMs, then answers normally", async () => {
    server.setFault({ kind: "timeout", hangMs: 300 });
    const t0 = performance.now();
    const r = await get(server, "/api/v3/time");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(280);
    expect(r.status).toBe(200);
  });
});

describe("the present and live candles", () => {
  it("returns the still-open minute, withholds later ones and releases them as time passes", async () => {
    const at = xbt[1000][0];
    const server = await startReplayServer({
      dir: FIXTURES,
      nowAt: at + 30_000,
      clock: () => at + SHIFT + 30_000,
    });
    try {
      const latest = async () =>
        (await get(server, "/api/v3/klines?symbol=XBTUSDT&interval=1m&limit=2")).body;
      expect((await latest()).map((r: Row) => r[0])).toEqual([xbt[999][0] + SHIFT, at + SHIFT]);
      server.advance(60);
      expect((await latest()).map((r: Row) => r[0])).toEqual([at + SHIFT, xbt[1001][0] + SHIFT]);
      await fetch(`${server.url}/__replay/clock`, {
        method: "POST",
        body: JSON.stringify({ advanceSeconds: 120 }),
      });
      expect((await latest())[1][0]).toBe(xbt[1003][0] + SHIFT);
    } finally {
      await server.close();
    }
  });

  it("defaults the present to the last recorded minute: µs zip + csv of SOLUSDT, duplicates dropped", async () => {
    const lastSol = expected.klines.SOLUSDT.at(-1)[0];
    const server = await startReplayServer({ dir: FIXTURES, clock: () => lastSol + 3 * WEEK });
    try {
      expect(server.shiftSeconds).toBe((3 * WEEK) / 1000);
      const { body } = await get(server, "/api/v3/klines?symbol=SOLUSDT&interval=1m&startTime=0");
      expect(body).toEqual(shifted(expected.klines.SOLUSDT, 3 * WEEK));
    } finally {
      await server.close();
    }
  });

  it("shifts by the fewest whole weeks that put --now-at at or after the present minute", () => {
    const nowAt = Date.UTC(2024, 0, 15, 12, 0); // a Monday
    for (const days of [0, 0.5, 3, 6.9, 7, 400.2]) {
      const present = nowAt + days * 86_400_000;
      const shift = weekShiftMs(nowAt, present);
      expect(shift % WEEK).toBe(0);
      expect(new Date(nowAt + shift).getUTCDay()).toBe(1);
      expect(nowAt + shift).toBeGreaterThanOrEqual(Math.floor(present / MIN) * MIN);
      expect(nowAt + shift - present).toBeLessThan(WEEK);
    }
  });
});

describe("file names and folders", () => {
  it("takes the symbol before -1m-, upper-cased, without -PERP", () => {
    expect(symbolOfFile("/d/BTCUSDT-1m-2023-07.csv.gz")).toBe("BTCUSDT");
    expect(symbolOfFile("ETHUSDT-PERP-1m-2023-07.zip")).toBe("ETHUSDT");
    expect(symbolOfFile("solusdt-1m-2025-01-31.csv")).toBe("SOLUSDT");
    expect(symbolOfFile("BTCUSDT-5m-2023-07.csv")).toBeNull();
    expect(symbolOfFile("notes-1m-.txt")).toBeNull();
  });

  it("refuses a folder holding spot and -PERP files of one symbol", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "replay-"));
    try {
      const perp = path.join(FIXTURES, "ETHUSDT-PERP-1m-2024-01.csv");
      symlinkSync(perp, path.join(dir, "ETHUSDT-1m-2024-01.csv"));
      symlinkSync(perp, path.join(dir, "ETHUSDT-PERP-1m-2024-01.csv"));
      await expect(startReplayServer({ dir })).rejects.toThrow(/both spot and -PERP/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
