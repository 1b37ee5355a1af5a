// Start work for the ticked profiles: backfill N days of 1m candles, or train the chosen models.
import { useState } from "preact/hooks";
import { minTrainingCandles } from "../../../core/models/fold-plan";
import { adminApi } from "../api";
import { BACKFILL_DAYS, MODEL_TYPES, type ModelType } from "../api-types";
import { startedText } from "../lib/jobs-started";
import { modelLook } from "../lib/models";
import { jobs, loadJobs, profiles, selectedProfiles } from "../state/admin";
import { messageOf } from "../transport";
import { TrainerPresence } from "./admin-trainers";
import { Alert, Card } from "./ui";

const NEEDED_HOURS = minTrainingCandles();

const DEFAULT_DAYS = 30;
const MAX_DAYS = BACKFILL_DAYS.max;

type Outcome = { kind: "error"; text: string } | { kind: "started"; what: string; ids: number[] } | null;

export function ActionsPanel() {
  const [days, setDays] = useState(String(DEFAULT_DAYS));
  const [types, setTypes] = useState<ReadonlySet<ModelType>>(new Set(MODEL_TYPES));
  const [busy, setBusy] = useState<"collect" | "train" | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const chosen = (profiles.state.value.data ?? []).filter((p) => selectedProfiles.value.has(p.id));
  const none = chosen.length === 0;

  const run = async (kind: "collect" | "train") => {
    setOutcome(null);
    const n = Number(days);
    if (kind === "collect" && !(Number.isInteger(n) && n >= 1 && n <= MAX_DAYS)) {
      setOutcome({ kind: "error", text: `Days must be a whole number from 1 to ${MAX_DAYS}.` });
      return;
    }
    if (kind === "train" && types.size === 0) {
      setOutcome({ kind: "error", text: "Pick at least one model type." });
      return;
    }
    setBusy(kind);
    try {
      const answer =
        kind === "collect"
          ? await adminApi.collect(
              chosen.map((p) => p.symbol),
              n,
            )
          : await adminApi.train(
              chosen.map((p) => p.id),
              [...types],
            );
      setOutcome({
        kind: "started",
        what: kind === "collect" ? "collection" : "training",
        ids: (answer?.jobs ?? []).map((j) => j.id),
      });
      await loadJobs();
    } catch (e) {
      setOutcome({ kind: "error", text: messageOf(e) });
    } finally {
      setBusy(null);
    }
  };

  const toggleType = (t: ModelType, on: boolean) => {
    const next = new Set(types);
    if (on) next.add(t);
    else next.delete(t);
    setTypes(next);
  };

  return (
    <Card title="Run" labelId="actions-title" class="admin-actions">
      <p class="muted selection-note">
        {none
          ? "Tick profiles in the table to act on them."
          : `Selected: ${chosen.map((p) => p.symbol).join(", ")}`}
      </p>
      <div class="action-block">
        <h3>Collect data</h3>
        <div class="form__row">
          <div class="field field--days">
            <label for="collect-days">Backfill days</label>
            <input
              id="collect-days"
              type="number"
              min={1}
              max={MAX_DAYS}
              inputMode="numeric"
              value={days}
              onInput={(e) => setDays(e.currentTarget.value)}
            />
          </div>
          <button
            type="button"
            class="btn btn--primary"
            disabled={none || busy !== null}
            onClick={() => run("collect")}
          >
            {busy === "collect" ? "Queuing…" : "Collect 1m candles"}
          </button>
        </div>
      </div>
      <div class="action-block">
        <h3>Train models</h3>
        <fieldset class="checks">
          <legend class="sr-only">Model types</legend>
          {MODEL_TYPES.map((t) => (
            <label key={t} class="check" style={{ "--model-color": modelLook(t).color }}>
              <input
                type="checkbox"
                checked={types.has(t)}
                onChange={(e) => toggleType(t, e.currentTarget.checked)}
              />
              <span class="check__dot" aria-hidden="true" />
              {modelLook(t).label}
            </label>
          ))}
        </fieldset>
        <button
          type="button"
          class="btn btn--primary"
          disabled={none || busy !== null}
          onClick={() => run("train")}
        >
          {busy === "train" ? "Queuing…" : "Train selected models"}
        </button>
        <p class="muted small train-requirement">
          Needs at least {NEEDED_HOURS} hourly candles per profile (backfill {Math.ceil(NEEDED_HOURS / 24)}{" "}
          days or more).
        </p>
        <TrainerPresence />
      </div>
      {outcome?.kind === "error" && <Alert kind="error">{outcome.text}</Alert>}
      {outcome?.kind === "started" && (
        <Alert kind="success">{startedText(outcome.what, outcome.ids, jobs.state.value.data ?? [])}</Alert>
      )}
    </Card>
  );
}
