// Above the chart: the OHLCV of the hovered (or last) candle, or past the candles the forecasts under
// the crosshair; and one toggle per forecasting model.
import type { Candle, Timeframe } from "../api-types";
import type { ForecastReading, ForecastSummary } from "../lib/forecast-overlay";
import { formatCompact, formatFixed, formatPct, formatUtc, priceDecimals } from "../lib/format";
import type { MarkerLayer } from "../lib/signal-markers";
import { votersOf } from "../lib/voters";
import { selectedInstrument } from "../state/dashboard";
import { MarkerToggles } from "./marker-toggles";
import { ModelToggle } from "./model-toggle";

/** A candle under the crosshair, or the forecast points at a slot past the last candle. */
export type Hover =
  | { candle: Candle; readings?: never }
  | { candle?: never; readings: ForecastReading[]; slot: number };

/** Each shown forecast at the hovered slot: the close it forecasts, its value and its 95% band. */
function Readout({ readings, slot }: { readings: ForecastReading[]; slot: number }) {
  const close = readings[0].point.close;
  const d = priceDecimals(readings[0].point.value, selectedInstrument.value?.tick_size);
  return (
    <dl class="ohlc readout" aria-label="Forecasts at the crosshair" data-slot={slot}>
      <div class="ohlc__time">Forecast of the close at {formatUtc(close)}</div>
      {readings.map(({ label, color, point: p }) => (
        <div key={label} style={{ "--model-color": color }}>
          <dt class="readout__model">{label}</dt>
          <dd class="num">
            {formatFixed(p.value, d)}
            <span class="readout__band">
              {" "}
              95% {formatFixed(p.lower, d)} – {formatFixed(p.upper, d)}
              {p.close !== close && ` · close ${formatUtc(p.close)}`}
            </span>
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Ohlc({ candle, timeframe }: { candle: Candle; timeframe: Timeframe }) {
  const d = priceDecimals(candle.close, selectedInstrument.value?.tick_size);
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
          <dd class={`num ${dir}`}>{formatFixed(v, d)}</dd>
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

/** Every forecast is shorter than one candle of this timeframe: none is drawn, one line says why. */
export const allTooShort = (summaries: ForecastSummary[]) =>
  summaries.length > 0 && summaries.every((s) => s.state === "too_short");

/** The line that says why no forecast is drawn on a long timeframe, over the chart (it takes no room). */
export function HiddenForecastsNote({
  summaries,
  timeframe,
}: {
  summaries: ForecastSummary[];
  timeframe: Timeframe;
}) {
  if (!allTooShort(summaries)) return null;
  return (
    <p class="chart__pill chart__pill--top" role="note">
      Forecasts hidden on {timeframe}: their {horizonText(summaries)} horizon is shorter than one {timeframe}{" "}
      candle.
    </p>
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
  const voters = votersOf(summaries.map((s) => s.model));
  return (
    <div class="chart__legend">
      {hover?.readings ? (
        <Readout readings={hover.readings} slot={hover.slot} />
      ) : candle ? (
        <Ohlc candle={candle} timeframe={timeframe} />
      ) : (
        <div class="ohlc" />
      )}
      {/* The chips stay on every timeframe (disabled where nothing is drawn), so the card keeps its height. */}
      {summaries.length > 0 && (
        <fieldset class="model-toggles">
          <legend class="sr-only">Forecast models shown on the chart</legend>
          {summaries.map((s) => (
            <ModelToggle
              key={s.model.model_type}
              summary={s}
              votes={voters.has(s.model.model_type)}
              quiet={allTooShort(summaries)}
            />
          ))}
        </fieldset>
      )}
      {markers && <MarkerToggles counts={markers.counts} hidden={markers.hidden} />}
    </div>
  );
}
