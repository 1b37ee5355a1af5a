// A trained profile's live track record as admins see it: per model the ledger's next-hour scores (hours
// scored, skill or QLIKE against the EWMA, the DM p-value, band coverage, direction), and the signal's
// confidence checked twice: on held-out hours of its calibration and live on the hours it was served.
import { useState } from "preact/hooks";
import { adminApi } from "../api";
import type { AdminTrackRecordAnswer } from "../api-types";
import { liveFigures } from "../lib/figures";
import { formatNumber, formatPct, formatUtc } from "../lib/format";
import { modelLook } from "../lib/models";
import { useLoaded } from "../lib/use-loaded";
import { profiles } from "../state/admin";
import { Figures } from "./figures";
import { ReliabilityTable } from "./reliability-table";
import { Card, Spinner } from "./ui";

type Answer = AdminTrackRecordAnswer;

function ModelRows({ models }: { models: Answer["models"] }) {
  return (
    <table class="table table--stack table--record">
      <thead>
        <tr>
          <th>Model</th>
          <th>Forecasts</th>
          <th>Next hour, live</th>
          <th>24 h range held</th>
        </tr>
      </thead>
      <tbody>
        {models.map((m) => {
          const look = modelLook(m.model_type);
          const range = m.horizons.find((h) => h.range_n);
          return (
            <tr key={m.model_type}>
              <td data-label="Model">
                <span class="model-name" style={{ "--model-color": look.color }}>
                  {look.label}
                </span>
                <span class="muted cell-sub">v{m.versions.join(", v")}</span>
              </td>
              <td data-label="Forecasts" class="num">
                {formatNumber(m.entries, 0)}
              </td>
              <td data-label="Next hour">
                {m.next_hour ? (
                  <Figures figures={liveFigures(m.model_type, m.next_hour)} />
                ) : (
                  <span class="muted">not scored yet</span>
                )}
              </td>
              <td data-label="24 h range" class="num">
                {range?.range_coverage !== undefined
                  ? `${formatPct(range.range_coverage, 1, false)} of ${formatNumber(range.range_n, 0)}`
                  : "—"}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Confidence({ data }: { data: Answer }) {
  const basis = data.calibration;
  const live = data.signal.confidence;
  const fit =
    basis === null
      ? "No calibration stored for this profile's models."
      : basis.n === null
        ? `No calibration yet: ${formatNumber(basis.samples, 0)} out-of-sample hours with a voter, too few to fit.`
        : `Fitted on ${formatNumber(basis.n, 0)} ${basis.source === "ledger" ? "recorded" : "out-of-sample"} hours with a voter (${formatNumber(basis.hits, 0)} went the voters' way).`;
  return (
    <section class="record-confidence" aria-label="Confidence of the signal">
      <h3 class="record__sub">Confidence of the signal</h3>
      <p class="muted fine">{fit}</p>
      <div class="reliability-pair">
        {basis?.held_out ? (
          <ReliabilityTable
            title="Held out"
            check={basis.held_out}
            note="Each hour given the probability of a fit on earlier hours only."
          />
        ) : (
          <p class="muted fine">No held-out check: the fit needs more hours first.</p>
        )}
        {live ? (
          <ReliabilityTable
            title="Live"
            check={live}
            note={`The confidences served, against the next hour's close (${formatNumber(live.hits, 0)} of ${formatNumber(live.n, 0)} went their way).`}
          />
        ) : (
          <p class="muted fine">
            Live: no scored confidence yet (a signal with a voter and a calibrated confidence is scored when
            the next hour closes).
          </p>
        )}
      </div>
    </section>
  );
}

function RecordView({ id }: { id: number }) {
  const state = useLoaded<Answer>(() => adminApi.trackRecord(id), id);
  if (state.error) return <p class="inline-error">{state.error}</p>;
  if (!state.data) return <Spinner label="Loading the track record" />;
  const d = state.data;
  return (
    <div class="record">
      <p class="muted fine">
        {d.entries === 0
          ? "Nothing recorded yet: entries are made at each hour's close once the models are active."
          : `Live since ${formatUtc(d.since)} · ${formatNumber(d.entries, 0)} entries · ${d.scored_through === null ? "nothing scored yet (an hour after the first forecasts)" : `scored through the hour that closed ${formatUtc(d.scored_through + 3600)}`}`}
        {d.head && (
          <>
            {" "}
            · chain head #{d.head.seq}{" "}
            <code title={d.head.hash} class="num">
              {d.head.hash.slice(0, 12)}…
            </code>
          </>
        )}
      </p>
      {d.models.length > 0 && <ModelRows models={d.models} />}
      <Confidence data={d} />
      <p class="muted fine">{d.differs_from_backtest}</p>
    </div>
  );
}

export function TrackRecordsPanel() {
  const trained = (profiles.state.value.data ?? []).filter((p) => p.models_trained);
  const [chosen, setChosen] = useState<number | null>(null);
  const id = trained.some((p) => p.id === chosen) ? chosen : (trained[0]?.id ?? null);
  return (
    <Card
      title="Track records"
      labelId="records-title"
      class="admin-records"
      actions={
        trained.length > 0 && (
          <select
            aria-label="Track record of"
            class="select--sm"
            value={String(id)}
            onChange={(e) => setChosen(Number(e.currentTarget.value))}
          >
            {trained.map((p) => (
              <option key={p.id} value={String(p.id)}>
                {p.symbol}
              </option>
            ))}
          </select>
        )
      }
    >
      {id === null ? (
        <p class="muted">
          No trained profile yet: a track record starts when a profile's models are trained.
        </p>
      ) : (
        <RecordView key={id} id={id} />
      )}
    </Card>
  );
}
