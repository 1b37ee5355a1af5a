// A profile's stored 1m candles: count, first and last minute, and the gaps between them.
import { adminApi } from "../api";
import type { DataStatus } from "../api-types";
import { formatNumber, formatUtc } from "../lib/format";
import { useLoaded } from "../lib/use-loaded";
import { Spinner } from "./ui";

const GAPS_SHOWN = 8;

export function DataStatusView({ id }: { id: number }) {
  const state = useLoaded<DataStatus>(() => adminApi.dataStatus(id), id);
  if (state.error) return <p class="inline-error">{state.error}</p>;
  if (!state.data) return <Spinner label="Loading data status" />;
  const d = state.data;
  const missing = d.gaps.reduce((sum, g) => sum + g.minutes, 0);
  return (
    <div class="data-status">
      <dl class="metrics metrics--compact">
        <div class="metric">
          <dt>1m candles</dt>
          <dd class="num">{formatNumber(d.candles, 0)}</dd>
        </div>
        <div class="metric">
          <dt>First</dt>
          <dd class="num small">{formatUtc(d.first_time)}</dd>
        </div>
        <div class="metric">
          <dt>Last</dt>
          <dd class="num small">{formatUtc(d.last_time)}</dd>
        </div>
        <div class="metric">
          <dt>Gaps</dt>
          <dd class={`num ${d.gaps.length ? "down" : "up"}`}>
            {d.gaps.length ? `${d.gaps.length} (${formatNumber(missing, 0)} min)` : "none"}
          </dd>
        </div>
      </dl>
      {d.gaps.length > 0 && (
        <ul class="gaps">
          {d.gaps.slice(0, GAPS_SHOWN).map((g) => (
            <li key={g.from} class="num">
              {formatUtc(g.from)} → {formatUtc(g.to)} · {formatNumber(g.minutes, 0)} min
            </li>
          ))}
          {d.gaps.length > GAPS_SHOWN && <li class="muted">and {d.gaps.length - GAPS_SHOWN} more</li>}
        </ul>
      )}
    </div>
  );
}
