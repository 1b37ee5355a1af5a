// The bundled exchange registry against the full ccxt package, and how createExchange configures ccxt.
import ccxt from "ccxt";
import { describe, expect, it } from "vitest";
import { CCXT_EXCHANGE_IDS } from "../../core/ccxt-exchanges";
import { createExchange, isKnownCcxtExchange, SUPPORTED_EXCHANGES } from "../../worker/market/exchange";

/** Every string in a nested url table. */
function urlsOf(table: unknown): string[] {
  if (typeof table === "string") return [table];
  if (table && typeof table === "object") return Object.values(table).flatMap(urlsOf);
  return [];
}

describe("exchange registry", () => {
  it("knows exactly ccxt's exchange ids without importing ccxt (the static list cannot drift)", () => {
    expect([...CCXT_EXCHANGE_IDS]).toEqual(ccxt.exchanges);
    for (const id of ccxt.exchanges) expect([id, isKnownCcxtExchange(id)]).toEqual([id, true]);
    for (const id of ["", "binance2", "Binance", "constructor", "__proto__"])
      expect(isKnownCcxtExchange(id)).toBe(false);
  });

  it("bundles real ccxt classes, Binance first", () => {
    expect(SUPPORTED_EXCHANGES[0]).toBe("binance");
    for (const id of SUPPORTED_EXCHANGES) {
      expect(ccxt.exchanges).toContain(id);
      const exchange = createExchange(id);
      expect(exchange.id).toBe(id);
      expect(exchange).toBeInstanceOf((ccxt as unknown as Record<string, new () => object>)[id]);
    }
  });

  it("refuses unknown and unbundled exchanges with a message that tells them apart", () => {
    expect(() => createExchange("kraken")).toThrow(
      /kraken" is a ccxt exchange but is not bundled; supported: binance/,
    );
    expect(() => createExchange("mtgox")).toThrow(/mtgox" is not a ccxt exchange/);
    expect(() => createExchange("constructor")).toThrow(/not a ccxt exchange/);
  });
});

describe("createExchange", () => {
  it("defaults to Binance's real hosts, spot markets only, rate limiting on", () => {
    const exchange = createExchange();
    expect(exchange.id).toBe("binance");
    expect(exchange.urls.api.public).toBe("https://api.binance.com/api/v3");
    expect(exchange.enableRateLimit).toBe(true);
    expect(exchange.options.fetchMarkets.types).toEqual(["spot"]);
    expect(exchange.timeout).toBe(10_000);
    expect(createExchange("binance", { timeoutMs: 1234 }).timeout).toBe(1234);
  });

  it("moves every REST URL to EXCHANGE_BASE_URL, keeping the paths", () => {
    const exchange = createExchange("binance", { baseUrl: "http://127.0.0.1:9100/" });
    const urls = urlsOf(exchange.urls.api);
    expect(urls.length).toBeGreaterThan(20);
    for (const url of urls) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:9100\/[a-z]/);
    expect(exchange.urls.api.public).toBe("http://127.0.0.1:9100/api/v3");
    expect(exchange.urls.api.fapiPublic).toBe("http://127.0.0.1:9100/fapi/v1");
    // The market-data host that Binance suggests where api.binance.com answers 451.
    const vision = createExchange("binance", { baseUrl: "https://data-api.binance.vision" });
    expect(vision.urls.api.public).toBe("https://data-api.binance.vision/api/v3");
  });

  it("sends requests through the fetch it is given", async () => {
    const seen: string[] = [];
    const fake = async (input: RequestInfo | URL) => {
      seen.push(String(input));
      return new Response(JSON.stringify({ serverTime: 1_700_000_000_000 }), { status: 200 });
    };
    const exchange = createExchange("binance", {
      baseUrl: "http://replay.test",
      fetch: fake as typeof fetch,
    });
    expect(await exchange.fetchTime()).toBe(1_700_000_000_000);
    expect(seen).toEqual(["http://replay.test/api/v3/time"]);
  });
});
