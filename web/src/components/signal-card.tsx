// The ensemble's call: buy, sell or hold, how confident (a calibrated probability, never a p-value),
// what that confidence rests on, and why. With no model allowed to vote there is no confidence at all.
import { CALIBRATION_MIN_SAMPLES } from "../../../core/models/calibration";
import { confidencePercent } from "../../../core/models/confidence";
import type { SignalAnswer } from "../api-types";
import { formatAgo, formatNumber } from "../lib/format";
import { votersOf } from "../lib/voters";
import { predictions, tradeSignal } from "../state/dashboard";
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

type Basis = SignalAnswer["confidence_basis"];

/** "calibrated on 462 hours · held out: Brier 0.226 vs 0.231 base rate". */
function basisWords(basis: Basis): string {
  if (!basis || basis.n === null) return "calibration basis not given";
  const where = basis.source === "ledger" ? "recorded hours" : "out-of-sample hours";
  const fit = `calibrated on ${formatNumber(basis.n, 0)} ${where}`;
  const h = basis.held_out;
  if (!h) return fit;
  return `${fit} · held out (${formatNumber(h.n, 0)} hours): Brier ${h.brier.toFixed(3)} vs ${h.brier_base_rate.toFixed(3)} base rate`;
}

/** What stands where the confidence would: its value and basis, or why there is none. */
function Confidence({ data, voters }: { data: SignalAnswer; voters: Set<string> | null }) {
  if (data.confidence !== null)
    return (
      <p class="signal__basis" data-state="calibrated">
        Chance the next hour closes the way the voters lean: {basisWords(data.confidence_basis)}.
      </p>
    );
  const noVoter = data.signal === "hold" && voters !== null && voters.size === 0;
  if (noVoter)
    return (
      <p class="signal__none" data-state="no-edge">
        <strong>No evidence of an edge</strong>
        <span class="muted">No model may vote, so no confidence is given: the reasons below say why.</span>
      </p>
    );
  if (data.signal === "hold" && voters === null)
    return (
      <p class="signal__none" data-state="none">
        <strong>No confidence given</strong>
      </p>
    );
  const samples = data.confidence_basis?.samples ?? 0;
  return (
    <p class="signal__none" data-state="uncalibrated">
      <strong>No confidence yet: too few hours to calibrate</strong>
      <span class="muted">
        {formatNumber(samples, 0)} out-of-sample hours with a voter so far; a calibration needs{" "}
        {CALIBRATION_MIN_SAMPLES}.
      </span>
    </p>
  );
}

function SignalBody({ data }: { data: SignalAnswer }) {
  const models = predictions.state.value.data?.models;
  const voters = models ? votersOf(models) : null;
  return (
    <div class="signal">
      <div class="signal__main">
        <div>
          <span class={`signal__badge signal__badge--${data.signal}`}>{data.signal.toUpperCase()}</span>
          <p class="muted signal__meta">Updated {formatAgo(data.generated_at)}</p>
        </div>
        {data.confidence !== null && <ConfidenceRing value={data.confidence} kind={data.signal} />}
      </div>
      <Confidence data={data} voters={voters} />
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
