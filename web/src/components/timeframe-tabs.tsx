// The eight chart timeframes as a segmented control.
import { TIMEFRAMES, type Timeframe } from "../api-types";

export function TimeframeTabs({ value, onChange }: { value: Timeframe; onChange: (tf: Timeframe) => void }) {
  return (
    <fieldset class="segmented">
      <legend class="sr-only">Timeframe</legend>
      {TIMEFRAMES.map((tf) => (
        <button
          key={tf}
          type="button"
          aria-pressed={tf === value}
          class={`segmented__item ${tf === value ? "is-active" : ""}`}
          onClick={() => onChange(tf)}
        >
          {tf}
        </button>
      ))}
    </fieldset>
  );
}
