// /api/v3/ticker/24hr from the 1m candles of the rolling day before the replay's present.
// Sums use exact fixed-point decimals so volumes read as Binance would print them, not float noise.

import { lowerBound, upperBound } from "../../core/bisect";
import { DAY_MS } from "./constants";
import { type KlineSeries, rowFields } from "./series";

const SCALE = 8;
const ONE = 10n ** BigInt(SCALE);

/** "123.45" -> 12345000000n (8 decimals). Extra decimals beyond 8 are cut: Binance never sends them. */
export function toFixedPoint(value: string): bigint {
  const negative = value.startsWith("-");
  const [whole, frac = ""] = (negative ? value.slice(1) : value).split(".");
  const n = BigInt(whole || "0") * ONE + BigInt((frac + "0".repeat(SCALE)).slice(0, SCALE));
  return negative ? -n : n;
}

/** 12345000000n -> "123.45000000". */
export function fromFixedPoint(n: bigint): string {
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const frac = (abs % ONE).toString().padStart(SCALE, "0");
  return `${negative ? "-" : ""}${abs / ONE}.${frac}`;
}

const ZERO = fromFixedPoint(0n);

/**
 * The 24h ticker at `nowMs` (replay time): candles whose shifted open time lies in (now - 24h, now].
 * Order-book fields are not recorded in kline dumps: bid and ask are the last price, their sizes 0.
 * Trade ids are unknown, so firstId and lastId are -1 as Binance writes them when it has none.
 */
export function ticker24h(s: KlineSeries, nowMs: number, shiftMs: number) {
  const end = upperBound(s.openMs, nowMs - shiftMs);
  const begin = lowerBound(s.openMs, nowMs - DAY_MS - shiftMs + 1);
  let high: bigint | null = null;
  let low: bigint | null = null;
  let volume = 0n;
  let quoteVolume = 0n;
  let count = 0;
  for (let i = begin; i < end; i++) {
    const f = rowFields(s, i);
    const h = toFixedPoint(f[2]);
    const l = toFixedPoint(f[3]);
    if (high === null || h > high) high = h;
    if (low === null || l < low) low = l;
    volume += toFixedPoint(f[5]);
    quoteVolume += toFixedPoint(f[7]);
    count += Number(f[8]);
  }
  const last = end > 0 ? toFixedPoint(rowFields(s, end - 1)[4]) : 0n;
  const open = begin < end ? toFixedPoint(rowFields(s, begin)[1]) : last;
  const prevClose = begin > 0 && begin <= end ? toFixedPoint(rowFields(s, begin - 1)[4]) : 0n;
  const change = last - open;
  const percent = open === 0n ? 0 : (Number(change) / Number(open)) * 100;
  const lastPrice = fromFixedPoint(last);
  return {
    symbol: s.symbol,
    priceChange: fromFixedPoint(change),
    priceChangePercent: percent.toFixed(3),
    weightedAvgPrice: volume === 0n ? ZERO : fromFixedPoint((quoteVolume * ONE) / volume),
    prevClosePrice: fromFixedPoint(prevClose),
    lastPrice,
    lastQty: ZERO,
    bidPrice: lastPrice,
    bidQty: ZERO,
    askPrice: lastPrice,
    askQty: ZERO,
    openPrice: fromFixedPoint(open),
    highPrice: fromFixedPoint(high ?? last),
    lowPrice: fromFixedPoint(low ?? last),
    volume: fromFixedPoint(volume),
    quoteVolume: fromFixedPoint(quoteVolume),
    openTime: nowMs - DAY_MS,
    closeTime: nowMs,
    firstId: -1,
    lastId: -1,
    count,
  };
}
