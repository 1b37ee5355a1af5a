// Where the price may be a day from now: the volatility model's calibrated 95% range of the close
// `hours` after its forecast was made, and how often such ranges held, in its rolling evaluation and
// live in the ledger.
import type { ModelForecast, TrackRecordAnswer } from "../api-types";
import { formatCount, formatFixed, formatNumber, formatPct, formatUtc, priceDecimals } from "../lib/format";
import { modelLook } from "../lib/models";
import { predictions, selectedInstrument, trackRecord } from "../state/dashboard";
import { ResourceView } from "./resource-view";
import { Card } from "./ui";

const HOUR = 3600;

/** The live coverage of this model's range, from the ledger's horizon of the range's length. */
function liveCoverage(record: TrackRecordAnswer | null, type: string, hours: number) {
  const h = record?.models.find((m) => m.model_type === type)?.horizons.find((x) => x.horizon === hours);
  return h?.range_coverage !== undefined && h.range_n ? { coverage: h.range_coverage, n: h.range_n } : null;
}

function RangeBody({ model, origin }: { model: ModelForecast; origin: number | null }) {
  const range = model.range!;
  const label = modelLook(model.model_type).label;
  const x = model.metrics ?? {};
  const d = priceDecimals(range.upper, selectedInstrument.value?.tick_size);
  const center = Math.sqrt(range.lower * range.upper); // the last close: the range is symmetric in log price
  const half = (range.upper - range.lower) / 2 / center;
  const made = origin === null ? null : origin + HOUR;
  const live = liveCoverage(trackRecord.state.value.data, model.model_type, range.hours);
  return (
    <div class="range">
      <p class="range__band num">
        {formatFixed(range.lower, d)} <span class="muted">–</span> {formatFixed(range.upper, d)}
      </p>
      <p class="muted fine">
        95% range of the close {made !== null ? `at ${formatUtc(made + range.hours * HOUR)}` : ""},{" "}
        {range.hours} h after the forecast made at {formatUtc(made)}: about ±{formatPct(half, 1, false)}{" "}
        around {formatFixed(center, d)}, by {label}.
      </p>
      <dl class="metrics metrics--compact">
        <div class="metric">
          <dt>
            Held <span class="metric__basis">rolling evaluation</span>
          </dt>
          <dd class="num">
            {typeof x.range_coverage === "number" ? formatPct(x.range_coverage, 1, false) : "—"}
            {x.range_n !== undefined && <span class="metric__of"> of {formatCount(x.range_n)}</span>}
          </dd>
        </div>
        <div class="metric">
          <dt>
            Held <span class="metric__basis">live, in the ledger</span>
          </dt>
          <dd class="num">
            {live ? formatPct(live.coverage, 1, false) : "—"}
            {live && <span class="metric__of"> of {formatCount(live.n)}</span>}
          </dd>
        </div>
      </dl>
      <p class="muted card__foot">
        Held: the share of past origins whose close {range.hours} h later fell inside the range
        {typeof x.range_band_z === "number" &&
          ` (its width calibrated on earlier folds, ${formatNumber(x.range_band_z, 2)} sd)`}
        .{!live && ` Live ranges are scored ${range.hours} h after they are made: none yet.`}
      </p>
    </div>
  );
}

export function RangeCard() {
  const state = predictions.state.value;
  const hours = state.data?.models.find((m) => m.range)?.range?.hours ?? 24;
  return (
    <Card title={`Next ${hours} h range`} labelId="range-title" class="insight range-card">
      <ResourceView state={state} missing="No range yet: models are still being trained." lines={3}>
        {(data) => {
          const model = data.models.find((m) => modelLook(m.model_type).volatility && m.range);
          if (model) return <RangeBody model={model} origin={data.origin} />;
          return (
            <p class="muted">
              {data.models.some((m) => modelLook(m.model_type).volatility)
                ? "No range: the volatility model's evaluation has not calibrated one (it is retrained with it)."
                : "No range: no volatility model is active for this instrument."}
            </p>
          );
        }}
      </ResourceView>
    </Card>
  );
}
