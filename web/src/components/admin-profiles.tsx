// Instrument profiles: list with data and model status, add, edit, delete, and per-profile data status.
import { useState } from "preact/hooks";
import { adminApi, messageOf } from "../api";
import type { Profile } from "../api-types";
import { formatAgo } from "../lib/format";
import { loadProfiles, profiles, selectedProfiles, toggleProfile } from "../state/admin";
import { DataStatusView } from "./data-status";
import { ProfileForm } from "./profile-form";
import { Alert, Card, Skeleton } from "./ui";

function Status({ ok, yes, no }: { ok: boolean; yes: string; no: string }) {
  return <span class={`badge ${ok ? "badge--ok" : "badge--off"}`}>{ok ? yes : no}</span>;
}

/** A profile whose collection keeps failing: the last error and when, in the row itself. */
function CollectionError({ p }: { p: Profile }) {
  const c = p.collection;
  if (!c?.failing) return null;
  return (
    <span class="collection-error" role="status">
      <span class="badge badge--error">collection failing</span>
      <span class="cell-sub">
        {c.failures} runs in a row, last {formatAgo(c.last_error_at)}: {c.last_error}
      </span>
    </span>
  );
}

function ProfileRow({ p }: { p: Profile }) {
  const [open, setOpen] = useState<"status" | "edit" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const checked = selectedProfiles.value.has(p.id);
  const remove = async () => {
    if (!window.confirm(`Delete ${p.symbol}? Its candles, jobs and models go with it.`)) return;
    try {
      await adminApi.deleteProfile(p.id);
      toggleProfile(p.id, false);
      await loadProfiles();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <>
      <tr class={`${checked ? "is-selected" : ""} ${p.collection?.failing ? "is-failing" : ""}`}>
        <td class="cell-check">
          <input
            type="checkbox"
            checked={checked}
            aria-label={`Select ${p.symbol}`}
            onChange={(e) => toggleProfile(p.id, e.currentTarget.checked)}
          />
        </td>
        <td data-label="Instrument">
          <strong>{p.symbol}</strong>
          <span class="muted cell-sub">{p.name}</span>
        </td>
        <td data-label="Type">
          {p.profile_type} · {p.exchange}
        </td>
        <td data-label="Data">
          <Status ok={p.has_data} yes="has data" no="no data" />
          <span class="muted cell-sub">
            {p.last_data_update ? formatAgo(p.last_data_update) : "never collected"}
          </span>
          <CollectionError p={p} />
        </td>
        <td data-label="Models">
          <Status ok={p.models_trained} yes="trained" no="not trained" />
        </td>
        <td class="cell-actions">
          <button
            type="button"
            class="btn btn--ghost btn--xs"
            aria-expanded={open === "status"}
            onClick={() => setOpen(open === "status" ? null : "status")}
          >
            Data status
          </button>
          <button
            type="button"
            class="btn btn--ghost btn--xs"
            aria-expanded={open === "edit"}
            onClick={() => setOpen(open === "edit" ? null : "edit")}
          >
            Edit
          </button>
          <button
            type="button"
            class="btn btn--danger btn--xs"
            onClick={remove}
            aria-label={`Delete ${p.symbol}`}
          >
            Delete
          </button>
        </td>
      </tr>
      {(open || error) && (
        <tr class="row-detail">
          <td colSpan={6}>
            {error && <Alert>{error}</Alert>}
            {open === "status" && <DataStatusView id={p.id} />}
            {open === "edit" && <ProfileForm profile={p} onDone={() => setOpen(null)} />}
          </td>
        </tr>
      )}
    </>
  );
}

export function ProfilesPanel() {
  const [adding, setAdding] = useState(false);
  const state = profiles.state.value;
  const list = state.data ?? [];
  const allChecked = list.length > 0 && list.every((p) => selectedProfiles.value.has(p.id));
  return (
    <Card
      title="Instrument profiles"
      labelId="profiles-title"
      class="admin-profiles"
      actions={
        <button
          type="button"
          class="btn btn--primary btn--sm"
          aria-expanded={adding}
          onClick={() => setAdding(!adding)}
        >
          {adding ? "Close" : "Add profile"}
        </button>
      }
    >
      {adding && (
        <div class="subpanel">
          <ProfileForm onDone={() => setAdding(false)} />
        </div>
      )}
      {state.error && <Alert>{state.error}</Alert>}
      {!state.data && state.loading && <Skeleton lines={4} />}
      {state.data && list.length === 0 && (
        <p class="muted">
          No profiles yet. Add an instrument (for example BTCUSDT on binance), then collect its data.
        </p>
      )}
      {list.length > 0 && (
        <table class="table table--stack">
          <thead>
            <tr>
              <th class="cell-check">
                <input
                  type="checkbox"
                  checked={allChecked}
                  aria-label="Select all profiles"
                  onChange={(e) => {
                    const on = e.currentTarget.checked;
                    for (const p of list) toggleProfile(p.id, on);
                  }}
                />
              </th>
              <th>Instrument</th>
              <th>Type</th>
              <th>Data</th>
              <th>Models</th>
              <th>
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((p) => (
              <ProfileRow key={p.id} p={p} />
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
