// Above the chart: the OHLCV of the hovered (or last) candle, and one toggle per forecasting model.
import type { Candle, Timeframe } from "../api-types";
import type { ForecastSummary } from "../lib/forecast-overlay";
import { formatCompact, formatNumber, formatPct, formatPrice, formatUtc, priceDecimals } from "../lib/format";
import type { MarkerLayer } from "../lib/signal-markers";
import { toggleModel } from "../state/dashboard";
import { MarkerToggles } from "./marker-toggles";

export interface Hover {
  candle: Candle;
}

const STATE_NOTE: Record<string, string> = {
  not_price: "not a price path",
  too_short: "horizon shorter than one candle",
  no_line: "nothing after the last candle",
};

function Ohlc({ candle, timeframe }: { candle: Candle; timeframe: Timeframe }) {
  const d = priceDecimals(candle.close);
  const change = candle.open ? (candle.close - candle.open) / candle.open : 0;
  const dir = candle.close >= candle.open ? "up" : "down";
  const intraday = !["1D", "1W", "1M"].includes(timeframe);
  return (
    <dl class="ohlc" aria-label="Candle values">
      <div class="ohlc__time">{formatUtc(candle.time, intraday)}</div>
      {(
        [
          ["O", candle.open],
          ["H", candle.high],
          ["L", candle.low],
          ["C", candle.close],
        ] as const
      ).map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd class={`num ${dir}`}>{formatPrice(v, d)}</dd>
        </div>
      ))}
      <div>
        <dt>Chg</dt>
        <dd class={`num ${dir}`}>{formatPct(change)}</dd>
      </div>
      <div>
        <dt>Vol</dt>
        <dd class="num">{formatCompact(candle.volume)}</dd>
      </div>
    </dl>
  );
}

function ModelToggle({ summary }: { summary: ForecastSummary }) {
  const { model, color, label, state } = summary;
  const skill = model.metrics?.skill;
  const accuracy = model.metrics?.directional_accuracy;
  const pValue = model.metrics?.dm_pvalue;
  const coverage = model.metrics?.coverage_95;
  const folds = model.metrics?.folds?.length;
  const drawable = state === "drawn" || state === "hidden";
  const title = [
    `${label} v${model.version}`,
    typeof skill === "number"
      ? `skill vs naive ${formatPct(skill, 2)}${folds ? ` over ${folds} rolling folds` : ""}`
      : null,
    typeof pValue === "number" ? `Diebold-Mariano p ${formatNumber(pValue, 3)}` : null,
    typeof coverage === "number" ? `95% band held ${formatPct(coverage, 1, false)} of hours` : null,
    accuracy !== undefined ? `direction right ${formatPct(accuracy, 0, false)}` : null,
    model.metrics?.horizon !== undefined
      ? `horizon ${model.metrics.horizon} × ${model.metrics.timeframe ?? ""}`
      : null,
  ]
    .filter(Boolean)
    .join(" · ");
  return (
    <button
      type="button"
      class={`model-toggle ${state === "drawn" ? "is-on" : ""}`}
      style={{ "--model-color": color }}
      aria-pressed={state === "drawn"}
      disabled={!drawable}
      title={title}
      onClick={() => toggleModel(model.model_type)}
    >
      <span class="model-toggle__swatch" aria-hidden="true" />
      <span class="model-toggle__label">{label}</span>
      {typeof skill === "number" && (
        <span class={`model-toggle__metric ${skill > 0 ? "up" : "down"}`}>
          <span class="model-toggle__word">skill </span>
          {formatPct(skill, 2)}
        </span>
      )}
      {typeof pValue === "number" && (
        <span class={`model-toggle__metric ${pValue < 0.1 ? "up" : ""}`}>
          <span class="model-toggle__word">p </span>
          {formatNumber(pValue, 2)}
        </span>
      )}
      {typeof coverage === "number" && (
        <span class="model-toggle__metric">
          <span class="model-toggle__word">95% band </span>
          {formatPct(coverage, 0, false)}
        </span>
      )}
      {!drawable && <span class="model-toggle__note">{STATE_NOTE[state]}</span>}
    </button>
  );
}

/** The longest forecast's horizon, e.g. "24 h": from one step before its first point to its last. */
function horizonText(summaries: ForecastSummary[]): string {
  const hours = summaries.map(({ model: { forecast: f } }) =>
    f.length > 1 ? (f[f.length - 1].time - f[0].time + f[1].time - f[0].time) / 3600 : f.length,
  );
  const h = Math.max(...hours);
  return h >= 48 && h % 24 === 0 ? `${h / 24} day` : `${h} h`;
}

export function ChartLegend({
  hover,
  last,
  summaries,
  timeframe,
  markers,
}: {
  hover: Hover | null;
  last: Candle | null;
  summaries: ForecastSummary[];
  timeframe: Timeframe;
  /** Marker counts on the loaded candles and the hidden layers; null before any history loads. */
  markers?: { counts: Record<MarkerLayer, number>; hidden: ReadonlySet<string> } | null;
}) {
  const candle = hover?.candle ?? last;
  return (
    <div class="chart__legend">
      {candle ? <Ohlc candle={candle} timeframe={timeframe} /> : <div class="ohlc" />}
      {summaries.length > 0 && summaries.every((s) => s.state === "too_short") ? (
        <p class="muted model-toggles__note" role="note">
          Forecasts hidden on {timeframe}: their {horizonText(summaries)} horizon is shorter than one{" "}
          {timeframe} candle.
        </p>
      ) : (
        summaries.length > 0 && (
          <fieldset class="model-toggles">
            <legend class="sr-only">Forecast models shown on the chart</legend>
            {summaries.map((s) => (
              <ModelToggle key={s.model.model_type} summary={s} />
            ))}
          </fieldset>
        )
      )}
      {markers && <MarkerToggles counts={markers.counts} hidden={markers.hidden} />}
    </div>
  );
}
