// Binance spot public REST answers (/api/v3/...) over the generated market, in the replay's shapes.
import { type ApiAnswer, answerBinance, BinanceError, klinesQuery, mandatory } from "../replay/binance-query";
import { exchangeInfoOf, symbolEntry } from "../replay/exchange-info";
import type { KlineRow } from "../replay/series";
import { DAY_MS, MINUTE_MS, type SimCandle, type SimMarket } from "./generator";

export interface SimExchange {
  symbol: string;
  market: SimMarket;
  now(): number;
}

/**
 * The candle as it stands at `nowMs`: a finished minute whole; the still-open one only as far as it has
 * gone (close moved that share of the way, highs and lows of what has been seen, volume so far), so the
 * API never shows a minute's final close before the minute ends.
 */
export function asOf(sim: SimExchange, c: SimCandle, nowMs: number): SimCandle {
  const f = (nowMs - c.openMs) / MINUTE_MS;
  if (f >= 1) return c;
  const decimals = sim.market.params.priceDecimals;
  const close = Number((c.open + (c.close - c.open) * Math.max(0, f)).toFixed(decimals));
  const share = (x: number, d: number) => Number((x * Math.max(0, f)).toFixed(d));
  const vd = sim.market.params.volumeDecimals;
  return {
    ...c,
    close,
    high: Math.max(c.open, close),
    low: Math.min(c.open, close),
    volume: share(c.volume, vd),
    quoteVolume: c.quoteVolume * Math.max(0, f),
    trades: Math.round(c.trades * Math.max(0, f)),
    takerBuyVolume: share(c.takerBuyVolume, vd),
    takerBuyQuoteVolume: c.takerBuyQuoteVolume * Math.max(0, f),
  };
}

function row(sim: SimExchange, c: SimCandle): KlineRow {
  const p = (x: number) => sim.market.priceString(x);
  const v = (x: number) => sim.market.volumeString(x);
  const q = (x: number) => x.toFixed(8);
  return [
    c.openMs,
    p(c.open),
    p(c.high),
    p(c.low),
    p(c.close),
    v(c.volume),
    c.openMs + MINUTE_MS - 1,
    q(c.quoteVolume),
    c.trades,
    v(c.takerBuyVolume),
    q(c.takerBuyQuoteVolume),
    "0",
  ];
}

function checkSymbol(sim: SimExchange, symbol: string | null): void {
  if (!symbol) throw mandatory("symbol");
  if (symbol.toUpperCase() !== sim.symbol) throw new BinanceError(400, -1121, "Invalid symbol.");
}

/** Binance's klines semantics over an endless minute grid; nothing after the present minute exists yet. */
export function simKlines(sim: SimExchange, q: URLSearchParams): KlineRow[] {
  checkSymbol(sim, q.get("symbol"));
  const { startTime, endTime, limit } = klinesQuery(q);
  const present = Math.floor(sim.now() / MINUTE_MS) * MINUTE_MS;
  const last = Math.min(present, Math.floor((endTime ?? present) / MINUTE_MS) * MINUTE_MS);
  let first: number;
  if (startTime !== undefined) first = Math.ceil(startTime / MINUTE_MS) * MINUTE_MS;
  else first = last - (limit - 1) * MINUTE_MS;
  const count = Math.min(limit, Math.floor((last - first) / MINUTE_MS) + 1);
  if (count <= 0) return [];
  const now = sim.now();
  return sim.market.range(first, count).map((c) => row(sim, asOf(sim, c, now)));
}

function ticker(sim: SimExchange) {
  const now = sim.now();
  const candles = sim.market
    .range(Math.floor((now - DAY_MS) / MINUTE_MS + 1) * MINUTE_MS, 1440)
    .map((c) => asOf(sim, c, now));
  const first = candles[0];
  const last = candles[candles.length - 1];
  let high = 0;
  let low = Number.POSITIVE_INFINITY;
  let volume = 0;
  let quote = 0;
  let count = 0;
  for (const c of candles) {
    high = Math.max(high, c.high);
    low = Math.min(low, c.low);
    volume += c.volume;
    quote += c.quoteVolume;
    count += c.trades;
  }
  const p = (x: number) => sim.market.priceString(x);
  const prev = sim.market.candle(first.openMs - MINUTE_MS);
  return {
    symbol: sim.symbol,
    priceChange: p(last.close - first.open),
    priceChangePercent: (((last.close - first.open) / first.open) * 100).toFixed(3),
    weightedAvgPrice: (quote / volume).toFixed(8),
    prevClosePrice: p(prev.close),
    lastPrice: p(last.close),
    lastQty: "0.00000000",
    bidPrice: p(last.close),
    bidQty: "0.00000000",
    askPrice: p(last.close),
    askQty: "0.00000000",
    openPrice: p(first.open),
    highPrice: p(high),
    lowPrice: p(low),
    volume: volume.toFixed(8),
    quoteVolume: quote.toFixed(8),
    openTime: now - DAY_MS,
    closeTime: now,
    firstId: -1,
    lastId: -1,
    count,
  };
}

function wantsSymbol(sim: SimExchange, q: URLSearchParams): void {
  const one = q.get("symbol");
  if (one) {
    checkSymbol(sim, one);
    return;
  }
  const many = q.get("symbols");
  if (many && !many.toUpperCase().includes(`"${sim.symbol}"`))
    throw new BinanceError(400, -1121, "Invalid symbol.");
}

export function answerSimApi(sim: SimExchange, pathname: string, q: URLSearchParams): ApiAnswer {
  return answerBinance(
    {
      name: "the simulator",
      now: () => sim.now(),
      exchangeInfo: (q) => {
        wantsSymbol(sim, q);
        const { priceDecimals, volumeDecimals } = sim.market.params;
        return exchangeInfoOf([symbolEntry(sim.symbol, priceDecimals, volumeDecimals)], sim.now());
      },
      klines: (q) => simKlines(sim, q),
      ticker: (q) => {
        wantsSymbol(sim, q);
        return q.get("symbol") ? ticker(sim) : [ticker(sim)];
      },
    },
    pathname,
    q,
  );
}
