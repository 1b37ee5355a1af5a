// Trained model versions with their rolling out-of-sample metrics against the naive baseline: pooled
// skill, the Diebold-Mariano p-value, the calibrated band's coverage, and every fold.
import { useState } from "preact/hooks";
import type { ModelFold, ModelRecord } from "../api-types";
import {
  formatAgo,
  formatCount,
  formatMoney,
  formatNumber,
  formatPct,
  formatPValue,
  formatUtc,
  trendOf,
} from "../lib/format";
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

/** Each rolling origin: its test block, what the model fitted before it scored, its band's coverage. */
function FoldTable({ folds }: { folds: ModelFold[] }) {
  return (
    <table class="table table--folds">
      <thead>
        <tr>
          <th>Test block (UTC)</th>
          <th>n</th>
          <th>Skill</th>
          <th>DM p</th>
          <th>Band z</th>
          <th>95% cover</th>
        </tr>
      </thead>
      <tbody>
        {folds.map((f) => (
          <tr key={f.test_from}>
            <td>
              {formatUtc(f.test_from, false)} → {formatUtc(f.test_to, false)}
            </td>
            <td class="num">{formatCount(f.n)}</td>
            <td class={`num ${trendOf(formatPct(f.skill, 2))}`}>{formatPct(f.skill, 2)}</td>
            <td class="num">{formatPValue(f.dm_pvalue)}</td>
            <td class="num">{formatNumber(f.band_z, 2)}</td>
            <td class="num">{formatPct(f.coverage_95, 1, false)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const COLUMNS = 12;

function ModelRow({ m }: { m: ModelRecord }) {
  const [foldsOpen, setFoldsOpen] = useState(false);
  const look = modelLook(m.model_type);
  const x = m.metrics ?? {};
  // A volatility model forecasts no price: its test is QLIKE against the EWMA, not a price skill.
  const vol = look.volatility;
  const skill = vol ? undefined : x.skill;
  const p = vol ? x.qlike_dm_pvalue : x.dm_pvalue;
  const folds = x.folds ?? [];
  // MAE is money in the quote currency: written at the market's tick, as its prices are.
  const tick = profiles.state.value.data?.find((p) => p.id === m.profile_id)?.tick_size ?? null;
  const shownSkill = formatPct(skill, 2);
  return (
    <>
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
          <span class={`badge ${m.active ? "badge--ok" : "badge--off"}`}>
            {m.active ? "active" : m.status}
          </span>
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
          {x.n !== undefined ? `${formatCount(x.n)} × ${x.timeframe ?? ""}` : "—"}
          {/* Two versions' naive MAE differ only when their test hours do: the last one says which. */}
          {x.test_to !== undefined && <span class="muted cell-sub">to {formatUtc(x.test_to)}</span>}
          {x.horizon !== undefined && <span class="muted cell-sub">h = {x.horizon}</span>}
        </td>
        <td data-label="MAE / naive" class="num">
          {formatMoney(x.mae, tick)} <span class="muted">/ {formatMoney(x.naive_mae, tick)}</span>
          {x.qlike !== undefined && (
            <span class="muted cell-sub">
              QLIKE {formatNumber(x.qlike, 3)} / {formatNumber(x.naive_qlike, 3)}
            </span>
          )}
        </td>
        <td data-label="Skill" class={`num ${skill === undefined ? "" : trendOf(shownSkill)}`}>
          {shownSkill}
          {vol && <span class="muted cell-sub">no price forecast</span>}
        </td>
        <td data-label="DM p" class={`num ${typeof p === "number" && p < 0.1 ? "up" : ""}`}>
          {formatPValue(p)}
          {vol && <span class="muted cell-sub">QLIKE vs EWMA</span>}
        </td>
        <td data-label="95% cover" class="num">
          {formatPct(x.coverage_95, 1, false)}
          {x.coverage_95_last !== undefined && (
            <span class="muted cell-sub">last fold {formatPct(x.coverage_95_last, 1, false)}</span>
          )}
          {typeof x.range_coverage === "number" && (
            <span class="muted cell-sub">
              {x.range_hours ?? 24} h range {formatPct(x.range_coverage, 1, false)} of{" "}
              {formatNumber(x.range_n, 0)}
            </span>
          )}
        </td>
        <td data-label="Direction" class="num">
          {formatPct(vol ? null : x.directional_accuracy, 1, false)}
        </td>
        <td data-label="Folds">
          {folds.length === 0 ? (
            <span class="muted">single split</span>
          ) : (
            // The fold table opens in a full-width row below, where its six columns have room.
            <button
              type="button"
              class="link-toggle"
              aria-expanded={foldsOpen}
              onClick={() => setFoldsOpen(!foldsOpen)}
            >
              {foldsOpen ? "▾" : "▸"} {folds.length} folds
            </button>
          )}
        </td>
        <td data-label="Fit">
          <Params params={m.parameters} />
        </td>
      </tr>
      {foldsOpen && folds.length > 0 && (
        <tr class="row-detail">
          <td colSpan={COLUMNS}>
            <FoldTable folds={folds} />
          </td>
        </tr>
      )}
    </>
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
          <table class="table table--models table--stack">
            <thead>
              <tr>
                <th>Instrument</th>
                <th>Model</th>
                <th>Status</th>
                <th>Trained</th>
                <th>Test set</th>
                <th>MAE / naive</th>
                <th>Skill</th>
                <th>DM p</th>
                <th>95% cover</th>
                <th>Direction</th>
                <th>Folds</th>
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
