// The forecasts the product actually served, scored as their hours closed: since when, how many, each
// model's live next-hour scores, the signal's paper account against buy-and-hold, the ledger's chain
// head, and why this differs from the backtest. The entries themselves download as CSV.
import type { TrackRecordAnswer } from "../api-types";
import { liveFigures } from "../lib/figures";
import { formatAgo, formatNumber, formatPct, formatUtc } from "../lib/format";
import { modelLook } from "../lib/models";
import { selectedSymbol, trackRecord } from "../state/dashboard";
import { Figures } from "./figures";
import { LedgerDownload } from "./ledger-download";
import { PaperEquity } from "./paper-equity";
import { ResourceView } from "./resource-view";
import { Card } from "./ui";

type Answer = TrackRecordAnswer;
const HOUR = 3600;

function ModelRecord({ m }: { m: Answer["models"][number] }) {
  const look = modelLook(m.model_type);
  return (
    <li class="record-model" style={{ "--model-color": look.color }}>
      <span class="record-model__name">
        {look.label}
        <span class="muted">
          {" "}
          v{m.versions.join(", v")} · {formatNumber(m.entries, 0)} forecast{m.entries === 1 ? "" : "s"}
        </span>
      </span>
      {m.next_hour ? (
        <Figures
          figures={liveFigures(m.model_type, m.next_hour)}
          label={`${look.label}: the next hour, live`}
        />
      ) : (
        <span class="muted fine">no next hour scored yet</span>
      )}
    </li>
  );
}

function Paper({ paper }: { paper: Answer["signal"]["paper"] }) {
  if (paper.from === null)
    return (
      <p class="record__empty">
        No paper trade yet: the account follows the recorded signals from the first hour that opens after one
        is made, {formatNumber(paper.fees_bps, 0)} bps a side.
      </p>
    );
  const edge =
    paper.total_return !== null && paper.buy_and_hold_return !== null
      ? paper.total_return - paper.buy_and_hold_return
      : null;
  return (
    <>
      <Figures
        label="The signal on paper"
        figures={[
          { word: "signal", value: formatPct(paper.total_return, 2) },
          { word: "buy & hold", value: formatPct(paper.buy_and_hold_return, 2) },
          { word: "edge", value: formatPct(edge, 2), tone: edge === null ? "" : edge > 0 ? "up" : "down" },
          { word: "positions", value: formatNumber(paper.positions_opened, 0) },
          { word: "now", value: paper.long ? "long" : "flat" },
        ]}
      />
      <PaperEquity points={paper.equity} />
      <p class="muted fine">
        {formatUtc(paper.from)} → {formatUtc(paper.to === null ? null : paper.to + HOUR)} · each signal acts
        at the next hour's open, {formatNumber(paper.fees_bps, 0)} bps a side · long or flat
      </p>
    </>
  );
}

function RecordBody({ data }: { data: Answer }) {
  if (data.entries === 0)
    return (
      <p class="record__empty">
        Nothing recorded yet. Once the models are active, each hour's forecasts and signal are recorded at the
        hour's close, before their outcome; the first forecasts are scored an hour after they are made.
      </p>
    );
  const since = data.since ? Date.parse(data.since) / 1000 : null;
  const c = data.signal.confidence;
  return (
    <div class="record">
      <dl class="metrics metrics--compact">
        <div class="metric">
          <dt>Live since</dt>
          <dd class="num fine">{formatUtc(data.since)}</dd>
        </div>
        <div class="metric">
          <dt>Entries</dt>
          <dd class="num">{formatNumber(data.entries, 0)}</dd>
        </div>
      </dl>
      {data.scored_through === null ? (
        <p class="record__empty">
          Nothing scored yet: the first forecasts are scored an hour after they are made
          {since !== null && `, from about ${formatUtc(Math.floor(since / HOUR) * HOUR + HOUR)}`}.
        </p>
      ) : (
        <p class="muted fine">
          Scored through the hour that closed {formatUtc(data.scored_through + HOUR)} (
          {formatAgo(data.scored_through + HOUR)}). Each model's next-hour forecasts, live:
        </p>
      )}
      {data.models.length > 0 && (
        <ul class="record-models">
          {data.models.map((m) => (
            <ModelRecord key={m.model_type} m={m} />
          ))}
        </ul>
      )}
      <h3 class="record__sub">The signal on paper</h3>
      <Paper paper={data.signal.paper} />
      {c && (
        <p class="muted fine">
          Its confidence on {formatNumber(c.n, 0)} scored hours: Brier {c.brier.toFixed(3)} vs{" "}
          {c.brier_base_rate.toFixed(3)} base rate ({formatPct(c.hits / c.n, 0, false)} went its way).
        </p>
      )}
      {data.head && (
        <p class="record__chain muted fine">
          Chain head #{data.head.seq}{" "}
          <code title={data.head.hash} class="num">
            {data.head.hash.slice(0, 12)}…
          </code>
        </p>
      )}
      <p class="muted card__foot">{data.differs_from_backtest}</p>
    </div>
  );
}

export function TrackRecordCard() {
  const symbol = selectedSymbol.value;
  const state = trackRecord.state.value;
  return (
    <Card
      title="Track record"
      labelId="record-title"
      class="insight record-card"
      actions={
        symbol && state.data && state.data.entries > 0 && <LedgerDownload key={symbol} symbol={symbol} />
      }
    >
      <ResourceView
        state={state}
        missing="No track record yet: it starts when the models are trained and their first forecasts are recorded."
        lines={5}
      >
        {(data) => <RecordBody data={data} />}
      </ResourceView>
    </Card>
  );
}
