// Binance spot public REST answers (/api/v3/...) over the replayed series, errors in Binance's shape.
import { KLINES_DEFAULT_LIMIT, KLINES_MAX_LIMIT, SERVED_INTERVAL } from "./constants";
import { exchangeInfo } from "./exchange-info";
import { type KlineRow, type KlineSeries, klineRow, lowerBound, upperBound } from "./series";
import { ticker24h } from "./ticker";

/** The replayed market as the API sees it: candles visible up to now(), times moved by shiftMs. */
export interface ReplayMarket {
  series: Map<string, KlineSeries>;
  shiftMs: number;
  now(): number;
}

export class BinanceError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    msg: string,
  ) {
    super(msg);
  }
}

export interface ApiAnswer {
  status: number;
  body: unknown;
}

const invalidSymbol = () => new BinanceError(400, -1121, "Invalid symbol.");
const mandatory = (name: string) =>
  new BinanceError(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);

export function intParam(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null || raw === "") return undefined;
  if (!/^-?\d{1,20}$/.test(raw)) {
    throw new BinanceError(
      400,
      -1100,
      `Illegal characters found in parameter '${name}'; legal range is '^[0-9]{1,20}$'.`,
    );
  }
  return Number(raw);
}

function seriesOf(market: ReplayMarket, symbol: string | null): KlineSeries {
  if (!symbol) throw mandatory("symbol");
  const s = market.series.get(symbol.toUpperCase());
  if (!s) throw invalidSymbol();
  return s;
}

/** `symbol=X`, `symbols=["X","Y"]`, or every symbol when neither is given. */
function selectedSeries(market: ReplayMarket, q: URLSearchParams): KlineSeries[] | KlineSeries {
  const one = q.get("symbol");
  if (one) return seriesOf(market, one);
  const many = q.get("symbols");
  if (!many) return [...market.series.values()];
  let names: unknown;
  try {
    names = JSON.parse(many);
  } catch {
    throw new BinanceError(
      400,
      -1100,
      "Illegal characters found in parameter 'symbols'; legal range is '^\\[(\"[A-Z0-9-_.]{1,20}\"(,\"[A-Z0-9-_.]{1,20}\"){0,}){0,1}\\]$'.",
    );
  }
  if (!Array.isArray(names) || names.length === 0) throw mandatory("symbols");
  return names.map((n) => seriesOf(market, String(n)));
}

/**
 * GET /api/v3/klines with Binance's semantics: startTime -> the first `limit` candles opening at or after
 * it (and at or before endTime); only endTime -> the last `limit` candles up to it; neither -> the latest.
 * Candles opening after now() are withheld; the still-open current minute is returned, as Binance does.
 */
export function klines(market: ReplayMarket, q: URLSearchParams): KlineRow[] {
  const s = seriesOf(market, q.get("symbol"));
  const interval = q.get("interval");
  if (!interval) throw mandatory("interval");
  if (interval !== SERVED_INTERVAL) throw new BinanceError(400, -1120, "Invalid interval.");
  const startTime = intParam(q, "startTime");
  const endTime = intParam(q, "endTime");
  const rawLimit = intParam(q, "limit") ?? KLINES_DEFAULT_LIMIT;
  if (rawLimit < 1) throw new BinanceError(400, -1130, "Data sent for parameter 'limit' is not valid.");
  const limit = Math.min(rawLimit, KLINES_MAX_LIMIT);
  if (startTime !== undefined && endTime !== undefined && startTime > endTime) {
    throw new BinanceError(400, -1023, "Start time is greater than end time.");
  }
  const shift = market.shiftMs;
  const visibleEnd = upperBound(s.openMs, market.now() - shift);
  const endIndex =
    endTime === undefined ? visibleEnd : Math.min(visibleEnd, upperBound(s.openMs, endTime - shift));
  let from: number;
  let to: number;
  if (startTime !== undefined) {
    from = lowerBound(s.openMs, startTime - shift);
    to = Math.min(endIndex, from + limit);
  } else {
    to = endIndex;
    from = Math.max(0, to - limit);
  }
  const rows: KlineRow[] = [];
  for (let i = from; i < to; i++) rows.push(klineRow(s, i, shift));
  return rows;
}

/** Routes one GET under /api/v3; throws BinanceError for bad input. */
export function answerApi(market: ReplayMarket, pathname: string, q: URLSearchParams): ApiAnswer {
  switch (pathname) {
    case "/api/v3/ping":
      return { status: 200, body: {} };
    case "/api/v3/time":
      return { status: 200, body: { serverTime: market.now() } };
    case "/api/v3/exchangeInfo": {
      const chosen = selectedSeries(market, q);
      return { status: 200, body: exchangeInfo(Array.isArray(chosen) ? chosen : [chosen], market.now()) };
    }
    case "/api/v3/klines":
      return { status: 200, body: klines(market, q) };
    case "/api/v3/ticker/24hr": {
      const chosen = selectedSeries(market, q);
      const one = (s: KlineSeries) => ticker24h(s, market.now(), market.shiftMs);
      return { status: 200, body: Array.isArray(chosen) ? chosen.map(one) : one(chosen) };
    }
    default:
      throw new BinanceError(
        404,
        -1000,
        `Unknown endpoint ${pathname}; the replay serves /api/v3/ping, time, exchangeInfo, klines and ticker/24hr.`,
      );
  }
}
