// Trained model versions with their out-of-sample metrics against the naive baseline.
import { useState } from "preact/hooks";
import type { ModelRecord } from "../api-types";
import { formatAgo, formatNumber, formatPct, formatUtc } from "../lib/format";
import { modelLook } from "../lib/models";
import { models, profiles } from "../state/admin";
import { Alert, Card, Skeleton } from "./ui";

function Params({ params }: { params: Record<string, unknown> | null }) {
  if (!params || Object.keys(params).length === 0) return <span class="muted">—</span>;
  return (
    <details class="params">
      <summary>Parameters</summary>
      <dl>
        {Object.entries(params).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd class="num">{typeof v === "number" ? formatNumber(v, 6) : JSON.stringify(v)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

function ModelRow({ m }: { m: ModelRecord }) {
  const look = modelLook(m.model_type);
  const x = m.metrics ?? {};
  const skill = x.skill;
  return (
    <tr>
      <td data-label="Instrument">
        <strong>{m.symbol}</strong>
      </td>
      <td data-label="Model">
        <span class="model-name" style={{ "--model-color": look.color }}>
          {look.label}
        </span>
        <span class="muted cell-sub">v{m.version}</span>
      </td>
      <td data-label="Status">
        <span class={`badge ${m.active ? "badge--ok" : "badge--off"}`}>{m.active ? "active" : m.status}</span>
      </td>
      <td data-label="Trained">
        {formatAgo(m.trained_at)}
        {m.trained_on && (
          <span class="muted cell-sub">
            {m.trained_on.timeframe} · {formatUtc(m.trained_on.from, false)} →{" "}
            {formatUtc(m.trained_on.to, false)}
          </span>
        )}
      </td>
      <td data-label="Test" class="num">
        {x.n !== undefined ? `${formatNumber(x.n, 0)} × ${x.timeframe ?? ""}` : "—"}
        {x.horizon !== undefined && <span class="muted cell-sub">h = {x.horizon}</span>}
      </td>
      <td data-label="MAE / naive" class="num">
        {formatNumber(x.mae, 4)} <span class="muted">/ {formatNumber(x.naive_mae, 4)}</span>
        {x.qlike !== undefined && (
          <span class="muted cell-sub">
            QLIKE {formatNumber(x.qlike, 4)} / {formatNumber(x.naive_qlike, 4)}
          </span>
        )}
      </td>
      <td data-label="Skill" class={`num ${skill === undefined ? "" : skill > 0 ? "up" : "down"}`}>
        {formatPct(skill, 1)}
      </td>
      <td data-label="Direction" class="num">
        {formatPct(x.directional_accuracy, 1, false)}
      </td>
      <td data-label="Fit">
        <Params params={m.parameters} />
      </td>
    </tr>
  );
}

export function ModelsPanel() {
  const [filter, setFilter] = useState("all");
  const state = models.state.value;
  const list = (state.data ?? []).filter((m) => filter === "all" || String(m.profile_id) === filter);
  return (
    <Card
      title="Models"
      labelId="models-title"
      class="admin-models"
      actions={
        <select
          aria-label="Filter models by instrument"
          class="select--sm"
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
        >
          <option value="all">All instruments</option>
          {(profiles.state.value.data ?? []).map((p) => (
            <option key={p.id} value={String(p.id)}>
              {p.symbol}
            </option>
          ))}
        </select>
      }
    >
      {state.error && <Alert>{state.error}</Alert>}
      {!state.data && state.loading && <Skeleton lines={4} />}
      {state.data && list.length === 0 && <p class="muted">No trained models yet.</p>}
      {list.length > 0 && (
        <div class="table-scroll">
          <table class="table table--models">
            <thead>
              <tr>
                <th>Instrument</th>
                <th>Model</th>
                <th>Status</th>
                <th>Trained</th>
                <th>Test set</th>
                <th>MAE / naive</th>
                <th>Skill</th>
                <th>Direction</th>
                <th>Fit</th>
              </tr>
            </thead>
            <tbody>
              {list.map((m) => (
                <ModelRow key={m.id} m={m} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
