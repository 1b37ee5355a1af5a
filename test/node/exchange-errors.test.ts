// Every fault the replay can inject, through ccxt, lands as the right ExchangeError; withRetry obeys it.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Fault } from "../../scripts/replay/faults";
import { type ReplayServer, startReplayServer } from "../../scripts/replay/server";
import {
  createExchange,
  type Exchange,
  ExchangeError,
  fetchClosedCandles,
  parseRetryAfter,
  resolveMarket,
  withRetry,
} from "../../worker/market/exchange";
import { REPLAY_FIXTURES } from "../helpers/replay-fixtures";

const FIXTURES = REPLAY_FIXTURES;
const XBT_FIRST = 1704067200; // 2024-01-01T00:00Z, the first fixture minute
const present = XBT_FIRST + 1000 * 60 + 30;
/** The client timeout while a "timeout" fault hangs; other requests get ccxt's default (a loaded CI box is slow). */
const SHORT_TIMEOUT_MS = 300;
const WEEK = 604_800;

let server: ReplayServer;
let nowSec: number;
let since: number;
beforeAll(async () => {
  // The present plays the recorded minute `present` (ten weeks on), 1000 closed candles after the first.
  server = await startReplayServer({
    dir: FIXTURES,
    nowAt: present * 1000,
    clock: () => (present + 10 * WEEK) * 1000,
  });
  nowSec = Math.floor(server.market.now() / 1000);
  since = XBT_FIRST + server.shiftSeconds;
});
afterAll(() => server.close());
beforeEach(() => server.setFault(null));

/** An exchange whose markets are loaded, so that an injected fault hits the klines request. */
async function readyExchange(faults: Fault[] = []): Promise<Exchange> {
  const exchange = createExchange("binance", { baseUrl: server.url });
  await resolveMarket(exchange, "XBTUSDT");
  if (faults.some((f) => f.kind === "timeout")) exchange.timeout = SHORT_TIMEOUT_MS;
  for (const f of faults) server.setFault(f);
  return exchange;
}

async function failure(fault: Fault): Promise<ExchangeError> {
  const exchange = await readyExchange([fault]);
  const err = await fetchClosedCandles(exchange, "XBTUSDT", since, nowSec).then(
    () => null,
    (e) => e,
  );
  expect(err).toBeInstanceOf(ExchangeError);
  return err;
}

describe("fault -> ExchangeError", () => {
  it("429 is rate_limited with the Retry-After the answer carried", async () => {
    const err = await failure({ kind: "429", retryAfterSec: 7 });
    expect([err.kind, err.retryAfterSec, err.status, err.retryable]).toEqual(["rate_limited", 7, 429, true]);
    expect(err.message).toMatch(/retry after 7 s/);
  });

  it("418 is banned, never retryable", async () => {
    const err = await failure({ kind: "418", retryAfterSec: 120 });
    expect([err.kind, err.retryAfterSec, err.retryable]).toEqual(["banned", 120, false]);
    expect(err.message).toMatch(/stop sending requests/);
  });

  it("451 is region_blocked and points at the market-data host", async () => {
    const err = await failure({ kind: "451" });
    expect([err.kind, err.retryable]).toEqual(["region_blocked", false]);
    expect(err.message).toContain("EXCHANGE_BASE_URL=https://data-api.binance.vision");
  });

  it("500 is unavailable", async () => {
    const err = await failure({ kind: "500" });
    expect([err.kind, err.status, err.retryable]).toEqual(["unavailable", 500, true]);
  });

  it("an answer slower than the client's timeout is timeout", async () => {
    const err = await failure({ kind: "timeout", hangMs: 5_000 });
    expect([err.kind, err.retryable]).toEqual(["timeout", true]);
  });

  it("truncated JSON is bad_response, not an empty page", async () => {
    const err = await failure({ kind: "malformed" });
    expect([err.kind, err.status]).toEqual(["bad_response", 200]);
  });

  it("a refused connection is unavailable", async () => {
    const closed = await startReplayServer({ dir: FIXTURES });
    const url = closed.url;
    await closed.close();
    const exchange = createExchange("binance", { baseUrl: url });
    const err = await fetchClosedCandles(exchange, "XBTUSDT", since, nowSec).catch((e) => e);
    expect(err.kind).toBe("unavailable");
  });

  it("a failed loadMarkets is not cached: the next call loads them again", async () => {
    const exchange = createExchange("binance", { baseUrl: server.url });
    server.setFault({ kind: "500" });
    await expect(fetchClosedCandles(exchange, "XBTUSDT", since, nowSec)).rejects.toMatchObject({
      kind: "unavailable",
    });
    server.setFault({ kind: "malformed" });
    await expect(fetchClosedCandles(exchange, "XBTUSDT", since, nowSec)).rejects.toMatchObject({
      kind: "bad_response",
    });
    expect(await fetchClosedCandles(exchange, "XBTUSDT", since, nowSec)).toHaveLength(1000);
  });
});

describe("withRetry", () => {
  /** Runs fetchClosedCandles under withRetry with a fake sleep that records the waits. */
  async function retried(faults: Fault[], retries = 3) {
    const exchange = await readyExchange(faults);
    const waits: number[] = [];
    let calls = 0;
    const run = withRetry(
      () => {
        calls++;
        return fetchClosedCandles(exchange, "XBTUSDT", since, nowSec);
      },
      { retries, baseDelayMs: 100, maxDelayMs: 10_000, sleep: async (ms) => void waits.push(ms) },
    );
    const result = await run.then(
      (candles) => ({ candles, error: null }),
      (error: ExchangeError) => ({ candles: null, error }),
    );
    return { ...result, waits, calls };
  }

  it("retries 5xx, timeouts and bad answers with exponential backoff, then succeeds", async () => {
    const r = await retried([{ kind: "500" }, { kind: "timeout", hangMs: 2_000 }, { kind: "malformed" }]);
    expect([r.calls, r.waits, r.candles?.length]).toEqual([4, [100, 200, 400], 1000]);
  });

  it("waits exactly Retry-After after a 429", async () => {
    const r = await retried([{ kind: "429", retryAfterSec: 3 }]);
    expect([r.calls, r.waits, r.candles?.length]).toEqual([2, [3000], 1000]);
  });

  it("gives up after `retries` retries with the last error", async () => {
    const r = await retried([{ kind: "500", times: 10 }], 2);
    expect([r.calls, r.waits, r.error?.kind]).toEqual([3, [100, 200], "unavailable"]);
  });

  it("throws at once a Retry-After longer than maxDelayMs (the caller reschedules)", async () => {
    const r = await retried([{ kind: "429", retryAfterSec: 60 }]);
    expect([r.calls, r.waits, r.error?.kind, r.error?.retryAfterSec]).toEqual([1, [], "rate_limited", 60]);
  });

  it("never retries 418, 451 or an unknown symbol", async () => {
    for (const kind of ["418", "451"] as const) {
      const r = await retried([{ kind }]);
      expect([r.calls, r.waits]).toEqual([1, []]);
    }
    const exchange = await readyExchange();
    let calls = 0;
    const err = await withRetry(() => {
      calls++;
      return fetchClosedCandles(exchange, "NOPEUSDT", since, nowSec);
    }).catch((e) => e);
    expect([calls, err.kind]).toEqual([1, "bad_symbol"]);
  });

  it("classifies plain throws by their ccxt class", async () => {
    const err = await withRetry(() => Promise.reject(new Error("boom")), { retries: 0 }).catch((e) => e);
    expect(err).toBeInstanceOf(ExchangeError);
    expect(err.kind).toBe("bad_response");
  });
});

describe("parseRetryAfter", () => {
  it("reads delta-seconds and HTTP dates", () => {
    expect(parseRetryAfter("120")).toBe(120);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", Date.UTC(2015, 9, 21, 7, 28, 0))).toBe(30);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
  });
});
