// The replay exchange over the real year of BTCUSDT (and the ETHUSDT-PERP quarter): load time, exact
// candles against the project's own CSV parser, and the speed of a 1000-candle klines page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Candle } from "../../core/candles/types";
import { loadCandles, sampleDataDir } from "../../scripts/lib/binance-files";
import { type ReplayServer, startReplayServer } from "../../scripts/replay/server";

const dir = sampleDataDir();
const WEEK = 604_800_000;
const YEAR_ROWS = 527_040;

// Skipped when the sample data folder (../shared/data/binance or $MONEYMONEY_SAMPLE_DATA) is absent.
describe.skipIf(!dir)("replay over the real Binance sample data", () => {
  let server: ReplayServer;
  let days: Candle[];
  beforeAll(async () => {
    const lastRecorded = Date.UTC(2024, 5, 30, 23, 59);
    server = await startReplayServer({ dir: dir!, clock: () => lastRecorded + 80 * WEEK + 30_000 });
    // Three days of March 2024 (from 2024-03-10 00:00 UTC), read by the project's own CSV parser.
    const from = Date.UTC(2024, 2, 10) / 1000;
    days = loadCandles(dir!, /^BTCUSDT-1m-2024-03\.csv\.gz$/).filter(
      (c) => c.time >= from && c.time < from + 3 * 86_400,
    );
    console.log(`replay: loaded ${server.symbols.join(", ")} in ${server.loadMs.toFixed(0)} ms`);
  });
  afterAll(() => server?.close());

  it("loads the year of BTCUSDT and the ETHUSDT-PERP quarter in a few seconds", () => {
    expect(server.market.series.get("BTCUSDT")?.openMs.length).toBe(YEAR_ROWS);
    expect(server.market.series.get("ETHUSDT")?.openMs.length).toBe(132_480);
    expect(server.shiftSeconds).toBe((80 * WEEK) / 1000);
    expect(server.loadMs).toBeLessThan(20_000);
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

  it("answers 1000-candle pages from anywhere in the year (prints the median time of 100)", async () => {
    const s = server.market.series.get("BTCUSDT")!;
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      const at = s.openMs[Math.floor(((i * 7919) % 997) * (YEAR_ROWS / 1000))] + server.market.shiftMs;
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
