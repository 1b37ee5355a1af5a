// Admin console state: profiles, jobs (paged: the newest JOBS_PAGE, then "show older"), models and
// trainers. Progress events and polls both go through here, and refresh exactly what a finished job
// changed: the job's row, its profile's row, and (training) that profile's models.
import { signal } from "@preact/signals";
import { adminApi } from "../api";
import {
  type Job,
  type JobStatus,
  type ModelRecord,
  OPEN_JOB_STATUSES,
  type Profile,
  type ProgressEvent,
  type Trainer,
} from "../api-types";
import { messageOf } from "../transport";
import { resource } from "./resource";

export const JOBS_PAGE = 10;
// Open jobs are listed whatever page they are on (a batch of trainings queues more than a page).
const OPEN_JOBS_MAX = 500;
const FEED_LENGTH = 40;
/** While a backfill runs its profile's row (has data, last update) is re-read at most this often. */
const PROFILE_REFRESH_MS = 5_000;

export const profiles = resource<Profile[]>();
export const jobs = resource<Job[]>();
export const models = resource<ModelRecord[]>();
export const trainers = resource<Trainer[]>();
/** Paging of the jobs list: whether older jobs may exist, and the "show older" request's state. */
export const olderJobs = signal<{
  more: boolean;
  loading: boolean;
  error: string | null;
  /** The `before` of the next "show older" page: the oldest job of the pages shown (open jobs
   *  listed from further back do not move it). */
  before: number | null;
}>({ more: false, loading: false, error: null, before: null });
export const feed = signal<ProgressEvent[]>([]);
/** Profiles ticked in the table: the targets of "collect" and "train". */
export const selectedProfiles = signal<ReadonlySet<number>>(new Set());

export function toggleProfile(id: number, on: boolean): void {
  const next = new Set(selectedProfiles.value);
  if (on) next.add(id);
  else next.delete(id);
  selectedProfiles.value = next;
}

const ACTIVE: ReadonlySet<JobStatus> = new Set(OPEN_JOB_STATUSES);
const newestFirst = (a: Job, b: Job) => b.id - a.id;

export const loadProfiles = (keep = true) => profiles.load(() => adminApi.profiles(), keep);
export const loadTrainers = (keep = true) => trainers.load(() => adminApi.trainers(), keep);
export const loadModels = (keep = true) => models.load(() => adminApi.models(), keep);

/** Re-reads one profile's model versions and swaps them into the table, keeping the server's order. */
export async function loadModelsOf(profileId: number): Promise<void> {
  try {
    const fresh = await adminApi.models(profileId);
    const others = (models.state.value.data ?? []).filter((m) => m.profile_id !== profileId);
    const data = [...others, ...fresh].sort(
      (a, b) =>
        a.profile_id - b.profile_id || a.model_type.localeCompare(b.model_type) || b.version - a.version,
    );
    models.state.value = { ...models.state.value, data, error: null };
  } catch {
    await loadModels(); // shows the error in the panel, or heals the table
  }
}

// The latest event heard per job, and when: an event newer than a poll's request wins over its answer
// (the poll was answered before the job moved); an older one never moves a bar backwards.
const heard = new Map<
  number,
  { progress: number | null; message: string; status: JobStatus | null; at: number }
>();

function withHeard(job: Job, askedAt: number): Job {
  const h = heard.get(job.id);
  if (!h) return job;
  if (h.at >= askedAt) {
    return {
      ...job,
      status: h.status ?? job.status,
      progress: h.progress ?? job.progress,
      message: h.message,
    };
  }
  if (!ACTIVE.has(job.status)) heard.delete(job.id);
  else if (h.progress !== null && h.progress > job.progress && (h.status === null || ACTIVE.has(h.status)))
    return { ...job, progress: h.progress, message: h.message };
  return job;
}

/** What finished since the last look: refetch its profile's row and (training) its models. */
function settle(finished: { kind: Job["kind"]; profile_id: number | null }[]): void {
  if (finished.length === 0) return;
  void loadProfiles();
  const trained = new Set(
    finished.filter((j) => j.kind === "train" && j.profile_id !== null).map((j) => j.profile_id!),
  );
  for (const id of trained) void loadModelsOf(id);
}

/** Loads the newest page and keeps the older pages already shown below it. */
export async function loadJobs(keep = true): Promise<void> {
  const hadList = jobs.state.value.data !== null;
  const askedAt = Date.now();
  let before = new Map<number, JobStatus>();
  let full = false;
  let keptOlder = false;
  let finishedElsewhere: number[] = [];
  let pageEnd = 0;
  await jobs.load(async () => {
    const [newest, ...open] = await Promise.all([
      adminApi.jobs(JOBS_PAGE),
      ...OPEN_JOB_STATUSES.map((s) => adminApi.jobs(OPEN_JOBS_MAX, undefined, s)),
    ]);
    const page = newest.map((j) => withHeard(j, askedAt));
    full = page.length === JOBS_PAGE;
    const oldest = page.at(-1)?.id ?? 0;
    pageEnd = oldest;
    // Older pages already shown stay below this one; rows gone from the page's range went away.
    const shown = jobs.state.value.data ?? [];
    // Compared when the answer arrives, so a job an event settled meanwhile is not settled twice.
    before = new Map(shown.map((j) => [j.id, j.status]));
    const older = full ? shown.filter((j) => j.id < oldest) : [];
    keptOlder = older.length > 0;
    // Open jobs older than the page (a long queue, a retried old job) are listed too; an older row
    // shown as open that is open no more has finished: it is fetched again below.
    const openOlder = open.flat().filter((j) => j.id < oldest);
    const openIds = new Set(openOlder.map((j) => j.id));
    finishedElsewhere = older.filter((j) => ACTIVE.has(j.status) && !openIds.has(j.id)).map((j) => j.id);
    const byId = new Map(
      [...older, ...openOlder.map((j) => withHeard(j, askedAt)), ...page].map((j) => [j.id, j]),
    );
    return [...byId.values()].sort(newestFirst);
  }, keep);
  for (const id of finishedElsewhere) void refetchJob(id);
  if (jobs.state.value.error) return;
  if (!keptOlder) olderJobs.value = { ...olderJobs.value, more: full, before: pageEnd };
  if (hadList) {
    // A poll that sees a job finish (or one that came and went between polls) settles it too.
    const list = jobs.state.value.data ?? [];
    settle(list.filter((j) => !ACTIVE.has(j.status) && (before.get(j.id) ?? "queued") !== j.status));
  }
}

/** Appends the next page of older jobs ("show older"). */
export async function loadOlderJobs(): Promise<void> {
  const list = jobs.state.value.data ?? [];
  if (olderJobs.value.loading || list.length === 0) return;
  olderJobs.value = { ...olderJobs.value, loading: true, error: null };
  try {
    const page = await adminApi.jobs(JOBS_PAGE, olderJobs.value.before ?? list[list.length - 1].id);
    const seen = new Set((jobs.state.value.data ?? []).map((j) => j.id));
    const data = [...(jobs.state.value.data ?? []), ...page.filter((j) => !seen.has(j.id))].sort(newestFirst);
    jobs.state.value = { ...jobs.state.value, data };
    olderJobs.value = {
      more: page.length === JOBS_PAGE,
      loading: false,
      error: null,
      before: page.at(-1)?.id ?? olderJobs.value.before,
    };
  } catch (e) {
    olderJobs.value = { ...olderJobs.value, loading: false, error: messageOf(e) };
  }
}

/** Puts one job's row (fetched, or patched from an event) into the list, newest first. */
function putJob(job: Job): void {
  const list = jobs.state.value.data ?? [];
  const oldest = list.at(-1)?.id ?? 0;
  // A finished job older than every loaded row belongs to a page not shown yet (open ones are listed).
  if (list.length >= JOBS_PAGE && job.id < oldest && !ACTIVE.has(job.status)) return;
  const data = [job, ...list.filter((j) => j.id !== job.id)].sort(newestFirst);
  jobs.state.value = { ...jobs.state.value, data };
}

async function refetchJob(id: number): Promise<void> {
  const askedAt = Date.now();
  try {
    putJob(withHeard(await adminApi.job(id), askedAt));
  } catch {
    // Gone (its profile was deleted) or unreachable: the next poll settles the list.
    await loadJobs();
  }
}

let profilesReadAt = 0;

/** Applies one ProgressHub event: the job's row at once, and whatever the job changed once it ends. */
export function applyEvent(event: ProgressEvent): void {
  feed.value = [event, ...feed.value].slice(0, FEED_LENGTH);
  if (event.job_id === null) {
    // Collection outcomes of the cron (a failing symbol) concern a profile's row only.
    if (event.profile_id !== null) void loadProfiles();
    return;
  }
  const status = event.status ?? null;
  heard.set(event.job_id, { progress: event.progress, message: event.message, status, at: Date.now() });
  const row = jobs.state.value.data?.find((j) => j.id === event.job_id);
  if (row) putJob(withHeard(row, 0));
  const finished = status !== null && !ACTIVE.has(status);
  // A job not listed yet (queued by another admin), or finished: its full row (finished_at, error).
  // Servers that send no status say only "status_update": re-read that job then too.
  if (!row || finished || (status === null && event.type === "status_update")) void refetchJob(event.job_id);
  if (finished || (status === null && event.type === "status_update")) {
    const kind = row?.kind ?? (event.type === "model_training_progress" ? "train" : "collect");
    settle([{ kind, profile_id: event.profile_id }]);
  } else if (event.type === "data_collection_progress" && Date.now() - profilesReadAt > PROFILE_REFRESH_MS) {
    // Each stored day can change the profile's "has data" and "last update": keep its row current.
    profilesReadAt = Date.now();
    void loadProfiles();
  }
}
