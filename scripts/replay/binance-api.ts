// Binance spot public REST answers (/api/v3/...) over the replayed series, errors in Binance's shape.

import { lowerBound, upperBound } from "../../core/bisect";
import { type ApiAnswer, answerBinance, BinanceError, klinesQuery, mandatory } from "./binance-query";
import { exchangeInfo } from "./exchange-info";
import { type KlineRow, type KlineSeries, klineRow } from "./series";
import { ticker24h } from "./ticker";

/** The replayed market as the API sees it: candles visible up to now(), times moved by shiftMs. */
export interface ReplayMarket {
  series: Map<string, KlineSeries>;
  shiftMs: number;
  now(): number;
}

const invalidSymbol = () => new BinanceError(400, -1121, "Invalid symbol.");
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
  const { startTime, endTime, limit } = klinesQuery(q);
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
  const all = (chosen: KlineSeries[] | KlineSeries) => (Array.isArray(chosen) ? chosen : [chosen]);
  return answerBinance(
    {
      name: "the replay",
      now: () => market.now(),
      exchangeInfo: (q) => exchangeInfo(all(selectedSeries(market, q)), market.now()),
      klines: (q) => klines(market, q),
      ticker: (q) => {
        const chosen = selectedSeries(market, q);
        const one = (s: KlineSeries) => ticker24h(s, market.now(), market.shiftMs);
        return Array.isArray(chosen) ? chosen.map(one) : one(chosen);
      },
    },
    pathname,
    q,
  );
}
