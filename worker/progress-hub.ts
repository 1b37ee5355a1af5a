// ProgressHub: one Durable Object that holds the admins' WebSockets (hibernatable, live/socket-hub.ts)
// and broadcasts collection and training progress to all of them.
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
