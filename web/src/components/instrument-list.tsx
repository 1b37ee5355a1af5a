// The watchlist: the instruments a user may open (trained ones only), starred ones first, each with a
// 24 h sparkline, its last price, the change and the current signal; sortable, filterable by category
// (crypto / forex) and by name.
import { useEffect, useState } from "preact/hooks";
import { type Instrument, PROFILE_TYPES } from "../api-types";
import { formatPct, formatPctPoints, formatPrice, trendOf } from "../lib/format";
import { quote } from "../state/quote";
import {
  loadWatchlist,
  rowOf,
  SORTS,
  type SortKey,
  sortedInstruments,
  sortKey,
  starError,
  toggleStar,
  WATCHLIST_REFRESH_MS,
} from "../state/watchlist";
import { Sparkline } from "./sparkline";
import "../styles/watchlist.css";

type Category = Instrument["category"];

interface Props {
  items: Instrument[];
  selected: string | null;
  onSelect: (symbol: string) => void;
}

const CATEGORY_NAMES: Record<Category, string> = { crypto: "Crypto", forex: "Forex" };

function CategoryFilter({
  items,
  value,
  onChange,
}: {
  items: Instrument[];
  value: Category | null;
  onChange: (c: Category | null) => void;
}) {
  const count = (c: Category | null) => (c ? items.filter((i) => i.category === c).length : items.length);
  const options: (Category | null)[] = [null, ...PROFILE_TYPES];
  return (
    <fieldset class="cats">
      <legend class="sr-only">Category</legend>
      {options.map((c) => {
        const n = count(c);
        return (
          <button
            key={c ?? "all"}
            type="button"
            class={`cats__item ${value === c ? "is-active" : ""}`}
            aria-pressed={value === c}
            disabled={n === 0}
            onClick={() => onChange(c)}
          >
            {c ? CATEGORY_NAMES[c] : "All"} <span class="cats__count">{n}</span>
          </button>
        );
      })}
    </fieldset>
  );
}

function Row({
  i,
  active,
  onSelect,
}: {
  i: Instrument;
  active: boolean;
  onSelect: (symbol: string) => void;
}) {
  const row = rowOf(i.symbol);
  // The open instrument's price follows the live minute, as the headline does.
  const q = active ? quote.value : null;
  const change = q ? formatPct(q.change) : formatPctPoints(i.change_percent);
  const starred = row?.starred ?? false;
  return (
    <li class="watch">
      <button
        type="button"
        class={`watch__star ${starred ? "is-on" : ""}`}
        aria-pressed={starred}
        aria-label={`${starred ? "Unstar" : "Star"} ${i.symbol}`}
        title={starred ? "Starred: listed first" : "Star to list it first"}
        disabled={!row}
        onClick={() => toggleStar(i.symbol)}
      >
        {starred ? "★" : "☆"}
      </button>
      <button
        type="button"
        class={`instrument ${active ? "is-active" : ""}`}
        aria-current={active ? "true" : undefined}
        onClick={() => onSelect(i.symbol)}
      >
        <span class="instrument__id">
          <span class="instrument__line">
            <span class="instrument__symbol">{i.symbol}</span>
            {row?.signal && (
              <span class={`watch__signal watch__signal--${row.signal}`} title="The current signal">
                {row.signal}
              </span>
            )}
          </span>
          <span class="instrument__name">
            {i.simulated && (
              <span class="sim-badge" title="A generated market (npm run demo), not a real one">
                simulated
              </span>
            )}
            {i.name}
          </span>
        </span>
        <Sparkline points={row?.sparkline ?? []} />
        <span class="instrument__quote">
          <span class="num instrument__price">{formatPrice(q?.price ?? i.price, i.tick_size)}</span>
          <span class={`num chip chip--${trendOf(change)}`}>{change}</span>
        </span>
      </button>
    </li>
  );
}

export function InstrumentList({ items, selected, onSelect }: Props) {
  const [filter, setFilter] = useState("");
  const [category, setCategory] = useState<Category | null>(null);
  useEffect(() => {
    void loadWatchlist(true);
    const timer = window.setInterval(() => !document.hidden && loadWatchlist(true), WATCHLIST_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, []);
  const needle = filter.trim().toLowerCase();
  const shown = sortedInstruments(
    items.filter(
      (i) =>
        (category === null || i.category === category) &&
        (!needle || i.symbol.toLowerCase().includes(needle) || i.name.toLowerCase().includes(needle)),
    ),
    sortKey.value,
  );
  const mixed = new Set(items.map((i) => i.category)).size > 1;
  return (
    <nav class="card instruments" aria-label="Watchlist">
      <div class="instruments__head">
        <h2 class="card__title">Watchlist</h2>
        <label class="watch__sort">
          <span class="muted">Sort</span>
          <select value={sortKey.value} onChange={(e) => (sortKey.value = e.currentTarget.value as SortKey)}>
            {Object.entries(SORTS).map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {mixed && <CategoryFilter items={items} value={category} onChange={setCategory} />}
      {items.length > 6 && (
        <input
          class="instruments__filter"
          type="search"
          placeholder="Filter…"
          aria-label="Filter instruments"
          value={filter}
          onInput={(e) => setFilter(e.currentTarget.value)}
        />
      )}
      <ul class="instruments__list">
        {shown.map((i) => (
          <Row key={i.symbol} i={i} active={i.symbol === selected} onSelect={onSelect} />
        ))}
        {shown.length === 0 && (
          <li class="muted instruments__none">
            No {category ? CATEGORY_NAMES[category].toLowerCase() : ""} instrument
            {needle ? ` matches “${filter}”` : " here"}.
          </li>
        )}
      </ul>
      {starError.value && <p class="inline-error instruments__note">{starError.value}</p>}
      <p class="muted instruments__note">Starred first · 24 h of hourly closes · signal of the last hour</p>
    </nav>
  );
}
