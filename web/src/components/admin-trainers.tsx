// Whether a trainer is connected (heard from in the last 10 minutes), and the hint for queued jobs
// nobody has claimed: without a trainer, training jobs wait forever.
import type { Job } from "../api-types";
import { formatAgo } from "../lib/format";
import { trainers } from "../state/admin";

/** A queued training job unclaimed this long gets the "waiting for a trainer" hint. */
const UNCLAIMED_HINT_MS = 60_000;
export const WAITING_FOR_TRAINER = "waiting for a trainer: start one with `npm run trainer`";

export function waitingForTrainer(job: Job, now = Date.now()): boolean {
  if (job.kind !== "train" || job.status !== "queued" || job.created_at === undefined) return false;
  const created = typeof job.created_at === "number" ? job.created_at * 1000 : Date.parse(job.created_at);
  return now - created >= UNCLAIMED_HINT_MS;
}

export function TrainerPresence() {
  const state = trainers.state.value;
  if (!state.data) return null;
  const list = state.data;
  if (list.length === 0) {
    return (
      <p class="trainer-presence small">
        <span class="badge badge--off">no trainer</span>{" "}
        <span class="muted">
          Training jobs wait until one runs: <code>npm run trainer</code> (<code>npm run dev</code> starts
          one).
        </span>
      </p>
    );
  }
  const busy = list.filter((t) => t.job_id !== undefined).length;
  return (
    <p class="trainer-presence small">
      <span class="badge badge--ok">
        {list.length} trainer{list.length === 1 ? "" : "s"} connected
      </span>{" "}
      <span class="muted">
        {busy} busy · {list[0].id} seen {formatAgo(list[0].last_seen)}
      </span>
    </p>
  );
}
