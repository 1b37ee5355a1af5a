// A reliability table of the signal's confidence: the hours grouped by the probability they were given,
// each bin's mean predicted probability against the share that went the predicted way, with the Brier
// score against the base rate's. Calibrated, the two columns agree.
import type { TrackRecordAnswer } from "../api-types";
import { formatNumber, formatPct } from "../lib/format";

type Bin = NonNullable<TrackRecordAnswer["signal"]["confidence"]>["reliability"][number];

export interface ReliabilityCheck {
  n: number;
  brier: number;
  brier_base_rate: number;
  reliability: Bin[];
}

export function ReliabilityTable({
  title,
  check,
  note,
}: {
  title: string;
  check: ReliabilityCheck;
  note: string;
}) {
  const better = check.brier < check.brier_base_rate;
  return (
    <figure class="reliability">
      <figcaption>
        <strong>{title}</strong>
        <span class="muted">
          {" "}
          · {formatNumber(check.n, 0)} hours · Brier{" "}
          <span class={`num ${better ? "up" : "down"}`}>{check.brier.toFixed(3)}</span> vs{" "}
          <span class="num">{check.brier_base_rate.toFixed(3)}</span> base rate (
          {better ? "better" : "no better"})
        </span>
        <span class="muted cell-sub">{note}</span>
      </figcaption>
      <table class="table table--reliability">
        <thead>
          <tr>
            <th>Given</th>
            <th>Hours</th>
            <th>Mean given</th>
            <th>Went that way</th>
          </tr>
        </thead>
        <tbody>
          {check.reliability.map((b) => (
            <tr key={b.from}>
              <td class="num reliability__bin">
                {Math.round(b.from * 100)}–{Math.round(b.to * 100)}%
              </td>
              <td class="num">{formatNumber(b.n, 0)}</td>
              <td class="num">{formatPct(b.predicted, 1, false)}</td>
              <td class="num">
                {formatPct(b.observed, 1, false)}
                <span class="reliability__bar" aria-hidden="true">
                  <span style={{ left: `${b.predicted * 100}%` }} class="reliability__given" />
                  <span style={{ width: `${b.observed * 100}%` }} class="reliability__seen" />
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
