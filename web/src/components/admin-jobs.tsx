// Collection and training jobs with live progress bars, cancel and retry.
import { useState } from "preact/hooks";
import { adminApi } from "../api";
import { type Job, type JobStatus, OPEN_JOB_STATUSES, RETRYABLE_JOB_STATUSES } from "../api-types";
import { formatAgo, progressPercent } from "../lib/format";
import { modelLook } from "../lib/models";
import { jobs, loadJobs, loadOlderJobs, olderJobs, profiles } from "../state/admin";
import { liveState } from "../state/admin-live";
import { messageOf } from "../transport";
import { WAITING_FOR_TRAINER, waitingForTrainer } from "./admin-trainers";
import { Alert, Card, ProgressBar, Skeleton } from "./ui";

const ACTIVE: ReadonlySet<JobStatus> = new Set(OPEN_JOB_STATUSES);
const RETRYABLE: ReadonlySet<JobStatus> = new Set(RETRYABLE_JOB_STATUSES);

function JobRow({ job, symbol }: { job: Job; symbol: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pct = progressPercent(job.progress);
  const act = async (what: "cancel" | "retry") => {
    setBusy(true);
    setError(null);
    try {
      if (what === "cancel") await adminApi.cancelJob(job.id);
      else await adminApi.retryJob(job.id);
      await loadJobs();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const what = job.kind === "train" ? `Train ${modelLook(job.model_type ?? "").label}` : "Collect 1m candles";
  return (
    <li class={`job job--${job.status}`}>
      <div class="job__top">
        <div class="job__title">
          <strong>{symbol}</strong>
          <span>{what}</span>
          <span class="muted num">#{job.id}</span>
        </div>
        <span class={`status status--${job.status}`}>{job.status}</span>
      </div>
      <div class="job__bar">
        <ProgressBar percent={pct} status={job.status} label={`Job ${job.id} progress`} />
        <span class="num job__pct">{Math.round(pct)}%</span>
      </div>
      <div class="job__bottom">
        <span class={job.error ? "inline-error job__msg" : "muted job__msg"}>
          {job.error ??
            (waitingForTrainer(job) ? WAITING_FOR_TRAINER : null) ??
            job.message ??
            (job.created_at ? `created ${formatAgo(job.created_at)}` : "")}
        </span>
        <span class="job__actions">
          {ACTIVE.has(job.status) && (
            <button
              type="button"
              class="btn btn--ghost btn--xs"
              disabled={busy}
              onClick={() => act("cancel")}
            >
              Cancel
            </button>
          )}
          {RETRYABLE.has(job.status) && (
            <button type="button" class="btn btn--ghost btn--xs" disabled={busy} onClick={() => act("retry")}>
              Retry
            </button>
          )}
        </span>
      </div>
      {error && <Alert>{error}</Alert>}
    </li>
  );
}

const LIVE_TEXT = { live: "Live", connecting: "Connecting…", offline: "Polling" } as const;

export function JobsPanel() {
  const [showAll, setShowAll] = useState(true);
  const state = jobs.state.value;
  const symbols = new Map((profiles.state.value.data ?? []).map((p) => [p.id, p.symbol]));
  const all = state.data ?? [];
  const list = showAll ? all : all.filter((j) => ACTIVE.has(j.status));
  const live = liveState.value;
  const older = olderJobs.value;
  return (
    <Card
      title="Jobs"
      labelId="jobs-title"
      class="admin-jobs"
      actions={
        <>
          <span class={`live live--${live}`} title="Progress arrives over a WebSocket; jobs are also polled.">
            <span class="live__dot" aria-hidden="true" />
            {LIVE_TEXT[live]}
          </span>
          <button
            type="button"
            class="btn btn--ghost btn--xs"
            aria-pressed={!showAll}
            onClick={() => setShowAll(!showAll)}
          >
            {showAll ? "Active only" : "Show all"}
          </button>
        </>
      }
    >
      {state.error && <Alert>{state.error}</Alert>}
      {!state.data && state.loading && <Skeleton lines={4} />}
      {state.data && list.length === 0 && (
        <p class="muted">
          {showAll ? "No jobs yet. Collect data or train models to start one." : "Nothing running."}
        </p>
      )}
      <ul class="jobs">
        {list.map((j) => (
          <JobRow key={j.id} job={j} symbol={j.symbol ?? symbols.get(j.profile_id ?? -1) ?? "—"} />
        ))}
      </ul>
      {showAll && state.data && (older.more || older.error) && (
        <div class="jobs__more">
          {older.error && <Alert>{older.error}</Alert>}
          <button
            type="button"
            class="btn btn--ghost btn--sm"
            disabled={older.loading}
            onClick={() => void loadOlderJobs()}
          >
            {older.loading ? "Loading older jobs…" : "Show older"}
          </button>
        </div>
      )}
    </Card>
  );
}
