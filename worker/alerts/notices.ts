// Telling instruments' feed objects that their alerts changed, so they read them again from D1.
import { instrumentFeed } from "../live/instrument-feed";

/** Never fails the caller: a lost notice is repaired by the feed's periodic re-read (alert-watch.ts). */
export async function alertsChangedOn(env: Env, symbols: Iterable<string>) {
  for (const symbol of new Set(symbols)) {
    try {
      await instrumentFeed(env, symbol).alertsChanged();
    } catch (err) {
      console.warn(`alerts of ${symbol}: feed not told (${(err as Error).name})`);
    }
  }
}
