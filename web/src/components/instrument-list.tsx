// The instruments a user may open (trained ones only), with price and 24 h change; filterable.
import { useState } from "preact/hooks";
import type { Instrument } from "../api-types";
import { formatPctPoints, formatPrice, trend } from "../lib/format";

interface Props {
  items: Instrument[];
  selected: string | null;
  onSelect: (symbol: string) => void;
}

export function InstrumentList({ items, selected, onSelect }: Props) {
  const [filter, setFilter] = useState("");
  const needle = filter.trim().toLowerCase();
  const shown = needle
    ? items.filter((i) => i.symbol.toLowerCase().includes(needle) || i.name.toLowerCase().includes(needle))
    : items;
  return (
    <nav class="card instruments" aria-label="Instruments">
      <div class="instruments__head">
        <h2 class="card__title">Markets</h2>
        <span class="muted instruments__count">{items.length}</span>
      </div>
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
          const dir = trend(i.change_percent);
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
                  <span class="num instrument__price">{formatPrice(i.price)}</span>
                  <span class={`num chip chip--${dir}`}>{formatPctPoints(i.change_percent)}</span>
                </span>
              </button>
            </li>
          );
        })}
        {shown.length === 0 && <li class="muted instruments__none">No instrument matches “{filter}”.</li>}
      </ul>
    </nav>
  );
}
