// Admin console state: profiles, jobs, models, and live progress over the ProgressHub WebSocket
// (with polling as the fallback whenever the socket is down).
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
import { resource } from "./resource";
import { adminToken } from "./session";

const POLL_WHILE_LIVE_MS = 15_000;
const POLL_WHILE_OFFLINE_MS = 4_000;
const RECONNECT_BASE_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;
const FEED_LENGTH = 40;

export const profiles = resource<Profile[]>();
export const jobs = resource<Job[]>();
export const models = resource<ModelRecord[]>();
export const trainers = resource<Trainer[]>();

export type LiveState = "connecting" | "live" | "offline";
export const liveState = signal<LiveState>("offline");
export const feed = signal<ProgressEvent[]>([]);
/** Profiles ticked in the table: the targets of "collect" and "train". */
export const selectedProfiles = signal<ReadonlySet<number>>(new Set());

export function toggleProfile(id: number, on: boolean): void {
  const next = new Set(selectedProfiles.value);
  if (on) next.add(id);
  else next.delete(id);
  selectedProfiles.value = next;
}

export const loadProfiles = (keep = true) => profiles.load(() => adminApi.profiles(), keep);
export const loadJobs = (keep = true) =>
  jobs.load(async () => withLive((await adminApi.jobs()).sort((a, b) => b.id - a.id)), keep);
export const loadTrainers = (keep = true) => trainers.load(() => adminApi.trainers(), keep);
export const loadModels = (keep = true) => models.load(() => adminApi.models(), keep);

// The latest progress heard over the socket, per job: a poll that was answered before an event
// arrived must not move a running job's bar backwards.
const heard = new Map<number, { progress: number | null; message: string | null }>();
const ACTIVE: ReadonlySet<JobStatus> = new Set(OPEN_JOB_STATUSES);

function withLive(list: Job[]): Job[] {
  return list.map((j) => {
    const h = heard.get(j.id);
    if (!h) return j;
    if (!ACTIVE.has(j.status)) {
      heard.delete(j.id);
      return j;
    }
    if (h.progress === null || h.progress <= j.progress) return j;
    return { ...j, status: "running", progress: h.progress, message: h.message ?? j.message };
  });
}

/** Applies one progress event to the jobs list at once, before the next poll confirms it. */
function applyEvent(event: ProgressEvent): void {
  feed.value = [event, ...feed.value].slice(0, FEED_LENGTH);
  if (event.job_id !== null && event.type !== "status_update") {
    heard.set(event.job_id, { progress: event.progress, message: event.message });
  }
  const list = jobs.state.value.data;
  const known = event.job_id !== null && list?.some((j) => j.id === event.job_id);
  if (event.type === "status_update" || !known) {
    // Status changes (done, failed, new job) carry no status field: re-read the lists.
    if (event.job_id !== null || event.type === "status_update") void loadJobs();
    if (event.type === "status_update" && event.job_id !== null) {
      void loadProfiles();
      void loadModels();
    }
    return;
  }
  jobs.state.value = { ...jobs.state.value, data: withLive(list!) };
}

function socketUrl(ticket: string): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}/api/admin/ws?ticket=${encodeURIComponent(ticket)}`;
}

/** Starts live updates and polling; returns the function that stops both. */
export function startLive(): () => void {
  let socket: WebSocket | null = null;
  let stopped = false;
  let attempt = 0;
  let reconnectTimer = 0;
  let pollTimer = 0;

  const schedulePoll = () => {
    window.clearTimeout(pollTimer);
    const wait = liveState.value === "live" ? POLL_WHILE_LIVE_MS : POLL_WHILE_OFFLINE_MS;
    pollTimer = window.setTimeout(async () => {
      if (!document.hidden && adminToken.value) await Promise.all([loadJobs(), loadTrainers()]);
      if (!stopped) schedulePoll();
    }, wait);
  };

  const connect = async () => {
    if (stopped || !adminToken.value) return;
    liveState.value = "connecting";
    try {
      const { ticket } = await adminApi.wsTicket();
      if (stopped) return;
      socket = new WebSocket(socketUrl(ticket));
    } catch {
      return retry();
    }
    socket.addEventListener("open", () => {
      attempt = 0;
      liveState.value = "live";
      schedulePoll();
    });
    socket.addEventListener("message", (message) => {
      try {
        applyEvent(JSON.parse(String(message.data)) as ProgressEvent);
      } catch {
        // not an event (a ping or a greeting): nothing to show
      }
    });
    socket.addEventListener("close", () => {
      socket = null;
      if (!stopped) retry();
    });
  };

  const retry = () => {
    liveState.value = "offline";
    schedulePoll();
    const wait = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** attempt);
    attempt += 1;
    reconnectTimer = window.setTimeout(connect, wait);
  };

  void connect();
  schedulePoll();
  return () => {
    stopped = true;
    window.clearTimeout(reconnectTimer);
    window.clearTimeout(pollTimer);
    socket?.close();
    liveState.value = "offline";
  };
}
