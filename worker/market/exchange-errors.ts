// One small error type for everything an exchange can do wrong, and the retry policy built on it.
import {
  BadResponse,
  BadSymbol,
  DDoSProtection,
  ExchangeNotAvailable,
  NetworkError,
  RateLimitExceeded,
  RequestTimeout,
  RestrictedLocation,
} from "ccxt-src/base/errors.js";

export type ExchangeErrorKind =
  | "rate_limited"
  | "banned"
  | "region_blocked"
  | "unavailable"
  | "timeout"
  | "bad_response"
  | "bad_symbol";

/** Kinds worth another try: waiting can fix them. 418, 451 and bad symbols never get better by asking. */
const RETRYABLE: ReadonlySet<ExchangeErrorKind> = new Set([
  "rate_limited",
  "unavailable",
  "timeout",
  "bad_response",
]);

/** Binance's market-data-only host, which serves the public endpoints where api.binance.com answers 451. */
export const BINANCE_MARKET_DATA_HOST = "https://data-api.binance.vision";

export const RETRY_DEFAULTS = { retries: 3, baseDelayMs: 500, maxDelayMs: 30_000 } as const;

export class ExchangeError extends Error {
  override readonly name = "ExchangeError";
  readonly kind: ExchangeErrorKind;
  readonly retryAfterSec?: number;
  /** HTTP status of the answer that caused it, when there was one. */
  readonly status?: number;

  constructor(
    kind: ExchangeErrorKind,
    message: string,
    extra: { retryAfterSec?: number; status?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: extra.cause });
    this.kind = kind;
    this.retryAfterSec = extra.retryAfterSec;
    this.status = extra.status;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

/** The last HTTP answer an exchange instance received (null while a request is in flight or failed). */
export interface LastResponse {
  status: number;
  retryAfter: string | null;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, nowMs = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - nowMs) / 1000)) : undefined;
}

function detail(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}

/**
 * Converts whatever a ccxt call threw into an ExchangeError. The HTTP status of the failing answer
 * (recorded by the exchange's fetch wrapper) decides first: ccxt's binance raises DDoSProtection for
 * both 429 and 418, which call for opposite reactions.
 */
export function toExchangeError(
  err: unknown,
  exchangeId: string,
  last: LastResponse | null = null,
): ExchangeError {
  if (err instanceof ExchangeError) return err;
  const status = last?.status;
  const extra = { status, cause: err };
  if (status === 418) {
    const retryAfterSec = parseRetryAfter(last?.retryAfter);
    const until = retryAfterSec === undefined ? "" : ` for about ${retryAfterSec} s`;
    return new ExchangeError(
      "banned",
      `${exchangeId} banned this IP${until} (HTTP 418) after repeated rate-limit hits; stop sending requests until the ban ends`,
      { ...extra, retryAfterSec },
    );
  }
  if (status === 429 || err instanceof RateLimitExceeded || err instanceof DDoSProtection) {
    const retryAfterSec = parseRetryAfter(last?.retryAfter);
    const wait = retryAfterSec === undefined ? "back off before retrying" : `retry after ${retryAfterSec} s`;
    return new ExchangeError(
      "rate_limited",
      `${exchangeId} rate limit reached (HTTP ${status ?? 429}); ${wait}`,
      {
        ...extra,
        retryAfterSec,
      },
    );
  }
  if (status === 451 || err instanceof RestrictedLocation) {
    const hint = exchangeId.startsWith("binance")
      ? `; Binance serves the same public market data from ${BINANCE_MARKET_DATA_HOST}: set EXCHANGE_BASE_URL=${BINANCE_MARKET_DATA_HOST}`
      : "";
    return new ExchangeError(
      "region_blocked",
      `${exchangeId} refuses requests from this region (HTTP 451)${hint}`,
      extra,
    );
  }
  if (err instanceof RequestTimeout) {
    return new ExchangeError("timeout", `${exchangeId} did not answer in time: ${detail(err)}`, extra);
  }
  if (err instanceof BadSymbol) {
    return new ExchangeError("bad_symbol", `${exchangeId} does not know this symbol: ${detail(err)}`, extra);
  }
  if (
    (status !== undefined && status >= 500) ||
    err instanceof ExchangeNotAvailable ||
    err instanceof NetworkError
  ) {
    const what = status !== undefined && status >= 500 ? `HTTP ${status}` : detail(err);
    return new ExchangeError("unavailable", `${exchangeId} is unavailable (${what}); try again later`, extra);
  }
  const why = err instanceof BadResponse ? "an unreadable answer" : "an unexpected answer";
  return new ExchangeError("bad_response", `${exchangeId} sent ${why}: ${detail(err)}`, extra);
}

export interface RetryOptions {
  retries?: number;
  baseDelayMs?: number;
  /** Longest wait between tries; a Retry-After longer than this is thrown to the caller instead. */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Turns a thrown value into an ExchangeError (default: by its ccxt class alone). */
  classify?: (err: unknown) => ExchangeError;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn`, retrying what waiting can fix: timeouts, network errors, 5xx and unreadable answers with
 * exponential backoff (baseDelayMs, 2x, 4x, ...), a 429 after exactly its Retry-After. Bans (418),
 * blocked regions (451) and unknown symbols are thrown at once.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const { retries, baseDelayMs, maxDelayMs } = { ...RETRY_DEFAULTS, ...options };
  const sleep = options.sleep ?? realSleep;
  const classify = options.classify ?? ((e: unknown) => toExchangeError(e, "exchange"));
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      const err = classify(e);
      if (!err.retryable || attempt >= retries) throw err;
      const delay =
        err.kind === "rate_limited" && err.retryAfterSec !== undefined
          ? err.retryAfterSec * 1000
          : Math.min(baseDelayMs * 2 ** attempt, maxDelayMs);
      if (delay > maxDelayMs) throw err;
      await sleep(delay);
    }
  }
}
