// Legend toggles of the chart's markers: the signal's turns to buy or sell, and the backtest's fills.
import { MARKER_LAYERS, type MarkerLayer } from "../lib/signal-markers";
import { toggleModel } from "../state/dashboard";

const LOOK: Record<MarkerLayer, { label: string; color: string; title: string }> = {
  signals: {
    label: "Signals",
    color: "#2BD9A0",
    title:
      "Circles: the hours at which the models' hourly signal turned to buy (below the candle) or to sell (above), each decided from the candles up to that hour. Several in one candle show a count.",
  },
  trades: {
    label: "Trades",
    color: "#E5E7EB",
    title:
      "Arrows: the backtest's entries and exits (B buy, S sell) at the hourly close they filled at. Several in one candle show a count.",
  },
};

export function MarkerToggles({
  counts,
  hidden,
}: {
  counts: Record<MarkerLayer, number>;
  hidden: ReadonlySet<string>;
}) {
  return (
    <fieldset class="model-toggles marker-toggles">
      <legend class="sr-only">Buy and sell markers shown on the chart</legend>
      {MARKER_LAYERS.map((layer) => {
        const on = !hidden.has(layer);
        const { label, color, title } = LOOK[layer];
        return (
          <button
            key={layer}
            type="button"
            class={`model-toggle ${on ? "is-on" : ""}`}
            style={{ "--model-color": color }}
            aria-pressed={on}
            title={title}
            data-layer={layer}
            onClick={() => toggleModel(layer)}
          >
            <span class="model-toggle__swatch" aria-hidden="true" />
            <span class="model-toggle__label">{label}</span>
            <span class="model-toggle__metric num">{counts[layer]}</span>
          </button>
        );
      })}
    </fieldset>
  );
}
