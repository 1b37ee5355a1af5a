// ccxt's binance really talking to the replay exchange: markets, closed candles, paging, the future.

import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Candle } from "../../core/candles/types";
import { type ReplayServer, startReplayServer } from "../../scripts/replay/server";
import {
  createExchange,
  ExchangeError,
  fetchClosedCandles,
  resolveMarket,
} from "../../worker/market/exchange";
import { realCandles, realKlineFile } from "../helpers/real-data";
import { REPLAY_FIXTURES } from "../helpers/replay-fixtures";

const FIXTURES = REPLAY_FIXTURES;
const WEEK_SEC = 604_800;

/** XBTUSDT as recorded (read with a plain split): 2100 rows, a 30-minute halt after the 1500th. */
const xbt: Candle[] = gunzipSync(readFileSync(path.join(FIXTURES, "XBTUSDT-1m-2024-01.csv.gz")))
  .toString()
  .trim()
  .split("\n")
  .map((line) => {
    const f = line.split(",").map(Number);
    return { time: f[0] / 1000, open: f[1], high: f[2], low: f[3], close: f[4], volume: f[5] };
  });
const shifted = (candles: Candle[], shiftSec: number) =>
  candles.map((c) => ({ ...c, time: c.time + shiftSec }));

describe("fetchClosedCandles against the replay of the fixtures", () => {
  // The present: 30 s into the recorded minute xbt[2000], 50 weeks later.
  const present = xbt[2000].time + 30;
  const shift = 50 * WEEK_SEC;
  const nowSec = present + shift;
  let server: ReplayServer;
  const requests: string[] = [];
  beforeAll(async () => {
    server = await startReplayServer({
      dir: FIXTURES,
      nowAt: present * 1000,
      clock: () => nowSec * 1000,
      verbose: true,
      log: (line) => requests.push(line),
    });
  });
  afterAll(() => server.close());

  it("loads spot markets from /api/v3/exchangeInfo alone and maps BTCUSDT-style symbols", async () => {
    const exchange = createExchange("binance", { baseUrl: server.url });
    // ccxt renames the XBT asset to BTC: the instrument is found by the exchange's own id.
    const market = await resolveMarket(exchange, "XBTUSDT");
    expect([market.symbol, market.id, market.spot]).toEqual(["BTC/USDT", "XBTUSDT", true]);
    expect((await resolveMarket(exchange, "ethusdt")).symbol).toBe("ETH/USDT");
    expect(Object.keys(exchange.markets ?? {}).sort()).toEqual(["BTC/USDT", "ETH/USDT", "SOL/USDT"]);
    expect(requests.map((r) => r.split(" ").slice(0, 2).join(" "))).toEqual(["GET /api/v3/exchangeInfo"]);
    await expect(resolveMarket(exchange, "DOGEUSDT")).rejects.toMatchObject({ kind: "bad_symbol" });
  });

  it("returns the recorded candles, shifted, in pages of 1000 across the halt", async () => {
    const exchange = createExchange("binance", { baseUrl: server.url });
    expect(server.shiftSeconds).toBe(shift);
    const pages: Candle[][] = [];
    let since = xbt[0].time + shift;
    for (;;) {
      const page = await fetchClosedCandles(exchange, "XBTUSDT", since, nowSec);
      if (page.length === 0) break;
      pages.push(page);
      since = page[page.length - 1].time + 60;
    }
    expect(pages.map((p) => p.length)).toEqual([1000, 1000]);
    // Closed candles only: xbt[2000] is the still-open minute.
    expect(pages.flat()).toEqual(shifted(xbt.slice(0, 2000), shift));
    expect(pages[1][499].time + 60 + 30 * 60).toBe(pages[1][500].time); // the halt leaves a gap
  });

  it("never returns the still-open minute or the future, although the exchange sends the open one", async () => {
    const exchange = createExchange("binance", { baseUrl: server.url });
    const since = nowSec - 600;
    await exchange.loadMarkets();
    const raw = await exchange.fetchOHLCV("BTC/USDT", "1m", since * 1000, 50);
    expect(raw.at(-1)?.[0]).toBe((xbt[2000].time + shift) * 1000); // the exchange's open minute
    const closed = await fetchClosedCandles(exchange, "XBTUSDT", since, nowSec);
    expect(closed.at(-1)?.time).toBe(xbt[1999].time + shift);
    expect(closed.every((c) => c.time + 60 <= nowSec && c.time >= since)).toBe(true);
    // A caller whose clock is behind the exchange's sees even less.
    const earlier = await fetchClosedCandles(exchange, "XBTUSDT", since, nowSec - 300);
    expect(earlier.at(-1)?.time).toBe(xbt[1994].time + shift);
    expect(await fetchClosedCandles(exchange, "XBTUSDT", nowSec - 30, nowSec)).toEqual([]);
    // Candles come as time moves on.
    server.advance(60);
    const later = await fetchClosedCandles(exchange, "XBTUSDT", since, nowSec + 60);
    expect(later.at(-1)?.time).toBe(xbt[2000].time + shift);
    server.advance(-60);
  });

  it("honours a smaller limit and an unaligned since", async () => {
    const exchange = createExchange("binance", { baseUrl: server.url });
    const page = await fetchClosedCandles(exchange, "XBTUSDT", xbt[10].time + shift - 59, nowSec, 5);
    expect(page).toEqual(shifted(xbt.slice(10, 15), shift));
  });

  it("throws ExchangeError bad_symbol for a symbol the exchange does not list", async () => {
    const exchange = createExchange("binance", { baseUrl: server.url });
    const err = await fetchClosedCandles(exchange, "NOPEUSDT", 0, nowSec).catch((e) => e);
    expect(err).toBeInstanceOf(ExchangeError);
    expect(err.kind).toBe("bad_symbol");
  });
});

describe("fetchClosedCandles over the real BTCUSDT recording", () => {
  it("returns a recorded day exactly, in two requests, and withholds what follows", async () => {
    const day = Date.UTC(2024, 1, 29) / 1000; // 2024-02-29, a leap day
    const files = [realKlineFile("BTCUSDT")];
    const recorded = realCandles("BTCUSDT").filter((c) => c.time >= day && c.time < day + 86_400);
    const present = day + 86_400 + 15; // 15 s into 2024-03-01 00:00, with ten days of March recorded after it
    const shiftSec = 30 * WEEK_SEC;
    const now = present + shiftSec;
    const server = await startReplayServer({ files, nowAt: present * 1000, clock: () => now * 1000 });
    try {
      const exchange = createExchange("binance", { baseUrl: server.url });
      const first = await fetchClosedCandles(exchange, "BTCUSDT", day + shiftSec, now);
      const second = await fetchClosedCandles(exchange, "BTCUSDT", first.at(-1)!.time + 60, now);
      expect([first.length, second.length]).toEqual([1000, 440]);
      expect([...first, ...second]).toEqual(shifted(recorded, shiftSec));
      const raw = await exchange.fetchOHLCV("BTC/USDT", "1m", (now - 600) * 1000, 1000);
      expect(raw.at(-1)?.[0]).toBe((day + 86_400 + shiftSec) * 1000); // the open minute, then nothing
    } finally {
      await server.close();
    }
  });
});
