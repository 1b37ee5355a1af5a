// Numbers that shape the replay exchange, in one place.

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/** Binance spot /api/v3/klines: 500 candles by default, at most 1000 (larger limits are capped). */
export const KLINES_DEFAULT_LIMIT = 500;
export const KLINES_MAX_LIMIT = 1000;

/** The only interval served: the dumps are 1m and the collector only asks for 1m. */
export const SERVED_INTERVAL = "1m";

/** A "timeout" fault holds the request this long unless told otherwise: past ccxt's 10 s default. */
export const DEFAULT_HANG_MS = 30_000;
export const DEFAULT_RETRY_AFTER_SEC = 60;

/** Rows scanned to infer a symbol's tick and lot size from the decimals it was recorded with. */
export const PRECISION_SAMPLE_ROWS = 5_000;

export const DEFAULT_PORT = 9100;

/** Quote assets tried (longest first) to split "BTCUSDT" into base BTC and quote USDT. */
export const QUOTE_ASSETS = [
  "FDUSD",
  "USDT",
  "USDC",
  "TUSD",
  "BUSD",
  "USDP",
  "AEUR",
  "EURI",
  "USD1",
  "BIDR",
  "IDRT",
  "DAI",
  "BTC",
  "ETH",
  "BNB",
  "EUR",
  "GBP",
  "TRY",
  "BRL",
  "AUD",
  "JPY",
  "RUB",
  "UAH",
  "ZAR",
  "PLN",
  "RON",
  "ARS",
  "MXN",
  "COP",
  "CZK",
  "NGN",
  "XRP",
  "TRX",
  "DOGE",
  "DOT",
].sort((a, b) => b.length - a.length);
