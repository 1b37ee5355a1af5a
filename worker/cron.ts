// What the every-minute Cron Trigger does.
import { getDb } from "./db/client";
import { COLLECTION_LAST_RUN, writeState } from "./db/state";
import { pruneThrottle } from "./db/throttle";

export async function runScheduled(env: Env, scheduledTime: number) {
  const db = getDb(env.DB);
  const now = Math.floor(scheduledTime / 1000);
  await pruneThrottle(db, now);
  await writeState(db, COLLECTION_LAST_RUN, new Date(scheduledTime).toISOString());
}
