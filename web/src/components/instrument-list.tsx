// The instruments a user may open (trained ones only), with price and 24 h change; filterable by
// category (crypto / forex) and by name.
import { useState } from "preact/hooks";
import { type Instrument, PROFILE_TYPES } from "../api-types";
import { formatPctPoints, formatPrice, trendOf } from "../lib/format";

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

export function InstrumentList({ items, selected, onSelect }: Props) {
  const [filter, setFilter] = useState("");
  const [category, setCategory] = useState<Category | null>(null);
  const needle = filter.trim().toLowerCase();
  const shown = items.filter(
    (i) =>
      (category === null || i.category === category) &&
      (!needle || i.symbol.toLowerCase().includes(needle) || i.name.toLowerCase().includes(needle)),
  );
  const mixed = new Set(items.map((i) => i.category)).size > 1;
  return (
    <nav class="card instruments" aria-label="Instruments">
      <div class="instruments__head">
        <h2 class="card__title">Markets</h2>
        <span class="muted instruments__count">{items.length}</span>
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
        {shown.map((i) => {
          const active = i.symbol === selected;
          const change = formatPctPoints(i.change_percent);
          return (
            <li key={i.symbol}>
              <button
                type="button"
                class={`instrument ${active ? "is-active" : ""}`}
                aria-current={active ? "true" : undefined}
                onClick={() => onSelect(i.symbol)}
              >
                <span class="instrument__id">
                  <span class="instrument__symbol">{i.symbol}</span>
                  <span class="instrument__name">
                    {i.simulated && (
                      <span class="sim-badge" title="A generated market (npm run demo), not a real one">
                        simulated
                      </span>
                    )}
                    {i.name}
                  </span>
                </span>
                <span class="instrument__quote">
                  <span class="num instrument__price">{formatPrice(i.price, i.tick_size)}</span>
                  <span class={`num chip chip--${trendOf(change)}`}>{change}</span>
                </span>
              </button>
            </li>
          );
        })}
        {shown.length === 0 && (
          <li class="muted instruments__none">
            No {category ? CATEGORY_NAMES[category].toLowerCase() : ""} instrument
            {needle ? ` matches “${filter}”` : " here"}.
          </li>
        )}
      </ul>
    </nav>
  );
}
