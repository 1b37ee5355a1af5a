// Public market data through ccxt, in the Worker and in Node. Exchange classes are imported one by one
// (ccxt's package root pulls in every exchange, ~15 MB and not tree-shakable) through the `ccxt-src/*`
// alias that tsconfig.json `paths` declares for ccxt's own modules: TypeScript, wrangler's esbuild and
// Vite/Vitest (`resolve.tsconfigPaths`) all read it.

import type { Exchange } from "ccxt-src/base/Exchange.js";
import { DECIMAL_PLACES, TICK_SIZE } from "ccxt-src/base/functions/number.js";
import type { MarketInterface as Market } from "ccxt-src/base/types.js";
import binance from "ccxt-src/binance.js";
import binanceus from "ccxt-src/binanceus.js";
import type { Candle } from "../../core/candles/types";
import { isKnownCcxtExchange } from "../../core/ccxt-exchanges";
import { ExchangeError, type LastResponse, toExchangeError } from "./exchange-errors";

export type { Exchange } from "ccxt-src/base/Exchange.js";
export { isKnownCcxtExchange } from "../../core/ccxt-exchanges";
export {
  ExchangeError,
  type ExchangeErrorKind,
  parseRetryAfter,
  type RetryOptions,
  withRetry,
} from "./exchange-errors";

/** Exchanges whose ccxt class is bundled. Each one costs bundle size; binanceus is a small subclass. */
const BUNDLED = { binance, binanceus } as const;
export type SupportedExchangeId = keyof typeof BUNDLED;
export const SUPPORTED_EXCHANGES = Object.keys(BUNDLED) as SupportedExchangeId[];
export const DEFAULT_EXCHANGE: SupportedExchangeId = "binance";

export const DEFAULT_TIMEOUT_MS = 10_000;
/** Binance serves at most 1000 klines a request. */
export const MAX_CANDLES_PER_REQUEST = 1000;
const MINUTE_SEC = 60;

export function isSupportedExchange(id: string): id is SupportedExchangeId {
  return Object.hasOwn(BUNDLED, id);
}

export interface ExchangeOptions {
  /** EXCHANGE_BASE_URL: every public REST URL of the exchange is moved to this origin (paths kept). */
  baseUrl?: string;
  timeoutMs?: number;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

/** The status of the last answer each instance got, kept by its fetch wrapper; see toExchangeError. */
const lastResponses = new WeakMap<Exchange, LastResponse | null>();

/** "https://api.binance.com/api/v3" -> base + "/api/v3", through nested url tables. */
function moveUrls<T>(urls: T, base: string): T {
  if (typeof urls === "string") return urls.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]+/i, base) as T;
  if (urls && typeof urls === "object") {
    return Object.fromEntries(Object.entries(urls).map(([k, v]) => [k, moveUrls(v, base)])) as T;
  }
  return urls;
}

/**
 * A ccxt instance for public market data: spot markets only (so loadMarkets never calls the futures,
 * margin or wallet hosts), rate limiting on, and every request through a fetch that records the HTTP
 * status and Retry-After of each answer for error classification.
 */
export function createExchange(exchangeId: string = DEFAULT_EXCHANGE, opts: ExchangeOptions = {}): Exchange {
  if (!isSupportedExchange(exchangeId)) {
    const why = isKnownCcxtExchange(exchangeId)
      ? "is a ccxt exchange but is not bundled"
      : "is not a ccxt exchange";
    throw new RangeError(`exchange "${exchangeId}" ${why}; supported: ${SUPPORTED_EXCHANGES.join(", ")}`);
  }
  const exchange: Exchange = new BUNDLED[exchangeId]({
    enableRateLimit: true,
    timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    options: {
      defaultType: "spot",
      fetchMarkets: { types: ["spot"] },
      fetchCurrencies: false,
      fetchMargins: false,
    },
  });
  if (opts.baseUrl) exchange.urls.api = moveUrls(exchange.urls.api, opts.baseUrl.replace(/\/+$/, ""));
  const baseFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  exchange.fetchImplementation = async (url: string, init: RequestInit) => {
    lastResponses.set(exchange, null);
    const res = await baseFetch(url, {
      method: init.method,
      headers: init.headers,
      body: init.body,
      signal: init.signal,
    });
    lastResponses.set(exchange, { status: res.status, retryAfter: res.headers.get("retry-after") });
    return res;
  };
  // ccxt hands back the raw text of an answer that is not JSON, which fetchOHLCV then reads as "no
  // candles": a successful answer that does not parse is an unreadable answer, not an empty one.
  const parseJson = exchange.parseJson.bind(exchange);
  exchange.parseJson = (text: string) => {
    const value = parseJson(text);
    const status = lastResponses.get(exchange)?.status ?? 0;
    if (value === undefined && text.length > 0 && status >= 200 && status < 300) {
      const head = text.length > 60 ? `${text.slice(0, 60)}...` : text;
      throw new ExchangeError(
        "bad_response",
        `${exchange.id} sent invalid JSON (${text.length} bytes: ${head})`,
        {
          status,
        },
      );
    }
    return value;
  };
  return exchange;
}

/** Wraps anything a call on `exchange` threw into an ExchangeError (using its last HTTP status). */
export function exchangeError(exchange: Exchange, err: unknown): ExchangeError {
  return toExchangeError(err, exchange.id, lastResponses.get(exchange) ?? null);
}

async function loadSpotMarkets(exchange: Exchange): Promise<Record<string, Market | undefined>> {
  if (exchange.markets && Object.keys(exchange.markets).length > 0) return exchange.markets;
  // reload: ccxt keeps a failed loadMarkets promise and would replay its rejection forever.
  const markets = await exchange.loadMarkets(true);
  if (!markets || Object.keys(markets).length === 0) {
    throw new ExchangeError("bad_response", `${exchange.id} listed no spot markets`);
  }
  return markets;
}

/** The spot market of an instrument symbol such as "BTCUSDT" (ccxt calls it "BTC/USDT"). */
export async function resolveMarket(exchange: Exchange, instrument: string): Promise<Market> {
  const markets = await loadSpotMarkets(exchange);
  const id = instrument.toUpperCase();
  const spot = (m: Market | undefined): m is Market => m?.spot === true;
  const byId: (Market | undefined)[] = exchange.markets_by_id?.[id] ?? [];
  const market =
    byId.find(spot) ??
    Object.values(markets).find((m) => spot(m) && `${m.base}${m.quote}` === id) ??
    (spot(markets[instrument]) ? markets[instrument] : undefined);
  if (!market) throw new ExchangeError("bad_symbol", `${exchange.id} has no spot market for ${instrument}`);
  return market;
}

/**
 * The market's price tick from ccxt's precision: the tick itself where the exchange counts in ticks
 * (Binance's PRICE_FILTER), 10^-places where it counts decimal places; null when ccxt has none.
 */
export function priceTick(exchange: Exchange, market: Market): number | null {
  const p = market.precision?.price;
  if (typeof p !== "number" || !Number.isFinite(p)) return null;
  if (exchange.precisionMode === TICK_SIZE) return p > 0 ? p : null;
  if (exchange.precisionMode === DECIMAL_PLACES && Number.isInteger(p) && p >= 0) return 10 ** -p;
  return null;
}

/** Rows from fetchOHLCV as candles; anything that is not six finite numbers is an unreadable answer. */
function toCandles(exchange: Exchange, rows: unknown): Candle[] {
  if (!Array.isArray(rows))
    throw new ExchangeError("bad_response", `${exchange.id} sent klines that are not a list`);
  return rows.map((row) => {
    const ok = Array.isArray(row) && row.length >= 6 && row.slice(0, 6).every((v) => Number.isFinite(v));
    if (!ok || row[0] % (MINUTE_SEC * 1000) !== 0) {
      throw new ExchangeError(
        "bad_response",
        `${exchange.id} sent a malformed kline: ${JSON.stringify(row).slice(0, 120)}`,
      );
    }
    return { time: row[0] / 1000, open: row[1], high: row[2], low: row[3], close: row[4], volume: row[5] };
  });
}

/**
 * One request: up to `limit` closed 1m candles with time >= sinceSec, i.e. opened at least a minute
 * before nowSec (the still-open minute is left out), sorted and without duplicate times. Callers page
 * by asking again from the last time + 60. Throws ExchangeError.
 */
export async function fetchClosedCandles(
  exchange: Exchange,
  symbol: string,
  sinceSec: number,
  nowSec: number,
  limit = MAX_CANDLES_PER_REQUEST,
): Promise<Candle[]> {
  const lastOpen = Math.floor(nowSec / MINUTE_SEC) * MINUTE_SEC - MINUTE_SEC; // the last closed minute
  if (sinceSec > lastOpen) return [];
  try {
    const market = await resolveMarket(exchange, symbol);
    const count = Math.min(limit, MAX_CANDLES_PER_REQUEST);
    const rows = await exchange.fetchOHLCV(market.symbol, "1m", sinceSec * 1000, count, {
      until: lastOpen * 1000,
    });
    const closed = toCandles(exchange, rows)
      .filter((c) => c.time >= sinceSec && c.time + MINUTE_SEC <= nowSec)
      .sort((a, b) => a.time - b.time);
    return closed.filter((c, i) => i === 0 || closed[i - 1].time !== c.time);
  } catch (e) {
    throw exchangeError(exchange, e);
  }
}
