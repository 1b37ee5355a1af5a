// The replay exchange over the committed real weeks of BTCUSDT and the ETHUSDT-PERP (spot rows without
// a header, futures rows after one): exact candles against the project's own CSV parser, and the speed
// of a 1000-candle klines page. The chart and backfill benches replay the whole year.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Candle } from "../../core/candles/types";
import { loadCandles } from "../../scripts/lib/binance-files";
import { type ReplayServer, startReplayServer } from "../../scripts/replay/server";
import { realCandles, realKlineDir, realSeries } from "../helpers/real-data";

const WEEK = 604_800_000;
const BTC_ROWS = 28 * 1440;

describe("replay over the real Binance weeks", () => {
  let server: ReplayServer;
  let days: Candle[];
  beforeAll(async () => {
    const lastRecorded = realSeries("BTCUSDT").toSec * 1000 - 60_000;
    server = await startReplayServer({ dir: realKlineDir(), clock: () => lastRecorded + 80 * WEEK + 30_000 });
    // Three days from 2024-03-01 00:00 UTC, read back from the dump file by the project's own CSV parser.
    const from = Date.UTC(2024, 2, 1) / 1000;
    days = loadCandles(realKlineDir(), /^BTCUSDT-1m-/).filter(
      (c) => c.time >= from && c.time < from + 3 * 86_400,
    );
    console.log(`replay: loaded ${server.symbols.join(", ")} in ${server.loadMs.toFixed(0)} ms`);
  });
  afterAll(() => server?.close());

  it("loads the BTCUSDT weeks and the ETHUSDT-PERP weeks (after its header row), whole and in order", () => {
    expect(server.market.series.get("BTCUSDT")?.openMs.length).toBe(BTC_ROWS);
    const eth = server.market.series.get("ETHUSDT")?.openMs ?? [];
    expect(eth.length).toBe(realCandles("ETHUSDT-PERP").length);
    expect(eth[0]).toBe(realSeries("ETHUSDT-PERP").fromSec * 1000);
    expect(server.shiftSeconds).toBe((80 * WEEK) / 1000);
    expect(server.loadMs).toBeLessThan(5_000);
  });

  it("serves three days exactly as recorded, shifted by whole weeks, in pages of 1000", async () => {
    const shiftSec = server.shiftSeconds;
    const got: Candle[] = [];
    let start = (days[0].time + shiftSec) * 1000;
    const end = (days[days.length - 1].time + shiftSec) * 1000;
    while (start <= end) {
      const url = `${server.url}/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1000&startTime=${start}&endTime=${end}`;
      const rows: [number, string, string, string, string, string, number][] = await (
        await fetch(url)
      ).json();
      expect(rows.length).toBeLessThanOrEqual(1000);
      for (const r of rows) {
        expect(r[6] - r[0]).toBe(59_999);
        got.push({
          time: r[0] / 1000 - shiftSec,
          open: +r[1],
          high: +r[2],
          low: +r[3],
          close: +r[4],
          volume: +r[5],
        });
      }
      start = rows[rows.length - 1][0] + 60_000;
    }
    expect(got.length).toBe(3 * 1440);
    expect(got).toEqual(days);
  });

  it("answers 1000-candle pages from anywhere in the weeks (prints the median time of 100)", async () => {
    const s = server.market.series.get("BTCUSDT")!;
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      const at =
        s.openMs[Math.floor(((i * 7919) % 997) * ((BTC_ROWS - 1000) / 1000))] + server.market.shiftMs;
      const t0 = performance.now();
      const res = await fetch(
        `${server.url}/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1000&startTime=${at}`,
      );
      const rows: number[][] = await res.json();
      times.push(performance.now() - t0);
      expect(rows[0][0]).toBe(at);
    }
    times.sort((a, b) => a - b);
    const median = times[times.length / 2];
    // A figure for the report, not a pass mark: the machine's load swings it by an order of magnitude.
    console.log(
      `replay: 1000-candle klines page, median ${median.toFixed(2)} ms over ${times.length} requests`,
    );
  });
});
