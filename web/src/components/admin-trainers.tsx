// Whether a trainer is connected (heard from in the last 10 minutes), the fleet's container instances
// with their state, and the hint for queued jobs nobody has claimed: without a trainer, training jobs
// wait (the fleet starts containers for them where it runs; elsewhere someone runs `npm run trainer`).
import type { Job, Trainer } from "../api-types";
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

const live = (t: Trainer) => t.kind === "external" || t.state === "starting" || t.state === "running";

/** One container instance: its state, the job it holds, and why it stopped. */
function Instance({ t }: { t: Trainer }) {
  const badge = t.state === "failed" ? "badge--error" : live(t) ? "badge--ok" : "badge--off";
  return (
    <li>
      <span class={`badge ${badge}`}>{t.state}</span> <code>{t.id}</code>
      {t.job_id !== undefined ? ` · job ${t.job_id}` : ""}
      <span class="muted">
        {t.last_seen
          ? ` · seen ${formatAgo(t.last_seen)}`
          : t.started_at
            ? ` · started ${formatAgo(t.started_at)}`
            : ""}
        {t.detail && !live(t) ? ` · ${t.detail}` : ""}
      </span>
    </li>
  );
}

export function TrainerPresence() {
  const state = trainers.state.value;
  if (!state.data) return null;
  const connected = state.data.filter(live);
  const instances = state.data.filter((t) => t.kind === "container");
  const busy = connected.filter((t) => t.job_id !== undefined).length;
  const newest = connected.find((t) => t.last_seen);
  return (
    <div class="trainer-presence small">
      {connected.length === 0 ? (
        <p>
          <span class="badge badge--off">no trainer</span>{" "}
          <span class="muted">
            Training jobs wait until one runs: the trainer fleet starts containers for them where it is
            deployed, or run <code>npm run trainer</code> (<code>npm run dev</code> starts one).
          </span>
        </p>
      ) : (
        <p>
          <span class="badge badge--ok">
            {connected.length} trainer{connected.length === 1 ? "" : "s"} connected
          </span>{" "}
          <span class="muted">
            {busy} busy{newest?.last_seen ? ` · ${newest.id} seen ${formatAgo(newest.last_seen)}` : ""}
          </span>
        </p>
      )}
      {instances.length > 0 && (
        <ul class="trainer-instances">
          {instances.map((t) => (
            <Instance key={t.id} t={t} />
          ))}
        </ul>
      )}
    </div>
  );
}
