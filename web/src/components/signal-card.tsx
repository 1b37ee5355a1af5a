// The model ensemble's call: buy, sell or hold, how confident, and why.

import { confidencePercent } from "../../../core/models/confidence";
import type { SignalAnswer } from "../api-types";
import { formatAgo } from "../lib/format";
import { tradeSignal } from "../state/dashboard";
import { ResourceView } from "./resource-view";
import { Card } from "./ui";

const RING_RADIUS = 30;
const RING_LENGTH = 2 * Math.PI * RING_RADIUS;

/** The arc is exactly the shown percentage (butt caps: round caps would draw a few percent more). */
function ConfidenceRing({ value, kind }: { value: number; kind: string }) {
  const pct = confidencePercent(value);
  const arc = (RING_LENGTH * pct) / 100;
  return (
    <svg class={`ring ring--${kind}`} viewBox="0 0 72 72" role="img" aria-label={`Confidence ${pct}%`}>
      <circle class="ring__track" cx="36" cy="36" r={RING_RADIUS} />
      <circle
        class="ring__value"
        cx="36"
        cy="36"
        r={RING_RADIUS}
        stroke-dasharray={`${arc.toFixed(2)} ${RING_LENGTH.toFixed(2)}`}
        transform="rotate(-90 36 36)"
      />
      <text x="36" y="40" text-anchor="middle" class="ring__text">
        {pct}%
      </text>
    </svg>
  );
}

function SignalBody({ data }: { data: SignalAnswer }) {
  return (
    <div class="signal">
      <div class="signal__main">
        <div>
          <span class={`signal__badge signal__badge--${data.signal}`}>{data.signal.toUpperCase()}</span>
          <p class="muted signal__meta">Updated {formatAgo(data.generated_at)}</p>
        </div>
        <ConfidenceRing value={data.confidence} kind={data.signal} />
      </div>
      {data.reasons.length > 0 && (
        <ul class="signal__reasons">
          {data.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function SignalCard() {
  return (
    <Card title="Signal" labelId="signal-title" class="insight">
      <ResourceView state={tradeSignal.state.value} missing="No signal yet: models are still being trained.">
        {(data) => <SignalBody data={data} />}
      </ResourceView>
    </Card>
  );
}
