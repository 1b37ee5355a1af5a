// /api/v3/exchangeInfo entries in Binance's shape (filters included) for the replayed symbols.
import { PRECISION_SAMPLE_ROWS, QUOTE_ASSETS } from "./constants";
import { type KlineSeries, rowFields } from "./series";

const ASSET_PRECISION = 8;

/** "BTCUSDT" -> ["BTC", "USDT"] by the longest known quote asset; else the last 3 letters are the quote. */
export function splitSymbol(symbol: string): [string, string] {
  const quote = QUOTE_ASSETS.find((q) => symbol.endsWith(q) && symbol.length > q.length);
  const q = quote ?? symbol.slice(-3);
  return [symbol.slice(0, -q.length), q];
}

function decimalsOf(value: string): number {
  const dot = value.indexOf(".");
  if (dot < 0) return 0;
  let end = value.length;
  while (end > dot + 1 && value.charCodeAt(end - 1) === 48) end--;
  return end - dot - 1;
}

/** 10^-decimals as Binance writes it: "0.01000000". */
export function stepString(decimals: number): string {
  const digits = Math.max(decimals, ASSET_PRECISION);
  if (decimals === 0) return `1.${"0".repeat(digits)}`;
  return `0.${"0".repeat(decimals - 1)}1${"0".repeat(digits - decimals)}`;
}

/** Tick and lot size inferred from the decimals the symbol was recorded with. */
export function inferSteps(s: KlineSeries): { tick: number; lot: number } {
  let tick = 0;
  let lot = 0;
  const n = Math.min(s.openMs.length, PRECISION_SAMPLE_ROWS);
  for (let i = 0; i < n; i++) {
    const f = rowFields(s, i);
    for (let k = 1; k <= 4; k++) tick = Math.max(tick, decimalsOf(f[k]));
    lot = Math.max(lot, decimalsOf(f[5]));
  }
  return { tick, lot };
}

const infoCache = new WeakMap<KlineSeries, ReturnType<typeof buildSymbolInfo>>();

/** The symbol's entry, computed once per series (inferring the steps reads thousands of rows). */
export function symbolInfo(s: KlineSeries) {
  let info = infoCache.get(s);
  if (!info) {
    info = buildSymbolInfo(s);
    infoCache.set(s, info);
  }
  return info;
}

function buildSymbolInfo(s: KlineSeries) {
  const { tick, lot } = inferSteps(s);
  return symbolEntry(s.symbol, tick, lot);
}

/** A symbol's exchangeInfo entry from its price (tick) and quantity (lot) decimals. */
export function symbolEntry(symbol: string, tick: number, lot: number) {
  const [baseAsset, quoteAsset] = splitSymbol(symbol);
  const tickSize = stepString(tick);
  const stepSize = stepString(lot);
  return {
    symbol,
    status: "TRADING",
    baseAsset,
    baseAssetPrecision: ASSET_PRECISION,
    quoteAsset,
    quotePrecision: ASSET_PRECISION,
    quoteAssetPrecision: ASSET_PRECISION,
    baseCommissionPrecision: ASSET_PRECISION,
    quoteCommissionPrecision: ASSET_PRECISION,
    orderTypes: [
      "LIMIT",
      "LIMIT_MAKER",
      "MARKET",
      "STOP_LOSS",
      "STOP_LOSS_LIMIT",
      "TAKE_PROFIT",
      "TAKE_PROFIT_LIMIT",
    ],
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    amendAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: "PRICE_FILTER", minPrice: tickSize, maxPrice: "1000000.00000000", tickSize },
      { filterType: "LOT_SIZE", minQty: stepSize, maxQty: "9000.00000000", stepSize },
      { filterType: "ICEBERG_PARTS", limit: 10 },
      { filterType: "MARKET_LOT_SIZE", minQty: "0.00000000", maxQty: "100.00000000", stepSize: "0.00000000" },
      { filterType: "TRAILING_DELTA", minTrailingAboveDelta: 10, maxTrailingAboveDelta: 2000 },
      { filterType: "PERCENT_PRICE_BY_SIDE", bidMultiplierUp: "5", bidMultiplierDown: "0.2" },
      {
        filterType: "NOTIONAL",
        minNotional: "5.00000000",
        applyMinToMarket: true,
        maxNotional: "9000000.00000000",
        applyMaxToMarket: false,
        avgPriceMins: 5,
      },
      { filterType: "MAX_NUM_ORDERS", maxNumOrders: 200 },
      { filterType: "MAX_NUM_ALGO_ORDERS", maxNumAlgoOrders: 5 },
    ],
    permissions: [],
    permissionSets: [["SPOT"]],
    defaultSelfTradePreventionMode: "EXPIRE_MAKER",
    allowedSelfTradePreventionModes: ["EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH"],
  };
}

/** The whole document for the given symbols; `serverTime` is the replay's present. */
export function exchangeInfo(series: KlineSeries[], serverTime: number) {
  return exchangeInfoOf(
    series.map((s) => symbolInfo(s)),
    serverTime,
  );
}

export function exchangeInfoOf(symbols: ReturnType<typeof symbolEntry>[], serverTime: number) {
  return {
    timezone: "UTC",
    serverTime,
    rateLimits: [
      { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: 6000 },
      { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, limit: 100 },
      { rateLimitType: "ORDERS", interval: "DAY", intervalNum: 1, limit: 200000 },
      { rateLimitType: "RAW_REQUESTS", interval: "MINUTE", intervalNum: 5, limit: 61000 },
    ],
    exchangeFilters: [],
    symbols,
  };
}
