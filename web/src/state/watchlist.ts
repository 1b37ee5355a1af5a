// The watchlist's own figures (stars, signals, sparklines) beside the instrument list's prices, and how
// the user sorts it. Starred instruments always come first.
import { signal } from "@preact/signals";
import { api } from "../api";
import type { Instrument, WatchlistRow } from "../api-types";
import { messageOf } from "../transport";
import { resource } from "./resource";

export const watchlist = resource<{ instruments: WatchlistRow[] }>();
/** The signal and sparkline change hourly: the list is asked again at most this often. */
export const WATCHLIST_REFRESH_MS = 5 * 60_000;

export const SORTS = { symbol: "Symbol", change: "24 h change", signal: "Signal" } as const;
export type SortKey = keyof typeof SORTS;
export const sortKey = signal<SortKey>("symbol");
/** A star that could not be saved, said under the list. */
export const starError = signal<string | null>(null);

export function loadWatchlist(keep = false): Promise<void> {
  return watchlist.load((s) => api.watchlist(s), keep);
}

export const rowOf = (symbol: string) =>
  watchlist.state.value.data?.instruments.find((r) => r.symbol === symbol);

const SIGNAL_ORDER: Record<string, number> = { buy: 0, sell: 1, hold: 2 };

/** Starred first, then by the chosen key (ties by symbol). */
export function sortedInstruments(items: Instrument[], key: SortKey): Instrument[] {
  const by: Record<SortKey, (a: Instrument, b: Instrument) => number> = {
    symbol: () => 0,
    change: (a, b) =>
      (b.change_percent ?? Number.NEGATIVE_INFINITY) - (a.change_percent ?? Number.NEGATIVE_INFINITY),
    signal: (a, b) =>
      (SIGNAL_ORDER[rowOf(a.symbol)?.signal ?? ""] ?? 3) - (SIGNAL_ORDER[rowOf(b.symbol)?.signal ?? ""] ?? 3),
  };
  const starred = (i: Instrument) => (rowOf(i.symbol)?.starred ? 0 : 1);
  return [...items].sort(
    (a, b) => starred(a) - starred(b) || by[key](a, b) || a.symbol.localeCompare(b.symbol),
  );
}

/** Stars or unstars at once on screen; puts it back, and says so, when the server refuses. */
export async function toggleStar(symbol: string): Promise<void> {
  const data = watchlist.state.value.data;
  const row = data?.instruments.find((r) => r.symbol === symbol);
  if (!data || !row) return;
  const set = (starred: boolean) => {
    const current = watchlist.state.value;
    const list = current.data?.instruments.map((r) => (r.symbol === symbol ? { ...r, starred } : r)) ?? [];
    watchlist.state.value = { ...current, data: { instruments: list } };
  };
  const wanted = !row.starred;
  set(wanted);
  starError.value = null;
  try {
    await api.star(symbol, wanted);
  } catch (e) {
    set(!wanted);
    starError.value = `Could not ${wanted ? "star" : "unstar"} ${symbol}: ${messageOf(e)}`;
  }
}
