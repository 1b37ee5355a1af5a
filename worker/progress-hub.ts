// ProgressHub: one Durable Object that holds the admins' WebSockets (hibernatable, live/socket-hub.ts)
// and broadcasts collection and training progress to all of them.
import type { JobStatus } from "../core/jobs";
import type { ProgressEvent, ProgressType } from "./contract";
import { SocketHub } from "./live/socket-hub";

export class ProgressHub extends SocketHub {
  /** Sends one event to every connected admin; returns how many sockets got it. */
  async publish(event: ProgressEvent): Promise<number> {
    return this.broadcast([JSON.stringify(event)]);
  }

  connections(): number {
    return this.open().sockets;
  }

  protected greeting() {
    return JSON.stringify(statusEvent("connected"));
  }

  protected pong() {
    return JSON.stringify(statusEvent("pong"));
  }
}

const statusEvent = (message: string, type: ProgressType = "status_update"): ProgressEvent => ({
  type,
  job_id: null,
  profile_id: null,
  symbol: null,
  progress: null,
  message,
  time: new Date().toISOString(),
});

/** The one hub every Worker invocation talks to. */
export const hub = (env: Env) => env.PROGRESS_HUB.get(env.PROGRESS_HUB.idFromName("global"));

/** Publishes without ever failing the caller: progress is best effort, the job row is the truth. */
export async function publishProgress(env: Env, e: Omit<ProgressEvent, "time">) {
  try {
    await hub(env).publish({ ...e, time: new Date().toISOString() });
  } catch (err) {
    console.warn(`progress publish failed: ${(err as Error).name}`);
  }
}

/** What a training job's event says about it: the job, its instrument, how far, what happened, its status. */
export interface TrainingEvent {
  job: { id: number; profileId: number | null; symbol: string | null };
  progress: number | null;
  message: string;
  status: JobStatus;
}

/** Publishes a training job's event to every admin (best effort, as publishProgress). */
export const publishTraining = (env: Env, { job, progress, message, status }: TrainingEvent) =>
  publishProgress(env, {
    type: "model_training_progress",
    job_id: job.id,
    profile_id: job.profileId,
    symbol: job.symbol,
    progress,
    message,
    status,
  });
