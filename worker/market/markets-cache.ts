// Loaded markets per exchange, kept for the isolate's life: a ccxt loadMarkets downloads the whole
// market list (megabytes on Binance), which a once-a-minute cron must not repeat every minute.
import {
  createExchange,
  type Exchange,
  ExchangeError,
  exchangeError,
  priceTick,
  resolveMarket,
} from "./exchange";

const MARKETS_TTL_MS = 60 * 60 * 1000;
const cache = new Map<string, { markets: Exchange["markets"]; at: number }>();

export function exchangeFor(env: Env, exchangeId: string): Exchange {
  const ex = createExchange(exchangeId, { baseUrl: env.EXCHANGE_BASE_URL || undefined });
  const hit = cache.get(cacheKey(env, exchangeId));
  if (hit && Date.now() - hit.at < MARKETS_TTL_MS) ex.setMarkets(hit.markets);
  return ex;
}

/** Remembers the markets an instance loaded, for the next instance of the same exchange. */
export function rememberMarkets(env: Env, ex: Exchange) {
  const key = cacheKey(env, ex.id);
  const hit = cache.get(key);
  const fresh = hit && Date.now() - hit.at < MARKETS_TTL_MS;
  if (!fresh && ex.markets && Object.keys(ex.markets).length)
    cache.set(key, { markets: ex.markets, at: Date.now() });
}

const cacheKey = (env: Env, id: string) => `${id}@${env.EXCHANGE_BASE_URL ?? ""}`;

// Idle instances per exchange, kept for the isolate's life: a new ccxt instance costs its constructor and
// setMarkets over every listed market (~200 ms with 1,000 markets on this machine), which a collector of
// many instruments must not pay per instrument. An instance is lent to one caller at a time, because its
// last answer's status (exchange.ts) classifies that caller's errors.
const idle = new Map<string, { ex: Exchange; at: number }[]>();

/**
 * An instance nobody else is using, with markets when they are cached; give it back with returnExchange.
 * Its ccxt throttle is off: a collection shard sends one klines request per instrument, so the minute's
 * weight is set by how many instruments there are (README, "Collection at scale"), not by a per-instance
 * throttle that cannot see the other shards' requests anyway and measured ~25 ms added to each request.
 */
export function borrowExchange(env: Env, exchangeId: string): Exchange {
  const key = cacheKey(env, exchangeId);
  const hit = cache.get(key);
  const list = idle.get(key) ?? [];
  for (let lent = list.pop(); lent; lent = list.pop()) {
    // Instances older than the cached markets are dropped: they may list markets no longer traded.
    if (hit && lent.at >= hit.at && Date.now() - lent.at < MARKETS_TTL_MS) {
      lent.ex.enableRateLimit = false;
      return lent.ex;
    }
  }
  const ex = exchangeFor(env, exchangeId);
  ex.enableRateLimit = false;
  return ex;
}

export function returnExchange(env: Env, ex: Exchange) {
  rememberMarkets(env, ex);
  const key = cacheKey(env, ex.id);
  const hit = cache.get(key);
  if (!hit || !ex.markets || Object.keys(ex.markets).length === 0) return;
  const list = idle.get(key) ?? [];
  if (list.length < MAX_IDLE) list.push({ ex, at: hit.at });
  idle.set(key, list);
}
const MAX_IDLE = 8;

/**
 * Whether the exchange lists `symbol` as a spot market (null when not) and its price tick, from the cached
 * markets when they are fresh; a symbol missing from a cached list is looked up once more in a fresh
 * download (it may be newly listed). Throws ExchangeError when the exchange cannot be asked.
 */
export async function listing(
  env: Env,
  exchangeId: string,
  symbol: string,
): Promise<{ tick: number | null } | null> {
  const lookup = async (ex: Exchange) => {
    try {
      return { tick: priceTick(ex, await resolveMarket(ex, symbol)) };
    } catch (err) {
      const e = err instanceof ExchangeError ? err : exchangeError(ex, err);
      if (e.kind === "bad_symbol") return null;
      throw e;
    } finally {
      rememberMarkets(env, ex);
    }
  };
  const cached = cache.has(cacheKey(env, exchangeId));
  const found = await lookup(exchangeFor(env, exchangeId));
  if (found || !cached) return found;
  cache.delete(cacheKey(env, exchangeId));
  return lookup(exchangeFor(env, exchangeId));
}
