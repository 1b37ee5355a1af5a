// Loaded markets per exchange, kept for the isolate's life: a ccxt loadMarkets downloads the whole
// market list (megabytes on Binance), which a once-a-minute cron must not repeat every minute.
import { createExchange, type Exchange } from "./exchange";

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
