// What the replay and the simulator answer alike: Binance's error shape, the /api/v3 routes they serve
// and the klines query, read as Binance reads it.
import { KLINES_DEFAULT_LIMIT, KLINES_MAX_LIMIT, SERVED_INTERVAL } from "./constants";

export class BinanceError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    msg: string,
  ) {
    super(msg);
  }
}

export const mandatory = (name: string) =>
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

export interface KlinesQuery {
  startTime?: number;
  endTime?: number;
  /** The candles asked for, capped at KLINES_MAX_LIMIT as Binance caps it. */
  limit: number;
}

/** GET /api/v3/klines's parameters besides the symbol, checked as Binance checks them. */
export function klinesQuery(q: URLSearchParams): KlinesQuery {
  const interval = q.get("interval");
  if (!interval) throw mandatory("interval");
  if (interval !== SERVED_INTERVAL) throw new BinanceError(400, -1120, "Invalid interval.");
  const startTime = intParam(q, "startTime");
  const endTime = intParam(q, "endTime");
  const rawLimit = intParam(q, "limit") ?? KLINES_DEFAULT_LIMIT;
  if (rawLimit < 1) throw new BinanceError(400, -1130, "Data sent for parameter 'limit' is not valid.");
  if (startTime !== undefined && endTime !== undefined && startTime > endTime) {
    throw new BinanceError(400, -1023, "Start time is greater than end time.");
  }
  return { startTime, endTime, limit: Math.min(rawLimit, KLINES_MAX_LIMIT) };
}

/** An answer to one API request. */
export interface ApiAnswer {
  status: number;
  body: unknown;
}

/** The market behind the /api/v3 routes: each answers its route or throws a BinanceError. */
export interface BinanceEndpoints {
  /** Who answers ("the replay", "the simulator"), for the unknown-endpoint error. */
  name: string;
  now(): number;
  exchangeInfo(q: URLSearchParams): unknown;
  klines(q: URLSearchParams): unknown;
  ticker(q: URLSearchParams): unknown;
}

/** Routes one GET under /api/v3; throws BinanceError for bad input or an unknown path. */
export function answerBinance(api: BinanceEndpoints, pathname: string, q: URLSearchParams): ApiAnswer {
  const body = (() => {
    switch (pathname) {
      case "/api/v3/ping":
        return {};
      case "/api/v3/time":
        return { serverTime: api.now() };
      case "/api/v3/exchangeInfo":
        return api.exchangeInfo(q);
      case "/api/v3/klines":
        return api.klines(q);
      case "/api/v3/ticker/24hr":
        return api.ticker(q);
      default:
        throw new BinanceError(
          404,
          -1000,
          `Unknown endpoint ${pathname}; ${api.name} serves /api/v3/ping, time, exchangeInfo, klines and ticker/24hr.`,
        );
    }
  })();
  return { status: 200, body };
}
